// One source for the security headers: vite dev/preview, the service worker and the e2e static server use these.

/** WASM threads need cross-origin isolation (SharedArrayBuffer). */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/** The page's policy: this origin only; WASM may compile, strings may not be evaluated. */
export const pageCsp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

/**
 * The engine worker's policy (a worker takes its CSP from its own script response, and its blob: pthread workers
 * inherit it). TFLite's Emscripten/embind glue builds functions with `new Function`, so 'unsafe-eval' is allowed
 * there and nowhere else; connect-src stays 'self'.
 */
export const workerCsp = pageCsp.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'");

/** The CSP header for a response, by its request's destination (Sec-Fetch-Dest / Request.destination). */
export function cspHeader(destination: string | undefined): string {
  // frame-ancestors only works as a header, so the <meta> in index.html goes without it.
  return `${destination === 'worker' ? workerCsp : pageCsp}; frame-ancestors 'none'`;
}
