import { formatUrl, parseUrl, HOME, type Page, type View } from './route';

/** The parts of `window` the navigation uses, so tests can hand it a fake. */
export interface HistoryHost {
  location: { pathname: string; search: string };
  history: { pushState(data: unknown, unused: string, url: string): void; replaceState(data: unknown, unused: string, url: string): void; back(): void; readonly state: unknown };
  addEventListener(type: 'popstate' | 'pagehide', listener: () => void): void;
  removeEventListener(type: 'popstate' | 'pagehide', listener: () => void): void;
}

/** A history write not made yet: the address follows the view a moment later. */
interface PendingEntry {
  url: string;
  how: 'push' | 'replace';
  state: unknown;
}

/** Marks a history entry that opened a photo over the page before it: closing it goes back rather than forward. */
interface EntryState {
  shoeboxPhoto?: true;
}

/**
 * The view and its URL. Every change goes through here, so the address bar, Back/Forward, reloads and shared links
 * all show the same thing. Rules: going to another page pushes an entry; opening a photo pushes one, stepping to
 * the next photo replaces it and closing it goes back; typing a search pushes once (when the box stops being
 * empty) and replaces after that, so one Back clears the search.
 *
 * The view changes at once; the history entry is written in a task of its own just after: pushState and
 * replaceState can block the page for tens of ms, which a search's results should not wait for, and a burst of
 * typing then makes one write.
 */
export class Navigation {
  // Page and photo apart: the grid's results depend on the page only, so stepping through photos recomputes nothing.
  #page = $state.raw<Page>(HOME.page);
  #photo = $state<number | null>(null);
  #pending: PendingEntry | null = null;
  /** Closing a photo went back in history and the popstate has not come yet: writes wait for it. */
  #closing = false;
  private readonly onPop = () => {
    if (this.#closing) {
      // Our own step back: the view is already the page, with whatever was typed since; write that now.
      this.#closing = false;
      this.flush();
      return;
    }
    // Back or Forward moved off the entry a pending write was for.
    this.#pending = null;
    this.view = this.read();
  };
  private readonly onHide = () => this.flush();

  constructor(
    private readonly host: HistoryHost = window,
    // Typed loosely: unit tests compile this without Vite's client types.
    private readonly base: string = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/',
    private readonly later: (write: () => void) => void = (write) => setTimeout(write, 0),
  ) {
    this.view = this.read();
    host.addEventListener('popstate', this.onPop);
    host.addEventListener('pagehide', this.onHide);
  }

  dispose(): void {
    this.flush();
    this.host.removeEventListener('popstate', this.onPop);
    this.host.removeEventListener('pagehide', this.onHide);
  }

  /** Writes the pending history entry now (before a reload, or before reading the current entry). */
  flush(): void {
    const p = this.#pending;
    if (!p || this.#closing) return;
    this.#pending = null;
    if (p.how === 'push') this.host.history.pushState(p.state, '', p.url);
    else this.host.history.replaceState(p.state, '', p.url);
  }

  /** The current entry's state, with any pending write made first. */
  private get entryState(): EntryState | null {
    this.flush();
    return this.host.history.state as EntryState | null;
  }

  get view(): View {
    return { page: this.#page, photo: this.#photo };
  }

  set view(view: View) {
    // An equal page (Back from a photo) keeps its object, so nothing derived from it runs again.
    if (JSON.stringify(view.page) !== JSON.stringify(this.#page)) this.#page = view.page;
    this.#photo = view.photo;
  }

  get page(): Page {
    return this.#page;
  }

  /** The photo open over the page, if any. */
  get photo(): number | null {
    return this.#photo;
  }

  /** The URL of a view, for links (so a middle click opens it in a new tab). */
  href(page: Page, photo: number | null = null): string {
    return formatUrl({ page, photo }, this.base, this.host.location.search);
  }

  /** A link's click: goes there in this page, unless a modifier asks the browser for a new tab or window. */
  follow(e: MouseEvent, page: Page, photo: number | null = null): void {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (photo !== null && photo !== undefined) {
      if (page !== this.#page) this.go(page);
      this.openPhoto(photo);
    } else this.go(page);
  }

  go(page: Page, { replace = false } = {}): void {
    this.set({ page, photo: null }, replace ? 'replace' : 'push');
  }

  /** The search box's text: a search is a photos page with a query. */
  search(q: string): void {
    const page = this.view.page;
    const wasSearch = page.kind === 'photos' && page.q.trim() !== '';
    const isSearch = q.trim() !== '';
    const replace = page.kind === 'photos' && this.view.photo === null && wasSearch === isSearch;
    this.set({ page: { kind: 'photos', q }, photo: null }, replace ? 'replace' : 'push');
  }

  openPhoto(id: number): void {
    if (this.view.photo === id) return;
    const stepping = this.view.photo !== null;
    this.set({ page: this.view.page, photo: id }, stepping ? 'replace' : 'push', stepping ? this.entryState : { shoeboxPhoto: true });
  }

  closePhoto(): void {
    if (this.view.photo === null) return;
    const opened = this.entryState?.shoeboxPhoto;
    this.view = { page: this.view.page, photo: null };
    // The address shows the page at once (a reload right after closing must not reopen the photo). A photo opened
    // here then goes back to the page's own entry, so Back does not show the page twice; a shared link to a photo
    // has no page before it, so its entry becomes the page.
    this.host.history.replaceState(null, '', formatUrl(this.view, this.base, this.host.location.search));
    if (opened) {
      this.#closing = true;
      this.host.history.back();
    }
  }

  /** A change of the page's own state (the face threshold slider) that is not worth a Back step. */
  update(page: Page): void {
    this.set({ page, photo: this.view.photo }, 'replace', this.entryState);
  }

  private read(): View {
    return parseUrl(this.host.location.pathname, this.host.location.search, this.base);
  }

  private set(view: View, how: 'push' | 'replace', state: unknown = null): void {
    const url = formatUrl(view, this.base, this.host.location.search);
    this.view = view;
    const shown = this.#pending?.url ?? `${this.host.location.pathname}${this.host.location.search}`;
    if (how === 'push' && url === shown) how = 'replace';
    // Two pushes make two entries: the first is written now. A replace rewrites whatever is pending.
    if (how === 'push') this.flush();
    if (this.#pending) {
      this.#pending.url = url;
      this.#pending.state = state;
      return;
    }
    this.#pending = { url, how, state };
    if (!this.#closing) this.later(() => this.flush());
  }
}
