import { describe, expect, it } from 'vitest';
import { formatUrl, parseUrl, HOME, type Page, type View } from '../../src/ui/route';
import { Navigation, type HistoryHost } from '../../src/ui/navigation.svelte';
import { APP_ROUTES, appShellPattern } from '../../src/sw/routes';

/** A browser history in memory: entries, an index, and popstate on back/forward. */
class FakeHistory implements HistoryHost {
  entries: { url: string; state: unknown }[];
  index = 0;
  private listeners: (() => void)[] = [];
  constructor(url = '/') {
    this.entries = [{ url, state: null }];
  }
  get location() {
    const u = new URL(this.entries[this.index].url, 'http://x');
    return { pathname: u.pathname, search: u.search };
  }
  get url() {
    return this.entries[this.index].url;
  }
  history = {
    pushState: (state: unknown, _: string, url: string) => {
      this.entries = this.entries.slice(0, this.index + 1);
      this.entries.push({ url, state });
      this.index++;
    },
    replaceState: (state: unknown, _: string, url: string) => void (this.entries[this.index] = { url, state }),
    back: () => this.move(-1),
    get state() {
      return null as unknown;
    },
  };
  move(delta: number) {
    this.index += delta;
    for (const l of this.listeners) l();
  }
  private hideListeners: (() => void)[] = [];
  addEventListener(type: 'popstate' | 'pagehide', l: () => void) {
    (type === 'popstate' ? this.listeners : this.hideListeners).push(l);
  }
  removeEventListener(_: 'popstate' | 'pagehide', l: () => void) {
    this.listeners = this.listeners.filter((x) => x !== l);
  }
  hide() {
    for (const l of this.hideListeners) l();
  }
}

/** Writes history at once, as the browser did before writes moved after the results. */
const now = (write: () => void) => write();

function fake(url = '/'): FakeHistory {
  const h = new FakeHistory(url);
  Object.defineProperty(h.history, 'state', { get: () => h.entries[h.index].state });
  return h;
}

const pages: Page[] = [
  { kind: 'photos', q: '' },
  { kind: 'photos', q: 'dog -cat year:2019' },
  { kind: 'person-photos', personId: 12 },
  { kind: 'face', faceId: 7, threshold: 0.45 },
  { kind: 'similar', photoId: 3 },
  { kind: 'people' },
  { kind: 'person', personId: 12 },
  { kind: 'facemap' },
  { kind: 'explore' },
  { kind: 'duplicates' },
  { kind: 'places' },
  { kind: 'place', name: 'St. Ives / Cornwall' },
];

describe('route', () => {
  it('parses the URLs people type and share', () => {
    expect(parseUrl('/', '')).toEqual(HOME);
    expect(parseUrl('/', '?q=dog')).toEqual({ page: { kind: 'photos', q: 'dog' }, photo: null });
    expect(parseUrl('/people/12', '')).toEqual({ page: { kind: 'person', personId: 12 }, photo: null });
    expect(parseUrl('/photo/345', '')).toEqual({ page: { kind: 'photos', q: '' }, photo: 345 });
    expect(parseUrl('/photo/345', '?q=dog')).toEqual({ page: { kind: 'photos', q: 'dog' }, photo: 345 });
    expect(parseUrl('/explore', '')).toEqual({ page: { kind: 'explore' }, photo: null });
    expect(parseUrl('/duplicates', '?backend=wasm')).toEqual({ page: { kind: 'duplicates' }, photo: null });
  });

  it('formats and parses back every page, with and without a photo over it', () => {
    for (const page of pages) {
      for (const photo of [null, 345]) {
        const view: View = { page, photo };
        const url = new URL(formatUrl(view), 'http://x');
        expect(parseUrl(url.pathname, url.search)).toEqual(view);
      }
    }
  });

  it('keeps the parameters it does not own, and drops its own stale ones', () => {
    expect(formatUrl({ page: { kind: 'photos', q: 'cat' }, photo: null }, '/', '?backend=wasm&q=dog')).toBe('/?backend=wasm&q=cat');
    expect(formatUrl({ page: { kind: 'people' }, photo: null }, '/', '?q=dog&workers=2')).toBe('/people?workers=2');
    expect(formatUrl({ page: { kind: 'person', personId: 4 }, photo: 9 }, '/')).toBe('/photo/9?from=people%2F4');
  });

  it('works under a base path', () => {
    expect(formatUrl({ page: { kind: 'explore' }, photo: null }, '/shoebox/')).toBe('/shoebox/explore');
    expect(parseUrl('/shoebox/people/3', '', '/shoebox/')).toEqual({ page: { kind: 'person', personId: 3 }, photo: null });
  });

  it('treats unknown or malformed paths as the photos', () => {
    expect(parseUrl('/nowhere', '').page).toEqual({ kind: 'photos', q: '' });
    expect(parseUrl('/people/abc', '').page).toEqual({ kind: 'photos', q: '' });
    expect(parseUrl('/face/1', '').page).toMatchObject({ kind: 'face', faceId: 1, threshold: NaN });
  });

  it('the service worker serves the app shell for every route, and only for those', () => {
    const shell = appShellPattern('/');
    for (const page of pages) for (const photo of [null, 1]) expect(formatUrl({ page, photo })).toMatch(shell);
    expect('/index.html').toMatch(shell);
    for (const other of ['/models/models.json', '/sample/a.jpg', '/bench/library.html', '/photos.zip']) expect(other).not.toMatch(shell);
    expect(APP_ROUTES).toContain('photo');
  });
});

describe('Navigation', () => {
  it('reads the view from the URL it starts on', () => {
    expect(new Navigation(fake('/photo/5?q=dog'), '/', now).view).toEqual({ page: { kind: 'photos', q: 'dog' }, photo: 5 });
  });

  it('search, open a photo, Back closes it, Back clears the search, Forward restores both', () => {
    const h = fake('/?backend=wasm');
    const nav = new Navigation(h, '/', now);
    nav.search('d');
    nav.search('do');
    nav.search('dog');
    expect(h.url).toBe('/?backend=wasm&q=dog');
    nav.openPhoto(7);
    expect(h.url).toBe('/photo/7?backend=wasm&q=dog');
    nav.openPhoto(8); // the arrow keys step without adding entries
    expect(h.entries.length).toBe(3);
    h.move(-1);
    expect(nav.view).toEqual({ page: { kind: 'photos', q: 'dog' }, photo: null });
    h.move(-1);
    expect(nav.view).toEqual(HOME);
    h.move(1);
    h.move(1);
    expect(nav.view).toEqual({ page: { kind: 'photos', q: 'dog' }, photo: 8 });
  });

  it('closing a photo opened here goes back; closing one from a shared link stays on its page', () => {
    const h = fake('/');
    const nav = new Navigation(h, '/', now);
    nav.openPhoto(3);
    nav.closePhoto();
    expect(h.index).toBe(0);
    expect(nav.view).toEqual(HOME);

    const shared = fake('/photo/3?q=cat');
    const nav2 = new Navigation(shared, '/', now);
    nav2.closePhoto();
    expect(shared.entries.map((e) => e.url)).toEqual(['/?q=cat']);
    expect(nav2.view).toEqual({ page: { kind: 'photos', q: 'cat' }, photo: null });
  });

  it('pages push entries; a page state change replaces; the same URL is not pushed twice', () => {
    const h = fake('/');
    const nav = new Navigation(h, '/', now);
    nav.go({ kind: 'people' });
    nav.go({ kind: 'people' });
    nav.go({ kind: 'face', faceId: 2, threshold: 0.5 });
    nav.update({ kind: 'face', faceId: 2, threshold: 0.42 });
    expect(h.entries.map((e) => e.url)).toEqual(['/', '/people', '/face/2?t=0.42']);
  });

  it('typing in the search box on another page goes to the photos', () => {
    const h = fake('/explore');
    const nav = new Navigation(h, '/', now);
    nav.search('c');
    expect(h.entries.map((e) => e.url)).toEqual(['/explore', '/?q=c']);
    nav.search('');
    expect(h.entries.map((e) => e.url)).toEqual(['/explore', '/?q=c', '/']);
  });

  describe('writes the address after the view changes', () => {
    /** A task queue run by hand: the writes the page would make in its next task. */
    function later() {
      const queue: (() => void)[] = [];
      return { schedule: (w: () => void) => void queue.push(w), run: () => queue.splice(0).forEach((w) => w()) };
    }

    it('a burst of typing changes the view at once and makes one history write', () => {
      const h = fake('/');
      const tasks = later();
      const nav = new Navigation(h, '/', tasks.schedule);
      const writes: string[] = [];
      const { pushState, replaceState } = h.history;
      h.history.pushState = (s, u, url) => (writes.push(`push ${url}`), pushState(s, u, url));
      h.history.replaceState = (s, u, url) => (writes.push(`replace ${url}`), replaceState(s, u, url));
      nav.search('d');
      nav.search('do');
      nav.search('dog');
      expect(nav.view).toEqual({ page: { kind: 'photos', q: 'dog' }, photo: null });
      expect(writes).toEqual([]);
      tasks.run();
      expect(writes).toEqual(['push /?q=dog']);
      expect(h.entries.map((e) => e.url)).toEqual(['/', '/?q=dog']);
    });

    it('two pushes before the write still make two entries, and Back then works as before', () => {
      const h = fake('/');
      const tasks = later();
      const nav = new Navigation(h, '/', tasks.schedule);
      nav.search('cat');
      nav.openPhoto(4);
      tasks.run();
      expect(h.entries.map((e) => e.url)).toEqual(['/', '/?q=cat', '/photo/4?q=cat']);
      nav.closePhoto();
      expect(h.index).toBe(1);
      expect(nav.view).toEqual({ page: { kind: 'photos', q: 'cat' }, photo: null });
    });

    it('closing a photo before its entry was written still goes back to the page', () => {
      const h = fake('/?q=cat');
      const nav = new Navigation(h, '/', later().schedule);
      nav.openPhoto(4);
      nav.closePhoto();
      expect(h.entries.map((e) => e.url)).toEqual(['/?q=cat', '/?q=cat']);
      expect(h.index).toBe(0);
      expect(nav.view).toEqual({ page: { kind: 'photos', q: 'cat' }, photo: null });
    });

    it('Back before the write drops it, so it never lands on another entry', () => {
      const h = fake('/people');
      const tasks = later();
      const nav = new Navigation(h, '/', tasks.schedule);
      nav.go({ kind: 'explore' });
      tasks.run();
      nav.search('dog');
      h.move(-1);
      tasks.run();
      expect(h.entries.map((e) => e.url)).toEqual(['/people', '/explore']);
      expect(nav.view).toEqual({ page: { kind: 'people' }, photo: null });
    });

    it('leaving the page writes what is pending', () => {
      const h = fake('/');
      const nav = new Navigation(h, '/', later().schedule);
      nav.search('beach');
      h.hide();
      expect(h.url).toBe('/?q=beach');
    });

    it('typing right after closing a photo keeps what was typed when the step back lands', () => {
      const h = fake('/?q=cat');
      const tasks = later();
      const nav = new Navigation(h, '/', tasks.schedule);
      nav.openPhoto(4);
      tasks.run();
      // The browser's Back is asynchronous: its popstate comes in a later task.
      h.history.back = () => tasks.schedule(() => h.move(-1));
      nav.closePhoto();
      nav.search('cats');
      tasks.run();
      expect(nav.view).toEqual({ page: { kind: 'photos', q: 'cats' }, photo: null });
      expect(h.url).toBe('/?q=cats');
      expect(h.index).toBe(0);
    });
  });
});
