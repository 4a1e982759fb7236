/** What the main area shows. One tagged union, so no two views can be half-active at once. */
export type Page =
  | { kind: 'photos'; q: string }
  | { kind: 'person-photos'; personId: number; /** Not in the URL: a dropped photo's "Grace · distance 0.21". */ why?: string }
  | { kind: 'face'; faceId: number; threshold: number }
  | { kind: 'similar'; photoId: number }
  | { kind: 'people' }
  | { kind: 'person'; personId: number }
  | { kind: 'facemap' }
  | { kind: 'explore' }
  | { kind: 'duplicates' }
  | { kind: 'places' }
  | { kind: 'place'; name: string };

/** The page, and the photo open over it (if any). */
export interface View {
  page: Page;
  photo: number | null;
}

export const HOME: View = { page: { kind: 'photos', q: '' }, photo: null };

/** Query parameters the router owns; every other one (?backend=, ?workers=…) is carried along untouched. */
const OWN = ['q', 't', 'from'];

const id = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);

/** The page at a path inside the app (no base), with its query. Unknown paths are the photos. */
function parsePage(path: string, params: URLSearchParams): Page {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [a, b, c] = parts;
  switch (a) {
    case undefined:
    case 'index.html':
      return { kind: 'photos', q: params.get('q') ?? '' };
    case 'people':
      if (b === undefined) return { kind: 'people' };
      if (b === 'map') return { kind: 'facemap' };
      if (id(b) !== null) return c === 'photos' ? { kind: 'person-photos', personId: id(b)! } : { kind: 'person', personId: id(b)! };
      break;
    case 'face':
      if (id(b) !== null) {
        const t = Number(params.get('t'));
        return { kind: 'face', faceId: id(b)!, threshold: Number.isFinite(t) && t > 0 ? t : NaN };
      }
      break;
    case 'similar':
      if (id(b) !== null) return { kind: 'similar', photoId: id(b)! };
      break;
    case 'explore':
      return { kind: 'explore' };
    case 'duplicates':
      return { kind: 'duplicates' };
    case 'places':
      return b === undefined ? { kind: 'places' } : { kind: 'place', name: b };
  }
  return { kind: 'photos', q: '' };
}

/** The path (inside the app) and own query parameters of a page. */
function formatPage(page: Page): { path: string; params: [string, string][] } {
  const enc = encodeURIComponent;
  switch (page.kind) {
    case 'photos':
      return { path: '', params: page.q ? [['q', page.q]] : [] };
    case 'person-photos':
      return { path: `people/${page.personId}/photos`, params: [] };
    case 'face':
      return { path: `face/${page.faceId}`, params: Number.isFinite(page.threshold) ? [['t', page.threshold.toFixed(2)]] : [] };
    case 'similar':
      return { path: `similar/${page.photoId}`, params: [] };
    case 'people':
      return { path: 'people', params: [] };
    case 'person':
      return { path: `people/${page.personId}`, params: [] };
    case 'facemap':
      return { path: 'people/map', params: [] };
    case 'explore':
      return { path: 'explore', params: [] };
    case 'duplicates':
      return { path: 'duplicates', params: [] };
    case 'places':
      return { path: 'places', params: [] };
    case 'place':
      return { path: `places/${enc(page.name)}`, params: [] };
  }
}

/**
 * The view at a URL. `base` is the app's base path ("/" or "/shoebox/"). A photo is `/photo/345`, with the page
 * under it in the query: `?q=dog` for a search, `?from=people/12/photos` for any other page.
 */
export function parseUrl(pathname: string, search: string, base = '/'): View {
  const params = new URLSearchParams(search);
  let path = pathname.startsWith(base) ? pathname.slice(base.length) : pathname.replace(/^\//, '');
  const photo = /^photo\/(\d+)\/?$/.exec(path);
  if (photo) {
    path = params.get('from') ?? '';
    return { page: parsePage(path, params), photo: Number(photo[1]) };
  }
  return { page: parsePage(path, params), photo: null };
}

/** The URL of a view, keeping the parameters of `current` that the router does not own. */
export function formatUrl(view: View, base = '/', current = ''): string {
  const params = new URLSearchParams(current);
  for (const k of OWN) params.delete(k);
  const { path, params: own } = formatPage(view.page);
  let full = path;
  if (view.photo !== null) {
    full = `photo/${view.photo}`;
    if (path) own.push(['from', path]);
  }
  for (const [k, v] of own) params.set(k, v);
  const query = params.toString();
  return `${base}${full}${query ? `?${query}` : ''}`;
}

export function sameView(a: View, b: View): boolean {
  return formatUrl(a) === formatUrl(b);
}

/** The top-level section a page belongs to, for the navigation's current item. */
export function sectionOf(page: Page): 'photos' | 'people' | 'explore' | 'places' | 'duplicates' {
  switch (page.kind) {
    case 'people':
    case 'person':
    case 'facemap':
      return 'people';
    case 'explore':
      return 'explore';
    case 'places':
    case 'place':
      return 'places';
    case 'duplicates':
      return 'duplicates';
    default:
      return 'photos';
  }
}
