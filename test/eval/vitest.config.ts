import { defineConfig } from 'vitest/config';

// `npm run eval:text`, `npm run eval:objects`: accuracy evals, apart from the unit tests (they need Chromium and minutes).
export default defineConfig({
  test: { include: ['test/eval/**/*.eval.ts'], environment: 'node', testTimeout: 1_800_000 },
});
