import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// WASM threads need cross-origin isolation; the same headers must come from any static host.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte()],
  // tfjs-tflite loads its runtime with importScripts, which only a classic worker has.
  worker: { format: 'iife' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // bench/library.html builds a synthetic library for `npm run bench:library`.
    rollupOptions: { input: { main: 'index.html', benchLibrary: 'bench/library.html' } },
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
