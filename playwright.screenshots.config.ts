import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `npm run screenshots`: every page at three viewports, light and dark, into screenshots/ (not committed).
export default defineConfig({ ...base, testDir: 'test/screenshots', timeout: 600_000 });
