import type { LibraryDb } from './db';
import { GenerationTracker, type Generations } from './generations';
import { packCatalog, packEmbeddings, writeSnapshots, type SnapshotWrite } from './snapshots';
import type { SearchIndex } from '../search/searchIndex';
import type { SimilarIndex } from '../search/similarIndex';
import type { People } from '../people/people';

export interface SnapshotSource {
  search: SearchIndex | null;
  similar: SimilarIndex | null;
  people: People | null;
  /** Indexing (here or in another tab) or anything else that will change the stores again soon. */
  busy(): boolean;
}

type Kind = 'catalog' | 'embeddings' | 'faces';

/**
 * Keeps the startup snapshots (snapshots.ts) current: it follows which generation the in-memory indexes reflect
 * and, once the library is quiet, writes whichever snapshot is behind, packed from memory.
 */
export class SnapshotKeeper {
  readonly photos = new GenerationTracker(null);
  readonly faces = new GenerationTracker(null);
  /** The generation each stored snapshot is known to be current at. */
  private stored: Record<Kind, number | null> = { catalog: null, embeddings: null, faces: null };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  onError: (err: unknown) => void = (err) => console.warn('Could not save the startup snapshot', err);

  constructor(
    private readonly db: LibraryDb,
    private readonly source: SnapshotSource,
    /** Quiet time after the last change before writing: a snapshot is large, and changes come in runs. */
    private readonly quietMs = 3000,
  ) {}

  /** After a (re)load: the generations memory reflects (null if unknown), and which snapshots it came from. */
  loaded(photos: number | null, faces: number | null, fromSnapshot: Partial<Record<Kind, boolean>>): void {
    this.photos.reset(photos);
    this.faces.reset(faces);
    this.stored = {
      catalog: fromSnapshot.catalog ? photos : null,
      embeddings: fromSnapshot.embeddings ? photos : null,
      faces: fromSnapshot.faces ? faces : null,
    };
    this.schedule();
  }

  /** A change this tab committed and applied in memory. */
  applied(g: Generations): void {
    this.photos.applied(g.photos);
    this.faces.applied(g.faces);
    this.schedule();
  }

  get behind(): Kind[] {
    const want: Record<Kind, number | null> = { catalog: this.photos.value, embeddings: this.photos.value, faces: this.faces.value };
    return (Object.keys(want) as Kind[]).filter((k) => want[k] !== null && this.stored[k] !== want[k]);
  }

  schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (!this.behind.length) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const idle = globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 0));
      idle(() => void this.saveNow().catch(this.onError), { timeout: 10_000 });
    }, this.quietMs);
  }

  /** Writes every snapshot that is behind, unless the library is busy (then it tries again later). */
  async saveNow(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.save().finally(() => (this.running = null));
    return this.running;
  }

  private async save(): Promise<void> {
    const { search, similar, people } = this.source;
    const behind = this.behind;
    if (!behind.length || !search) return;
    if (this.source.busy() || (people && !people.settled)) return this.schedule();
    const photosGen = this.photos.value;
    const facesGen = this.faces.value;
    const w: SnapshotWrite = {};
    if (photosGen !== null && behind.includes('catalog')) w.catalog = packCatalog(search.metas(), photosGen);
    if (photosGen !== null && similar && behind.includes('embeddings')) {
      const { ids, data } = similar.packed();
      w.embeddings = packEmbeddings(ids, data, photosGen);
    }
    if (facesGen !== null && people && behind.includes('faces')) w.faces = { generation: facesGen, faces: people.packedFaces() };
    const done = await writeSnapshots(this.db, w);
    // For the library benchmark: which snapshots were rewritten, and when.
    performance.mark('shoebox:snapshots-written', { detail: done });
    if (done.catalog) this.stored.catalog = photosGen;
    if (done.embeddings) this.stored.embeddings = photosGen;
    if (done.faces) this.stored.faces = facesGen;
    // Refused: the store moved on. If this tab applied the newer generation meanwhile (its own commit landed while
    // the snapshot was written), memory is still known and the next quiet moment writes it; otherwise another tab
    // wrote, and memory is not that generation.
    if (((w.catalog && !done.catalog) || (w.embeddings && !done.embeddings)) && this.photos.value === photosGen) this.photos.reset(null);
    if (w.faces && !done.faces && this.faces.value === facesGen) this.faces.reset(null);
    // Changed again meanwhile: the next quiet moment writes it.
    this.schedule();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }
}
