/// <reference lib="webworker" />
// Shoebox's service worker: precaches the app, its WASM runtimes and every model, and serves them with the
// isolation and CSP headers, so the app runs offline and cross-origin isolated even on a host that cannot send headers.
import { cacheNames, clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, getCacheKeyForURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';
import { NetworkFirst, NetworkOnly, StaleWhileRevalidate } from 'workbox-strategies';
import { cspHeader, isolationHeaders } from './headers';
import { appShellPattern } from './routes';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

function withHeaders(response: Response, destination: string): Response {
  // Opaque and error responses cannot be rebuilt (and are not ours).
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status < 200) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(isolationHeaders)) headers.set(name, value);
  headers.set('Content-Security-Policy', cspHeader(destination));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const secure: WorkboxPlugin = {
  handlerWillRespond: async ({ request, response }) => withHeaders(response, request.destination),
};

const manifest = self.__WB_MANIFEST;
addPlugins([secure]);
precacheAndRoute(manifest);
cleanupOutdatedCaches();

const scope = new URL(self.registration.scope);
// The app is one page: its navigations (its routes, any query) get the cached shell; other navigations go to the network.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { allowlist: [appShellPattern(scope.pathname)] }));

const sameOrigin = (url: URL, dir: string) => url.origin === scope.origin && url.pathname.startsWith(scope.pathname + dir);
// WASM builds that are not precached (other CPUs, or no isolation yet) are kept once used, for offline use. Network
// first: their names carry no hash, so a cached copy could be an older release's.
registerRoute(({ url }) => sameOrigin(url, 'wasm/'), new NetworkFirst({ cacheName: 'shoebox-wasm', plugins: [secure] }));
// The sample photos are not worth precaching for everyone; they stay available offline once tried.
registerRoute(({ url }) => sameOrigin(url, 'sample/'), new StaleWhileRevalidate({ cacheName: 'shoebox-sample', plugins: [secure] }));
// Everything else still passes through here, to carry the headers.
setDefaultHandler(new NetworkOnly({ plugins: [secure] }));

/** Puts back precached files that are gone (the Storage panel's "Delete all data" deletes every cache). */
async function refillPrecache(): Promise<void> {
  const cache = await caches.open(cacheNames.precache);
  for (const entry of manifest) {
    const key = getCacheKeyForURL(typeof entry === 'string' ? entry : entry.url);
    if (!key || (await cache.match(key))) continue;
    const res = await fetch(key, { cache: 'reload' });
    if (res.ok) await cache.put(key, res);
  }
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  // Sent by src/ui/pwa.svelte.ts (the user chose Reload) and src/ui/StoragePanel.svelte (after "Delete all data").
  const type = (event.data as { type?: string } | null)?.type;
  if (type === 'SKIP_WAITING') void self.skipWaiting();
  else if (type === 'REFILL_PRECACHE') event.waitUntil(refillPrecache());
});

// The first install takes the open page at once, so its later requests are cached and carry the headers.
clientsClaim();
