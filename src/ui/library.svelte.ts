import { readThumb, setMeta, type LibraryDb } from '../library/store/db';
import { EnginePool, defaultPoolSize } from '../library/indexing/enginePool';
import type { SearchIndex } from '../library/search/searchIndex';
import type { FaceIndex } from '../library/people/faceIndex';
import type { SimilarIndex } from '../library/search/similarIndex';
import { Settings } from './settings.svelte';
import type { IndexProgress } from '../library/indexing/indexer';
import type { RunLog } from '../library/indexing/runLog';
import { Indexing } from './indexing.svelte';
import { entriesFromDirectoryHandle, entriesFromFileList } from '../library/indexing/folderSource';
import { warmUpSteps } from '../library/search/libraryQuery';
import type { ResultList } from './resultList';
import type { People } from '../library/people/people';
import type { CommittedPhoto } from '../library/store/writer';
import { TabSync, type TabMessage } from '../library/store/tabSync';
import { FACE_MATCH_THRESHOLD } from '../engine/types';
import type { BackendName } from '../engine/backend';
import type { InitResult } from '../worker/api';
import type { FaceRecord, PhotoRecord, SourceEntry } from '../library/types';
import type { Generations } from '../library/store/generations';
import { Places } from './places.svelte';
import { Navigation } from './navigation.svelte';
import { Thumbnails } from './thumbnails';
import { LibraryIndexes } from './libraryIndexes.svelte';
import { PhotoFolder, type Original } from './photoFolder.svelte';
import { fetchSamplePhotos } from './samplePhotos';
import { PhotoResults, type FaceSearch, type PersonSearch } from './photoResults.svelte';

export type { ResultItem } from './resultList';
export type { FaceSearch, PersonSearch } from './photoResults.svelte';

const base = new URL(import.meta.env.BASE_URL, location.href).href;
/** How long faces and embeddings wait for the grid's first thumbnail before loading anyway. */
const GRID_SHOWN_WAIT_MS = 1000;
/**
 * The app's state, composed of small managers: the loaded library (libraryIndexes), the photo folder
 * (photoFolder), thumbnails, the view (navigation), places and settings; plus the engine pool, indexing and search.
 * Views read through it; changes go through its (or its managers') methods.
 */
export class Library {
  pool = $state.raw<EnginePool>(null as unknown as EnginePool);
  engine = $state<InitResult | null>(null);
  /** The engine's workers are loading their models. */
  engineStarting = $state(false);
  engineError = $state<string | null>(null);
  /** Library loading: the IndexedDB library and the in-memory indexes built from it. */
  readonly indexes = new LibraryIndexes({
    busy: () => this.indexing || this.otherTab !== null,
    onError: (message) => (this.error = message),
    onPhotosLoaded: () => this.thumbs.forgetAll(),
    gridShown: () => this.gridShown(),
  });
  /** The folder: the handle kept for the next visit, its permission, and the originals this visit can read. */
  readonly folder = new PhotoFolder();
  settings = new Settings();
  /** What is on screen, kept in the URL. */
  readonly nav = new Navigation();
  error = $state<string | null>(null);
  /** Another tab is indexing this library: its progress (null until its first report), followed live. */
  otherTab = $state<{ progress: IndexProgress | null; folderName: string | null } | null>(null);
  /** This tab's indexing runs (indexing.svelte.ts). */
  readonly runs: Indexing;
  /** Places: names photos' GPS offline (places.svelte.ts). */
  readonly places = new Places(this, `${base}places/places.bin`);
  /** The grid's contents for the page on screen, derived from the URL and the indexes. */
  private readonly photoResults = new PhotoResults(() => this.nav.page, this.indexes);

  /** Shows an error to the user (a cancelled picker is not one); `prefix` says what failed. */
  report(err: unknown, prefix = ''): void {
    const e = err as Error | null;
    if (e?.name === 'AbortError') return;
    this.error = `${prefix}${e?.message ?? String(err)}`;
  }

  clearError(): void {
    this.error = null;
  }

  get db(): LibraryDb | null {
    return this.indexes.db;
  }
  get search(): SearchIndex | null {
    return this.indexes.search;
  }
  get faces(): FaceIndex | null {
    return this.indexes.faces;
  }
  get people(): People | null {
    return this.indexes.people;
  }
  get similar(): SimilarIndex | null {
    return this.indexes.similar;
  }
  get version(): number {
    return this.indexes.version;
  }
  get folderName(): string | null {
    return this.indexes.folderName;
  }
  get reopenHandle(): FileSystemDirectoryHandle | null {
    return this.folder.reopenHandle;
  }
  get folderPermission(): PermissionState | null {
    return this.folder.permission;
  }

  /** The search box's text (empty on pages other than the photos). */
  get query(): string {
    return this.photoResults.query;
  }
  get faceSearch(): FaceSearch | null {
    return this.photoResults.faceSearch;
  }
  /** "More like this": the photo whose nearest photos the grid shows. */
  get similarTo(): number | null {
    return this.photoResults.similarTo;
  }
  get personSearch(): PersonSearch | null {
    return this.photoResults.personSearch;
  }
  /** The grid's contents (photoResults.svelte.ts). */
  get results(): { items: ResultList; messages: string[] } {
    return this.photoResults.results;
  }
  get counts(): { photos: number; faces: number; skipped: number } {
    return this.photoResults.counts;
  }
  get skipped() {
    return this.photoResults.skipped;
  }
  /** How many photos a query finds and its best photo: Explore's rows, without changing the view. */
  preview(text: string): { count: number; cover: number | undefined } {
    return this.photoResults.preview(text);
  }

  /** The photo open in the photo view. */
  get selectedId(): number | null {
    return this.nav.photo;
  }

  /** Timings of the latest run: totals, and the latest photos one by one (read by the benchmark). */
  get lastRun(): RunLog {
    return this.runs.lastRun;
  }
  /** The grid's thumbnails as object URLs, read in batches. */
  private thumbs = new Thumbnails({
    read: async (ids) => {
      const tx = this.db!.transaction(['thumbs', 'photos']);
      const stores = { thumbs: tx.objectStore('thumbs'), photos: tx.objectStore('photos') };
      return Promise.all(ids.map((id) => readThumb(stores, id)));
    },
    original: async (id) => {
      const p = this.search?.get(id);
      return p && p.error == null ? this.originalFile(p.path) : null;
    },
  });
  private tabs = new TabSync((m) => void this.onTabMessage(m));

  private params = new URLSearchParams(location.search);

  constructor() {
    const backend = (this.params.get('backend') as BackendName | null) ?? undefined;
    const size = Number(this.params.get('workers')) || defaultPoolSize();
    this.pool = new EnginePool({
      size,
      init: { backend, modelsUrl: `${base}models`, wasmUrl: `${base}wasm/`, threads: 1 },
      onStart: (ready) => {
        this.engineStarting = true;
        ready.then(
          (info) => (this.engine = info),
          (err) => (this.engineError = `The photo engine could not start: ${err instanceof Error ? err.message : String(err)}`),
        ).finally(() => (this.engineStarting = false));
      },
    });
    // ?staged=off: the benchmark's one-pass run, every model on each photo in one go.
    const staged = this.params.get('staged') !== 'off';
    this.runs = new Indexing(this.pool, { laterStages: () => (staged ? this.pool.enabledLaterStages() : null), place: () => this.places.resolver() }); // Places hook
  }

  /** Accurate (SSD) or fast (TinyFaceDetector) face detection, for photos indexed from now on. */
  async setFaceMode(mode: 'accurate' | 'fast'): Promise<void> {
    this.settings.faceMode = mode;
    await this.settings.save();
    const err = await this.pool.configure({ faceMode: mode });
    if (err) this.error = err;
  }

  private ready: Promise<void> | null = null;

  /** Opens the library once; every entry point awaits the same promise. */
  init(): Promise<void> {
    this.ready ??= this.open();
    return this.ready;
  }

  private async open(): Promise<void> {
    const db = await this.indexes.open();
    await this.settings.load(db);
    const faceMode = (this.params.get('faces') as 'accurate' | 'fast' | null) ?? this.settings.faceMode;
    const objectsParam = this.params.get('objects');
    const objects = objectsParam === null ? this.settings.objects : objectsParam !== 'off';
    const textParam = this.params.get('text');
    const text = textParam === null ? this.settings.text : textParam !== 'off';
    // ?embedding=off: the benchmark's labels-and-faces run, without the similar-photos embedding.
    const embedding = this.params.get('embedding') !== 'off';
    await this.pool.configure({ objects, text, faceMode, ...(embedding ? {} : { embedding }) });
    await this.load();
    await this.folder.restore(db);
    if (await this.tabs.indexingSomewhere()) this.followOtherTab(null, this.folderName);
    else await this.runs.countLeft(db);
    // The engine starts when something needs it (indexing, a dropped photo): a library opened to be searched would
    // otherwise have its workers compile WASM and load models on every core, under the first searches.
    const idle = globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 500));
    idle((first?: IdleDeadline) => {
      if (!this.search) return;
      const steps = [
        ...warmUpSteps(this.search, this.people),
        // Thousands of people: the People page's list and suggestion are ready before its first open.
        () => this.people?.list(),
        () => this.people?.suggestions(),
      ];
      const next = (deadline?: IdleDeadline) => {
        do steps.shift()!();
        while (steps.length && deadline && deadline.timeRemaining() > 10);
        if (steps.length) idle(next, { timeout: 1000 });
        else performance.mark('shoebox:search-ready');
      };
      next(first);
    }, { timeout: 5000 });
  }

  /** (Re)loads the indexes from IndexedDB (library loading: libraryIndexes.svelte.ts). */
  async load(): Promise<void> {
    await this.indexes.load();
    this.places.fillSoon(); // Places hook: photos with GPS and no place yet
  }

  /** Starts the engine's workers now (they otherwise start on first need); null if they could not start. */
  startEngine(): Promise<InitResult | null> {
    return this.pool.start().catch(() => null);
  }

  /** The current run's progress (this tab's). */
  get progress(): IndexProgress {
    return this.runs.progress;
  }

  /** Photos an earlier visit queued but did not finish (a closed tab, a full disk): offered as a resume. */
  get leftToIndex(): number {
    return this.runs.leftToIndex;
  }

  get indexing(): boolean {
    return this.runs.running;
  }

  // ── indexing ──────────────────────────────────────────────

  private onCommit = (committed: CommittedPhoto[], generations: Generations) => {
    // A first pass changes no faces or embedding (a changed photo keeps its older ones until its later pass).
    this.people?.commit(committed.filter((c) => c.pass !== 'first'));
    for (const { photo, faces, embedding, pass } of committed) {
      if (pass === 'first') {
        this.search!.upsertPhoto(photo);
        this.thumbs.forget(photo.id);
        continue;
      }
      if (embedding) this.similar!.set(photo.id, embedding);
      else this.similar!.remove(photo.id);
      this.faces!.removePhoto(photo.id);
      this.search!.upsertPhoto(photo);
      for (const f of faces) this.faces!.add(f.id, photo.id, f.descriptor);
      this.thumbs.forget(photo.id);
    }
    this.indexes.changed();
    this.indexes.applied(generations);
    this.tabs.post({ type: 'commit', ids: committed.map((c) => c.photo.id) });
  };

  /** Places hook: photo records rewritten outside indexing (their places named); indexes, snapshots and tabs follow. */
  applyRewritten(records: (PhotoRecord & { id: number })[], generations: Generations) {
    for (const r of records) this.search?.upsertPhoto(r);
    this.indexes.changed();
    this.indexes.applied(generations);
    this.tabs.post({ type: 'commit', ids: records.map((r) => r.id) });
  }

  private onRemoved = (ids: number[], generations: Generations) => {
    this.dropPhotos(ids);
    this.indexes.applied(generations);
    this.tabs.post({ type: 'removed', ids });
  };

  private dropPhotos(ids: number[]) {
    this.people?.removePhotos(ids);
    for (const id of ids) {
      this.similar!.remove(id);
      this.search!.removePhoto(id);
      this.faces!.removePhoto(id);
      this.thumbs.forget(id);
    }
    this.indexes.changed();
  }

  // ── other tabs ────────────────────────────────────────────

  private followOtherTab(progress: IndexProgress | null, folderName: string | null) {
    const first = !this.otherTab;
    this.otherTab = { progress, folderName };
    void this.runs.countLeft(this.db, true);
    // The lock is freed when that tab finishes or is closed (even killed), whether or not it said goodbye.
    if (first) {
      void this.tabs.whenIndexingEnds().then(async () => {
        this.otherTab = null;
        await this.runs.countLeft(this.db);
      });
    }
  }

  private async onTabMessage(m: TabMessage) {
    // Messages that arrive while this tab is still loading (faces load after the grid) wait, rather than get lost.
    await this.init();
    if (!this.db || !this.search || !this.faces) return;
    if (m.type === 'progress') {
      if (m.folderName) this.indexes.setFolderName(m.folderName);
      if (['scanning', 'indexing', 'paused'].includes(m.progress.state)) this.followOtherTab(m.progress, m.folderName);
    } else if (m.type === 'commit') {
      // Read back from IndexedDB what that tab committed, so search here sees it at once.
      for (const id of m.ids) {
        const data = await this.photo(id);
        this.faces.removePhoto(id);
        this.thumbs.forget(id);
        if (!data) {
          this.search.removePhoto(id);
          continue;
        }
        this.search.upsertPhoto({ ...data.photo, id });
        for (const f of data.faces) this.faces.add(f.id, id, f.descriptor);
      }
      this.indexes.changed();
    } else if (m.type === 'removed') {
      this.dropPhotos(m.ids);
    } else if (m.type === 'replaced') {
      await this.load();
    }
  }

  /**
   * Changes the whole library (an import) while no tab indexes, then reloads the indexes here and in the
   * other tabs. The kept folder belongs to the old index, so it is forgotten.
   */
  async replaceLibrary<T>(change: (db: LibraryDb) => Promise<T>): Promise<T> {
    if (!this.db) await this.init();
    if (this.indexing) throw new Error('Wait until indexing has finished.');
    const outcome = await this.tabs.exclusive(() => change(this.db!));
    if (!outcome.ran) throw new Error('Another tab is indexing this library; try again when it has finished.');
    this.folder.forget();
    if (this.nav.page.kind !== 'photos') this.nav.go({ kind: 'photos', q: '' }, { replace: true });
    this.runs.reset();
    await this.load();
    await this.runs.countLeft(this.db);
    this.tabs.post({ type: 'replaced' });
    return outcome.value;
  }

  async index(name: string, entries: SourceEntry[], original: Original | null): Promise<IndexProgress> {
    await this.init();
    this.error = null;
    const outcome = await this.tabs.exclusive(async () => {
      this.folder.use(original);
      this.indexes.setFolderName(name);
      this.otherTab = null;
      // Photos without a thumbnail can show their originals now.
      this.indexes.changed();
      await setMeta(this.db!, 'folderName', name);
      if (!entries.length) {
        this.error = `No photos found in "${name}" (looked for JPEG, PNG, WebP, GIF, BMP, AVIF, HEIC).`;
      }
      const result = await this.runs.run(this.db!, entries, {
        onProgress: (p) => this.tabs.post({ type: 'progress', progress: p, folderName: name }),
        onCommit: this.onCommit,
        onRemoved: this.onRemoved,
      });
      return result;
    }).finally(() => {
      this.places.fillSoon(); // Places hook: photos written before the place data had loaded
    });
    if (!outcome.ran) {
      this.runs.reset();
      this.error = 'Another tab is indexing this library. Its photos appear here as they are done; try again when it has finished.';
      this.followOtherTab(this.otherTab?.progress ?? null, this.otherTab?.folderName ?? this.folderName);
      return this.progress;
    }
    return outcome.value;
  }

  /** `<input webkitdirectory>` path: a FileList of every file under the picked folder. */
  indexFileList(files: FileList | File[]): Promise<IndexProgress> {
    if (this.indexing) return Promise.reject(new Error('Indexing is already running'));
    const list = Array.from(files);
    const name = list[0]?.webkitRelativePath.split('/')[0] || 'folder';
    const entries = entriesFromFileList(list);
    const byPath = new Map(entries.map((e, i) => [e.path, list.find((f) => f.webkitRelativePath.endsWith(`/${e.path}`)) ?? list[i]]));
    return this.index(name, entries, { kind: 'files', files: byPath });
  }

  /** Directory-handle path: the handle is kept, so a later visit can reopen it with one click. */
  async indexHandle(dir: FileSystemDirectoryHandle): Promise<IndexProgress> {
    await this.init();
    if (this.indexing) throw new Error('Indexing is already running');
    await this.folder.keep(this.db!, dir);
    this.runs.scanning();
    const entries: SourceEntry[] = [];
    try {
      for await (const e of entriesFromDirectoryHandle(dir)) entries.push(e);
    } finally {
      // index() starts from idle; a folder that cannot be read must not leave "Looking for photos…" behind.
      this.runs.reset();
    }
    return this.index(dir.name, entries, { kind: 'handle', dir });
  }

  async reopen(): Promise<IndexProgress | null> {
    const name = this.reopenHandle?.name;
    const dir = await this.folder.requestPermission();
    if (!dir) {
      if (name !== undefined) this.error = `Shoebox needs permission to read "${name}" to update its index. The index stays searchable meanwhile.`;
      return null;
    }
    return this.indexHandle(dir);
  }

  async indexSample(): Promise<IndexProgress> {
    if (this.indexing) throw new Error('Indexing is already running');
    const { files, entries } = await fetchSamplePhotos(base);
    return this.index('Sample photos', entries, { kind: 'files', files });
  }

  pause() {
    this.runs.pause();
  }
  resume() {
    this.runs.resume();
  }
  cancel() {
    this.runs.cancel();
  }

  // ── reading ───────────────────────────────────────────────

  async photo(id: number): Promise<{ photo: PhotoRecord; faces: (FaceRecord & { id: number })[] } | null> {
    // A link to a photo opens the view before the library is open.
    if (!this.db) await this.init().catch(() => {});
    if (!this.db) return null;
    const tx = this.db.transaction(['photos', 'thumbs', 'faces']);
    const [photo, thumb, faces] = await Promise.all([
      tx.objectStore('photos').get(id),
      tx.objectStore('thumbs').get(id),
      tx.objectStore('faces').index('photoId').getAll(id) as Promise<(FaceRecord & { id: number })[]>,
    ]);
    if (!photo) return null;
    return { photo: { ...photo, thumb: thumb ?? photo.thumb ?? null }, faces };
  }

  /** A thumbnail was shown: the first one lets the faces and embeddings load (libraryIndexes.svelte.ts). */
  thumbShown(): void {
    this.showedFirstThumb();
  }

  private showedFirstThumb!: () => void;
  private readonly firstThumb = new Promise<void>((resolve) => (this.showedFirstThumb = resolve));

  /** Resolves once the grid shows a thumbnail, at once where it shows none, and after a second at most. */
  private gridShown(): Promise<void> {
    if (this.nav.page.kind !== 'photos' || !this.indexes.search?.counts.photos) return Promise.resolve();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, GRID_SHOWN_WAIT_MS)));
    return Promise.race([this.firstThumb, waited]).finally(() => clearTimeout(timer));
  }

  /** The thumbnail's object URL when it was already asked for (maybe still reading); never starts a read. */
  thumbUrlIfAsked(id: number): Promise<string | null> | undefined {
    return this.thumbs.ifAsked(id);
  }

  /** The thumbnail's object URL, read lazily from IndexedDB so the grid never loads them all. */
  thumbUrl(id: number): Promise<string | null> {
    return this.thumbs.url(id);
  }

  /** The original file, when this session can still read it (a picked FileList, or a permitted handle). */
  originalFile(path: string): Promise<File | null> {
    return this.folder.file(path);
  }

  // ── search ────────────────────────────────────────────────

  findFace(faceId: number) {
    this.nav.go({ kind: 'face', faceId, threshold: FACE_MATCH_THRESHOLD });
  }

  setFaceThreshold(threshold: number) {
    const p = this.nav.page;
    if (p.kind === 'face') this.nav.update({ ...p, threshold });
  }

  /** Back from a face, person or "more like this" view to every photo. */
  clearFaceSearch() {
    this.nav.go({ kind: 'photos', q: '' });
  }

  moreLikeThis(photoId: number) {
    this.nav.go({ kind: 'similar', photoId });
  }

  /** Objects on/off: applies to photos indexed from now on. */
  async setObjects(on: boolean): Promise<void> {
    this.settings.objects = on;
    await this.settings.save();
    const err = await this.pool.configure({ objects: on });
    if (this.engine) this.engine = { ...this.engine, objectsError: err };
  }

  /** Text in photos on/off: applies to photos indexed from now on. */
  async setText(on: boolean): Promise<void> {
    this.settings.text = on;
    await this.settings.save();
    const err = await this.pool.configure({ text: on });
    if (this.engine) this.engine = { ...this.engine, textError: on ? err : null };
  }

  showPerson(personId: number, why?: string) {
    this.nav.go({ kind: 'person-photos', personId, why });
  }
}
