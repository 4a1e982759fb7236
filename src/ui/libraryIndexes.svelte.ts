import { getMeta, openLibraryDb, type LibraryDb } from '../library/store/db';
import { SearchIndex } from '../library/search/searchIndex';
import { FaceIndex } from '../library/people/faceIndex';
import { SimilarIndex } from '../library/search/similarIndex';
import { People, readFaces } from '../library/people/people';
import type { Generations } from '../library/store/generations';
import { readAtGeneration, readFacesSnapshot, readGenerations, readPhotosSnapshot, unpackCatalog, type FacesSnapshot, type PackedFace } from '../library/store/snapshots';
import { SnapshotKeeper } from '../library/store/snapshotKeeper';

export interface IndexesHooks {
  /** Indexing here or in another tab: startup snapshots wait until it is quiet. */
  busy(): boolean;
  /** A failure the user should see (the people could not be saved). */
  onError(message: string): void;
  /** The photos are read (the grid can paint); called before faces and embeddings load. */
  onPhotosLoaded?(): void;
  /**
   * Resolves when faces and embeddings may load: once the grid shows its first thumbnails. At 100k photos their
   * reads and unpacking take hundreds of ms of the main thread, which the first paint should not wait behind.
   */
  gridShown?(): Promise<void>;
}

/**
 * Library loading: opens the IndexedDB library and (re)builds the in-memory indexes from it, from the startup
 * snapshots when they are current (a cold open) or from the records. `version` tells views when the indexes changed.
 */
export class LibraryIndexes {
  db: LibraryDb | null = null;
  search = $state<SearchIndex | null>(null);
  faces = $state<FaceIndex | null>(null);
  /** Raw: its maps change in place, and `version` tells views when. */
  people = $state.raw<People | null>(null);
  similar = $state<SimilarIndex | null>(null);
  /** Bumped on every change of the indexes, so $derived reads recompute. */
  version = $state(0);
  /** The name of the indexed folder (or "Sample photos"). */
  folderName = $state<string | null>(null);
  /** Writes the startup snapshots when the library is quiet; replaced on every load. */
  private snapshots: SnapshotKeeper | null = null;

  constructor(
    private readonly hooks: IndexesHooks,
    private readonly dbName = 'shoebox',
  ) {}

  async open(): Promise<LibraryDb> {
    this.db ??= await openLibraryDb(this.dbName);
    return this.db;
  }

  /** The indexes changed in place (a commit, a removal, another tab's photos): views recompute. */
  changed(): void {
    this.version++;
  }

  /** A change this tab committed and applied in memory: the snapshots fall behind it. */
  applied(generations: Generations): void {
    this.snapshots?.applied(generations);
  }

  setFolderName(name: string | null): void {
    this.folderName = name;
  }

  /**
   * (Re)builds the in-memory indexes from IndexedDB. The grid needs only the photos, so it paints first; faces,
   * people and embeddings load behind it.
   */
  async load(): Promise<void> {
    const db = await this.open();
    performance.mark('shoebox:db-open');
    // A current catalog snapshot loads in a fraction of the time of reading every photo record.
    const catalog = await readPhotosSnapshot(db, 'catalog');
    let photosGen: number | null = catalog.generation;
    if (catalog.snapshot) {
      performance.mark('shoebox:catalog-read');
      // Postings wait for the first search or the idle warm-up, so the grid paints first.
      this.search = SearchIndex.fromSnapshot(unpackCatalog(catalog.snapshot));
    } else {
      const read = await readAtGeneration(db, 'photos', catalog.generation, () => SearchIndex.load(db));
      this.search = read.value;
      photosGen = read.generation;
    }
    performance.mark('shoebox:photos-loaded');
    this.hooks.onPhotosLoaded?.();
    this.folderName = (await getMeta<string>(db, 'folderName')) ?? null;
    this.version++;
    await this.hooks.gridShown?.();
    // One read of the faces feeds both the face index and the people.
    const [faces, similar] = await Promise.all([this.loadFaces(db), this.loadSimilar(db)]);
    if (similar.generation !== photosGen) photosGen = null;
    const faceIndex = new FaceIndex(Math.max(1024, faces.stored.length));
    if (faces.columns) for (const c of faces.columns) faceIndex.addMany(c.ids, c.photoIds, c.descriptors);
    else for (const f of faces.stored) faceIndex.add(f.id, f.photoId, f.descriptor);
    const people = await People.load(db, faces.stored);
    people.onChange = () => this.version++;
    people.onError = (err) => this.hooks.onError(`Could not save the people: ${err instanceof Error ? err.message : String(err)}`);
    this.faces = faceIndex;
    this.people = people;
    this.similar = similar.index;
    performance.mark('shoebox:faces-loaded');
    this.version++;
    this.snapshots?.dispose();
    const snapshots = new SnapshotKeeper(db, { search: this.search, similar: similar.index, people, busy: () => this.hooks.busy() });
    this.snapshots = snapshots;
    people.onSaved = (g) => this.snapshots?.applied(g);
    const used = { catalog: !!catalog.snapshot, embeddings: similar.fromSnapshot, faces: faces.fromSnapshot };
    snapshots.loaded(photosGen, faces.generation, used);
    // Which snapshots this load used, for the cold-open benchmark and tests.
    performance.mark('shoebox:snapshots-used', { detail: used });
  }

  /** Stops the snapshot writer (a test's teardown; the app keeps one for its lifetime). */
  dispose(): void {
    this.snapshots?.dispose();
    this.snapshots = null;
  }

  private async loadFaces(db: LibraryDb): Promise<{ stored: PackedFace[]; columns?: FacesSnapshot['columns']; generation: number | null; fromSnapshot: boolean }> {
    const before = (await readGenerations(db)).faces;
    const packed = await readFacesSnapshot(db);
    if (packed) return { stored: packed.faces, columns: packed.columns, generation: before, fromSnapshot: true };
    const { value: stored, generation } = await readAtGeneration(db, 'faces', before, () => readFaces(db));
    return { stored, generation, fromSnapshot: false };
  }

  private async loadSimilar(db: LibraryDb): Promise<{ index: SimilarIndex; generation: number | null; fromSnapshot: boolean }> {
    const { generation, snapshot } = await readPhotosSnapshot(db, 'embeddings');
    if (snapshot) return { index: SimilarIndex.fromPacked(snapshot.ids, snapshot.data), generation, fromSnapshot: true };
    const read = await readAtGeneration(db, 'photos', generation, () => SimilarIndex.load(db));
    return { index: read.value, generation: read.generation, fromSnapshot: false };
  }
}
