import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { isolationHeaders, pageCsp, cspHeader } from './src/sw/headers.ts';

// WASM threads need cross-origin isolation; the same headers must come from any static host (docs/HOSTING.md).
export { isolationHeaders };

const PEER_PAGE = '/test/bench/faceapi-peer.html';

/** Sends the CSP from dev and preview (per destination: the engine worker gets its own), and keeps index.html's <meta> in step. */
function securityHeaders(): Plugin {
  const setCsp = (req: { url?: string; headers: Record<string, string | string[] | undefined> }, res: { setHeader(n: string, v: string): void }, next: () => void) => {
    const csp = cspHeader(req.headers['sec-fetch-dest'] as string | undefined);
    // The benchmark's face-api peer (test builds only): tfjs's threaded WASM starts its pthreads from blob: scripts.
    res.setHeader('Content-Security-Policy', req.url?.startsWith(PEER_PAGE) ? csp.replace("script-src 'self'", "script-src 'self' blob:") : csp);
    next();
  };
  return {
    name: 'shoebox:security-headers',
    configureServer: (server) => void server.middlewares.use(setCsp),
    configurePreviewServer: (server) => void server.middlewares.use(setCsp),
    transformIndexHtml(html, ctx) {
      if (`/${ctx.path.replace(/^\//, '')}`.startsWith(PEER_PAGE)) return;
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
      if (meta !== pageCsp) throw new Error(`index.html's CSP <meta> must equal pageCsp in src/sw/headers.ts:\n  ${pageCsp}`);
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [
    svelte(),
    securityHeaders(),
    VitePWA({
      // A custom service worker: workbox's generated one cannot add COOP/COEP/CSP to the responses it serves.
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false, // src/ui/pwa.svelte.ts registers it with workbox-window
      includeManifestIcons: false, // icons/*.png are in globPatterns
      manifest: {
        name: 'Shoebox',
        short_name: 'Shoebox',
        description: 'Private AI search for your own photo folder. Runs entirely in your browser.',
        theme_color: '#1f2937',
        background_color: '#111827',
        display: 'standalone',
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        rollupFormat: 'iife', // a classic service worker: module workers are not everywhere yet
        globPatterns: [
          '*.html', // manifest.webmanifest is added by the plugin
          'assets/**/*',
          'icons/*.png',
          'models/**/*',
          'places/*.bin', // offline place names (scripts/build-places.mjs)
          'wasm/tfjs/*.wasm',
          // Under cross-origin isolation (which the service worker guarantees) TFLite asks only for its SIMD+threads
          // build: the real one for a worker with threads, the single-threaded one under that name for a worker
          // without (tflite-single/). Its client .js is bundled and its pthread .worker.js comes from a blob:.
          // Other builds are cached on use.
          'wasm/tflite/tflite_web_api_cc_simd_threaded.{js,wasm}',
          'wasm/tflite-single/tflite_web_api_cc_simd{_threaded.js,.wasm}',
        ],
        // The benchmark's face-api peer (test builds only) is no part of the app.
        globIgnores: ['assets/benchFaceapiPeer-*'],
        // Face models are 5–6 MB, the bundled engine worker ~3.9 MB, the text recogniser 10.8 MB, onnxruntime-web's
        // WASM 14.2 MB (emitted into assets/ by the build, so 'assets/**/*' precaches it).
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
    }),
  ],
  // tfjs-tflite loads its runtime with importScripts, which only a classic worker has.
  worker: { format: 'iife' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // bench/library.html builds a synthetic library for `npm run bench:library`; test/bench/faceapi-peer.html is
    // `npm run bench`'s peer, face-api on its own (test and bench builds only).
    rollupOptions: {
      input: { main: 'index.html', benchLibrary: 'bench/library.html', ...(mode === 'release' ? {} : { benchFaceapiPeer: 'test/bench/faceapi-peer.html' }) },
    },
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    // face-api's no-bundle build imports tfjs by its dist paths; one copy of tfjs, as in the app's bundle.
    alias: [{ find: /^(@tensorflow\/tfjs(?:-backend-wasm|-backend-webgl)?)\/dist\/index\.js$/, replacement: '$1' }],
  },
}));
