import { openLibraryDb, getMeta, setMeta, type LibraryDb } from '../library/db';
import { EnginePool, defaultPoolSize } from '../library/enginePool';
import { SearchIndex } from '../library/searchIndex';
import { FaceIndex } from '../library/faceIndex';
import { Indexer, IDLE, type IndexProgress } from '../library/indexer';
import { entriesFromDirectoryHandle, entriesFromFileList } from '../library/folderSource';
import { runQuery, type QueryContext } from '../library/queryParser';
import type { CommittedPhoto } from '../library/writer';
import { TabSync, type TabMessage } from '../library/tabSync';
import { termsForClass, labelName } from '../engine/labels';
import { FACE_MATCH_THRESHOLD } from '../engine/types';
import type { BackendName } from '../engine/backend';
import type { InitResult } from '../worker/api';
import type { FaceRecord, PhotoRecord, SourceEntry } from '../library/types';

export interface ResultItem {
  id: number;
  path: string;
  /** Why it matched: "tabby 71%", or a face distance. */
  why: string | null;
  distance?: number;
}

export interface FaceSearch {
  faceId: number;
  photoId: number;
  threshold: number;
}

type PermissionedHandle = FileSystemDirectoryHandle & {
  queryPermission?(d: { mode: string }): Promise<PermissionState>;
  requestPermission?(d: { mode: string }): Promise<PermissionState>;
};

type Original = { kind: 'file'; file: File } | { kind: 'handle'; dir: FileSystemDirectoryHandle };

const base = new URL(import.meta.env.BASE_URL, location.href).href;
const MAX_THUMB_URLS = 3000;
/** Labels the classifier gives less than this are noise, not a reason to show a photo. */
const MIN_LABEL_SCORE = 0.03;

/** The app's state: the library (IndexedDB + in-memory indexes), the engine pool, indexing and search. */
export class Library {
  db: LibraryDb | null = null;
  pool: EnginePool;
  search = $state<SearchIndex | null>(null);
  faces = $state<FaceIndex | null>(null);
  /** Bumped on every change of the indexes, so $derived reads recompute. */
  version = $state(0);
  engine = $state<InitResult | null>(null);
  engineError = $state<string | null>(null);
  progress = $state<IndexProgress>({ ...IDLE });
  folderName = $state<string | null>(null);
  /** A folder handle from an earlier visit, waiting for the user's click to ask for permission again. */
  reopenHandle = $state<FileSystemDirectoryHandle | null>(null);
  /** Whether this visit may read the kept folder; browsers usually forget the grant between visits. */
  folderPermission = $state<PermissionState | null>(null);
  query = $state('');
  faceSearch = $state<FaceSearch | null>(null);
  selectedId = $state<number | null>(null);
  error = $state<string | null>(null);
  /** Another tab is indexing this library: its progress (null until its first report), followed live. */
  otherTab = $state<{ progress: IndexProgress | null; folderName: string | null } | null>(null);
  /** Photos an earlier visit queued but did not finish (a closed tab, a full disk): offered as a resume. */
  leftToIndex = $state(0);

  private indexer: Indexer | null = null;
  private original: Original | null = null;
  private files = new Map<string, File>();
  private thumbUrls = new Map<number, Promise<string | null>>();
  private tabs = new TabSync((m) => void this.onTabMessage(m));

  constructor() {
    const params = new URLSearchParams(location.search);
    const backend = (params.get('backend') as BackendName | null) ?? undefined;
    const size = Number(params.get('workers')) || defaultPoolSize();
    this.pool = new EnginePool({ size, init: { backend, modelsUrl: `${base}models`, wasmUrl: `${base}wasm/`, threads: 1 } });
  }

  async init(): Promise<void> {
    this.db = await openLibraryDb();
    await this.load();
    const handle = await getMeta<FileSystemDirectoryHandle>(this.db, 'folderHandle');
    if (handle) {
      this.reopenHandle = handle;
      const h = handle as PermissionedHandle;
      this.folderPermission = h.queryPermission ? await h.queryPermission({ mode: 'read' }).catch(() => 'prompt' as const) : 'granted';
    }
    if (await this.tabs.indexingSomewhere()) this.followOtherTab(null, this.folderName);
    else this.leftToIndex = await this.db.count('queue');
    this.startEngine();
  }

  /** (Re)builds the in-memory indexes from IndexedDB. */
  async load(): Promise<void> {
    const [search, faces] = await Promise.all([SearchIndex.load(this.db!, termsForClass), FaceIndex.load(this.db!)]);
    this.search = search;
    this.faces = faces;
    this.thumbUrls.clear();
    this.folderName = (await getMeta<string>(this.db!, 'folderName')) ?? null;
    this.version++;
  }

  startEngine(): Promise<InitResult | null> {
    return this.pool.start().then(
      (info) => (this.engine = info),
      (err) => {
        this.engineError = `The photo engine could not start: ${err instanceof Error ? err.message : String(err)}`;
        return null;
      },
    );
  }

  get indexing(): boolean {
    return ['scanning', 'indexing', 'paused'].includes(this.progress.state);
  }

  // ── indexing ──────────────────────────────────────────────

  private onCommit = (committed: CommittedPhoto[]) => {
    for (const { photo, faces } of committed) {
      this.faces!.removePhoto(photo.id);
      this.search!.upsertPhoto(photo);
      for (const f of faces) this.faces!.add(f.id, photo.id, f.descriptor);
      this.thumbUrls.delete(photo.id);
    }
    this.version++;
    this.tabs.post({ type: 'commit', ids: committed.map((c) => c.photo.id) });
  };

  private onRemoved = (ids: number[]) => {
    this.dropPhotos(ids);
    this.tabs.post({ type: 'removed', ids });
  };

  private dropPhotos(ids: number[]) {
    for (const id of ids) {
      this.search!.removePhoto(id);
      this.faces!.removePhoto(id);
      this.thumbUrls.delete(id);
    }
    this.version++;
  }

  // ── other tabs ────────────────────────────────────────────

  private followOtherTab(progress: IndexProgress | null, folderName: string | null) {
    const first = !this.otherTab;
    this.otherTab = { progress, folderName };
    this.leftToIndex = 0;
    // The lock is freed when that tab finishes or is closed (even killed), whether or not it said goodbye.
    if (first) {
      void this.tabs.whenIndexingEnds().then(async () => {
        this.otherTab = null;
        if (this.db) this.leftToIndex = await this.db.count('queue');
      });
    }
  }

  private async onTabMessage(m: TabMessage) {
    if (!this.db || !this.search || !this.faces) return;
    if (m.type === 'progress') {
      if (m.folderName) this.folderName = m.folderName;
      if (['scanning', 'indexing', 'paused'].includes(m.progress.state)) this.followOtherTab(m.progress, m.folderName);
    } else if (m.type === 'commit') {
      // Read back from IndexedDB what that tab committed, so search here sees it at once.
      for (const id of m.ids) {
        const data = await this.photo(id);
        this.faces.removePhoto(id);
        this.thumbUrls.delete(id);
        if (!data) {
          this.search.removePhoto(id);
          continue;
        }
        this.search.upsertPhoto({ ...data.photo, id });
        for (const f of data.faces) this.faces.add(f.id, id, f.descriptor);
      }
      this.version++;
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
    this.reopenHandle = null;
    this.folderPermission = null;
    this.original = null;
    this.files.clear();
    this.faceSearch = null;
    this.progress = { ...IDLE };
    await this.load();
    this.leftToIndex = await this.db!.count('queue');
    this.tabs.post({ type: 'replaced' });
    return outcome.value;
  }

  async index(name: string, entries: SourceEntry[], original: Original | null): Promise<IndexProgress> {
    if (!this.db) await this.init();
    if (this.indexing) throw new Error('Indexing is already running');
    this.error = null;
    const outcome = await this.tabs.exclusive(async () => {
      this.original = original;
      this.folderName = name;
      this.otherTab = null;
      // Photos without a thumbnail can show their originals now.
      this.version++;
      await setMeta(this.db!, 'folderName', name);
      this.indexer = new Indexer(this.db!, this.pool, {
        onProgress: (p) => {
          this.progress = p;
          this.tabs.post({ type: 'progress', progress: p, folderName: name });
        },
        onCommit: this.onCommit,
        onRemoved: this.onRemoved,
      });
      if (!entries.length) {
        this.error = `No photos found in "${name}" (looked for JPEG, PNG, WebP, GIF, BMP, AVIF, HEIC).`;
      }
      const result = await this.indexer.run(entries);
      this.leftToIndex = 0;
      return result;
    });
    if (!outcome.ran) {
      this.progress = { ...IDLE };
      this.error = 'Another tab is indexing this library. Its photos appear here as they are done; try again when it has finished.';
      this.followOtherTab(this.otherTab?.progress ?? null, this.otherTab?.folderName ?? this.folderName);
      return this.progress;
    }
    return outcome.value;
  }

  /** `<input webkitdirectory>` path: a FileList of every file under the picked folder. */
  indexFileList(files: FileList | File[]): Promise<IndexProgress> {
    const list = Array.from(files);
    const name = list[0]?.webkitRelativePath.split('/')[0] || 'folder';
    const entries = entriesFromFileList(list);
    this.files = new Map(entries.map((e, i) => [e.path, list.find((f) => f.webkitRelativePath.endsWith(`/${e.path}`)) ?? list[i]]));
    return this.index(name, entries, null);
  }

  /** Directory-handle path: the handle is kept, so a later visit can reopen it with one click. */
  async indexHandle(dir: FileSystemDirectoryHandle): Promise<IndexProgress> {
    if (!this.db) await this.init();
    if (this.indexing) throw new Error('Indexing is already running');
    await setMeta(this.db!, 'folderHandle', dir);
    this.reopenHandle = null;
    this.folderPermission = 'granted';
    this.progress = { ...IDLE, state: 'scanning' };
    const entries: SourceEntry[] = [];
    try {
      for await (const e of entriesFromDirectoryHandle(dir)) entries.push(e);
    } finally {
      // index() starts from idle; a folder that cannot be read must not leave "Looking for photos…" behind.
      this.progress = { ...IDLE };
    }
    this.files.clear();
    return this.index(dir.name, entries, { kind: 'handle', dir });
  }

  async reopen(): Promise<IndexProgress | null> {
    const dir = this.reopenHandle;
    if (!dir) return null;
    const h = dir as PermissionedHandle;
    const state = h.requestPermission ? await h.requestPermission({ mode: 'read' }) : 'granted';
    this.folderPermission = state;
    if (state !== 'granted') {
      this.error = `Shoebox needs permission to read "${dir.name}" to update its index. The index stays searchable meanwhile.`;
      return null;
    }
    return this.indexHandle(dir);
  }

  async indexSample(): Promise<IndexProgress> {
    const names: string[] = await fetch(`${base}sample/sample.json`).then((r) => {
      if (!r.ok) throw new Error('The sample photos are not installed (run npm run models)');
      return r.json();
    });
    const files = await Promise.all(
      names.map(async (n) => new File([await (await fetch(`${base}sample/${encodeURIComponent(n)}`)).blob()], n, { lastModified: 1_700_000_000_000 })),
    );
    this.files = new Map(files.map((f) => [f.name, f]));
    const entries: SourceEntry[] = files.map((f) => ({ path: f.name, size: f.size, lastModified: f.lastModified, getFile: async () => f }));
    return this.index('Sample photos', entries, null);
  }

  pause() {
    this.indexer?.pause();
  }
  resume() {
    this.indexer?.resume();
  }
  cancel() {
    this.indexer?.cancel();
  }

  // ── reading ───────────────────────────────────────────────

  async photo(id: number): Promise<{ photo: PhotoRecord; faces: (FaceRecord & { id: number })[] } | null> {
    if (!this.db) return null;
    const photo = await this.db.get('photos', id);
    if (!photo) return null;
    const faces = (await this.db.getAllFromIndex('faces', 'photoId', id)) as (FaceRecord & { id: number })[];
    return { photo, faces };
  }

  /** The thumbnail's object URL, read lazily from IndexedDB so the grid never loads them all. */
  thumbUrl(id: number): Promise<string | null> {
    let url = this.thumbUrls.get(id);
    if (!url) {
      // An index imported without thumbnails shows the original instead, when this visit can read it.
      url = this.db!.get('photos', id).then(async (p) => {
        if (p?.thumb) return URL.createObjectURL(p.thumb);
        const file = p && !p.error ? await this.originalFile(p.path) : null;
        return file ? URL.createObjectURL(file) : null;
      });
      this.thumbUrls.set(id, url);
      // No picture yet: ask again next time (the folder may be open by then).
      const asked = url;
      void asked.then((u) => u === null && this.thumbUrls.get(id) === asked && this.thumbUrls.delete(id));
      if (this.thumbUrls.size > MAX_THUMB_URLS) {
        const [oldest, old] = this.thumbUrls.entries().next().value!;
        this.thumbUrls.delete(oldest);
        old.then((u) => u && URL.revokeObjectURL(u));
      }
    }
    return url;
  }

  /** The original file, when this session can still read it (a picked FileList, or a permitted handle). */
  async originalFile(path: string): Promise<File | null> {
    const f = this.files.get(path);
    if (f) return f;
    if (this.original?.kind === 'handle') {
      try {
        let dir = this.original.dir;
        const parts = path.split('/');
        for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p);
        return await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
      } catch {
        return null;
      }
    }
    return null;
  }

  // ── search ────────────────────────────────────────────────

  private queryContext(): QueryContext {
    const search = this.search!;
    return {
      allIds: () => search.allPhotos(),
      word: (term) => {
        const hits = search.searchWords(term).filter((h) => h.why.score >= MIN_LABEL_SCORE);
        if (!hits.length) return null;
        return new Map(hits.map((h) => [h.photoId, { score: h.score, why: `${h.why.term === labelName(h.why.classIndex).toLowerCase() ? labelName(h.why.classIndex) : `${h.why.term} (${labelName(h.why.classIndex)})`} ${Math.round(h.why.score * 100)}%` }]));
      },
      people: () => [],
      photosOf: () => [],
      peopleIn: () => [],
      meta: (id) => {
        const m = search.get(id);
        return m ? { takenAt: m.takenAt ?? m.lastModified, camera: m.camera, gps: m.gps, faceCount: m.faceCount, path: m.path } : null;
      },
    };
  }

  /** The grid's contents: a face search, a query, or every photo newest first. */
  results = $derived.by((): { items: ResultItem[]; messages: string[] } => {
    void this.version;
    const search = this.search;
    if (!search) return { items: [], messages: [] };
    const item = (id: number, why: string | null, distance?: number): ResultItem => ({ id, path: search.get(id)?.path ?? '', why, distance });
    if (this.faceSearch && this.faces) {
      const q = this.faces.descriptorOf(this.faceSearch.faceId);
      if (!q) return { items: [], messages: ['That face is no longer in the library'] };
      const best = new Map<number, number>();
      for (const hit of this.faces.search(q, this.faceSearch.threshold)) if (!best.has(hit.photoId)) best.set(hit.photoId, hit.distance);
      return { items: [...best].map(([id, d]) => item(id, `face distance ${d.toFixed(2)}`, d)), messages: [] };
    }
    const text = this.query.trim();
    if (!text) return { items: search.allPhotos().map((id) => item(id, null)), messages: [] };
    const r = runQuery(text, this.queryContext());
    return { items: r.ranked.map((id) => item(id, r.why.get(id) ?? null)), messages: r.messages };
  });

  counts = $derived.by(() => {
    void this.version;
    return this.search?.counts ?? { photos: 0, faces: 0, skipped: 0 };
  });

  skipped = $derived.by(() => {
    void this.version;
    return this.search?.skipped() ?? [];
  });

  findFace(faceId: number, photoId: number) {
    this.faceSearch = { faceId, photoId, threshold: FACE_MATCH_THRESHOLD };
    this.selectedId = null;
  }

  clearFaceSearch() {
    this.faceSearch = null;
  }
}
