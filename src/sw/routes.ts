/**
 * The first path segments of the app's own routes (src/ui/route.ts): a navigation to any of them gets the app
 * shell from the service worker, so a reload or a shared link works offline too.
 */
export const APP_ROUTES = ['photo', 'people', 'face', 'similar', 'explore', 'duplicates', 'places'] as const;

/** A pattern for navigations the app shell answers: the scope itself, index.html, or one of the routes. */
export function appShellPattern(scopePath: string): RegExp {
  const escaped = scopePath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}(index\\.html|(${APP_ROUTES.join('|')})(/[^?]*)?)?(\\?.*)?$`);
}
