import { defineConfig } from 'vitest/config';

// `npm run eval:text`: the text-in-photos accuracy eval, apart from the unit tests (it needs Chromium and minutes).
export default defineConfig({
  test: { include: ['test/eval/**/*.eval.ts'], environment: 'node', testTimeout: 1_800_000 },
});
