import { forEachPage, type LibraryDb } from '../store/db';
import { RecentAnswers } from './recentAnswers';
import { conceptClasses } from './vocabulary';
import { conceptScore } from './evidence';
import { OBJECT_CLASS_BASE, PhotoCatalog, toMeta, type IndexCounts, type PhotoMeta } from '../catalog/photoCatalog';
import type { PhotoRecord } from '../types';
import { TextIndex } from './textTerms';
import { ClassPostings } from './classPostings';

export { OBJECT_CLASS_BASE, type PhotoMeta, type IndexCounts } from '../catalog/photoCatalog';
export { normalizeWords } from './words';

/** Answers remembered per index version: a query typed on, come back to, or re-run as the grid re-derives, is free. */
const HIT_CACHE_SIZE = 32;
/** …within this many hits in all (12 bytes each, plus the ranking the evaluator keeps with them). */
const HIT_CACHE_ROWS = 1_000_000;
/** Suggestion counts remembered per index version. */
const HIT_COUNTS_KEPT = 512;

interface Scratch {
  stamp: Uint32Array;
  touched: Int32Array;
  mass: Float64Array;
  object: Float64Array;
  /** Scores of the photos that pass, by row of `touched`. */
  passed: Float64Array;
}

/**
 * The photos that show a concept, packed in typed arrays (row i: ids[i], scores[i]), unordered. `scores` is how
 * sure Shoebox is (evidence.ts); rows only exist for photos that pass a detector's threshold.
 */
export class ConceptHits {
  private rowOf: Int32Array | null = null;
  /** The query evaluator keeps its ranking of these hits here; it lives as long as this cached answer. */
  ranked?: readonly number[];

  constructor(
    readonly ids: Int32Array,
    readonly scores: Float64Array,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** The row of a photo, or -1. */
  rowOfId(photoId: number): number {
    if (!this.rowOf) {
      let max = 0;
      for (const id of this.ids) if (id > max) max = id;
      // Stored as row + 1, so the zero fill means "not a hit".
      this.rowOf = new Int32Array(max + 1);
      for (let i = 0; i < this.ids.length; i++) this.rowOf[this.ids[i]] = i + 1;
    }
    return photoId >= 0 && photoId < this.rowOf.length ? this.rowOf[photoId] - 1 : -1;
  }

  has(photoId: number): boolean {
    return this.rowOfId(photoId) >= 0;
  }

  score(photoId: number): number {
    const row = this.rowOfId(photoId);
    return row < 0 ? 0 : this.scores[row];
  }
}

/**
 * The in-memory index that the UI queries: the photo catalog, and label and object postings per class from
 * which a concept's evidence is summed. Built once from IndexedDB, then kept current by the writer's commits.
 */
export class SearchIndex {
  readonly catalog = new PhotoCatalog();
  /** Label and object scores per class. */
  private readonly postings = new ClassPostings();
  private scratchRows: Scratch | null = null;
  private scratchStamp = 0;
  private readonly hitCache = new RecentAnswers<ConceptHits>(HIT_CACHE_SIZE, { weight: (h) => h.size, budget: HIT_CACHE_ROWS });
  /** How many photos a concept finds, for suggestions: counted without keeping the hits. */
  private readonly hitCounts = new RecentAnswers<number>(HIT_COUNTS_KEPT);
  /** Photos whose label postings are not built yet (fromSnapshot): built on first need. */
  private pendingPostings: readonly PhotoMeta[] | null = null;
  /** Words read in photos: postings of kind "text" (textTerms.ts), built and dropped with the label postings. */
  private readonly textPostings = new TextIndex();
  /** Bumped on every change, so UI state can re-derive cheaply. */
  version = 0;

  static async load(db: LibraryDb, batch = 5000): Promise<SearchIndex> {
    const index = new SearchIndex();
    await forEachPage(db, 'photos', (page) => page.forEach((r) => index.upsertPhoto(r)), batch);
    return index;
  }

  get counts(): IndexCounts {
    return this.catalog.counts;
  }

  /** Places: photos by place name (catalog/photoCatalog.ts keeps it). */
  get places() {
    return this.catalog.places;
  }

  get(id: number): PhotoMeta | undefined {
    return this.catalog.get(id);
  }

  idOfPath(path: string): number | undefined {
    return this.catalog.idOfPath(path);
  }

  /** An index of these photos' metas; a later meta with the same id or path replaces the earlier one. */
  static fromMetas(metas: Iterable<PhotoMeta>): SearchIndex {
    const index = new SearchIndex();
    const listed: PhotoMeta[] = [];
    for (const m of metas) {
      if (index.catalog.has(m.id) || index.catalog.idOfPath(m.path) !== undefined) {
        index.upsertMeta(m);
        continue;
      }
      index.catalog.list(m);
      listed.push(m);
    }
    for (const m of listed) index.addPostings(m);
    index.version++;
    return index;
  }

  /**
   * From a catalog snapshot (snapshots.ts), which lists each id and path once: the same index a full load gives,
   * without reading the photos store. The label postings (most of the work at 100k photos) are built by the first
   * thing that needs them, so the grid can paint first.
   */
  static fromSnapshot(metas: readonly PhotoMeta[]): SearchIndex {
    const index = new SearchIndex();
    index.catalog.listSnapshot(metas);
    index.pendingPostings = metas;
    index.version++;
    return index;
  }

  /** Builds postings deferred by fromMetas; the index means the same before and after. */
  ensurePostings(): void {
    const pending = this.pendingPostings;
    if (!pending) return;
    this.pendingPostings = null;
    // Skip photos replaced or removed since (their postings were built when that happened).
    for (const m of pending) if (this.catalog.get(m.id) === m) this.addPostings(m);
  }

  /** Every photo's metadata, skipped files included (for the catalog snapshot). */
  metas(): IterableIterator<PhotoMeta> {
    return this.catalog.metas();
  }

  /** Adds or replaces a stored photo (it must have its id); the record's thumb is not kept. */
  upsertPhoto(record: PhotoRecord): void {
    if (record.id === undefined) throw new Error(`upsertPhoto: ${record.path} has no id yet`);
    this.upsertMeta(toMeta(record as PhotoRecord & { id: number }));
  }

  private upsertMeta(meta: PhotoMeta): void {
    this.ensurePostings();
    this.detach(meta.id);
    // A path moves to a new id only if its old record was deleted; drop any stale one.
    const stale = this.catalog.idOfPath(meta.path);
    if (stale !== undefined && stale !== meta.id) this.detach(stale);
    this.catalog.list(meta);
    this.addPostings(meta);
    this.version++;
  }

  /** The text postings, complete (deferred postings built). */
  textIndex(): TextIndex {
    this.ensurePostings();
    return this.textPostings;
  }

  private addPostings(meta: PhotoMeta): void {
    if (meta.photoText) this.textPostings.set(meta.id, meta.photoText);
    this.postings.add(meta.id, classesOf(meta));
  }

  removePhoto(id: number): void {
    if (this.detach(id)) this.version++;
  }

  /** Indexed photo ids (not skipped files), newest first by takenAt, else file date. */
  allPhotos(): number[] {
    return this.newestFirst().slice();
  }

  /** allPhotos() without the copy, for readers that keep it as it is (a grid): valid until the index changes. */
  newestFirst(): readonly number[] {
    return this.catalog.newestFirst();
  }

  /** A photo's position in allPhotos() (0 = newest); -1 for skipped files and unknown ids. */
  newestRank(id: number): number {
    return this.catalog.newestRank(id);
  }

  /** Files that could not be indexed, with their reason. */
  skipped(): PhotoMeta[] {
    return this.catalog.skipped();
  }

  /** The `k` classes with the most photos, most first. */
  commonestClasses(k: number): number[] {
    this.ensurePostings();
    const p = this.postings;
    return [...p.classes()].sort((a, b) => p.count(b) - p.count(a) || a - b).slice(0, k);
  }

  /** Whether any photo has this class among its labels or objects. */
  hasClass(classIndex: number): boolean {
    this.ensurePostings();
    return this.postings.has(classIndex);
  }

  /** Builds deferred postings and drops their dead rows and spare room: an idle moment after loading. */
  packAll(): void {
    this.ensurePostings();
    this.postings.trim();
  }

  /** Photos that show any of these concepts (vocabulary.ts), with how sure; cached until the index changes. */
  conceptHits(concepts: readonly number[]): ConceptHits {
    const key = concepts.join(' ');
    return this.hitCache.get(this.version, key, () => this.computeConceptHits(concepts));
  }

  /** How many photos `conceptHits(concepts)` finds, without building (or evicting) cached hits. */
  conceptHitCount(concepts: readonly number[]): number {
    const key = concepts.join(' ');
    const cached = this.hitCache.peek(this.version, key);
    if (cached) return cached.size;
    return this.hitCounts.get(this.version, key, () => this.evidence(concepts, null));
  }

  /** Any other answer made of hits (people words), cached like a concept's until the index changes. */
  cachedHits(key: string, compute: () => ConceptHits): ConceptHits {
    return this.hitCache.get(this.version, key, compute);
  }

  /** Drops the cached answers (the warm-up's, so they hold no memory). */
  forgetCachedHits(): void {
    this.hitCache.clear();
  }

  private computeConceptHits(concepts: readonly number[]): ConceptHits {
    const out = { ids: new Int32Array(0), scores: new Float64Array(0) };
    this.evidence(concepts, out);
    return new ConceptHits(out.ids, out.scores);
  }

  /**
   * Sums the evidence for the concepts over their classes' rows; returns how many photos pass, and with `out`
   * also which (ids and scores, unordered).
   */
  private evidence(concepts: readonly number[], out: { ids: Int32Array; scores: Float64Array } | null): number {
    this.ensurePostings();
    const classes = new Set<number>();
    for (const k of concepts) for (const c of conceptClasses(k)) classes.add(c);
    // Scratch arrays indexed by photo id (IndexedDB keys: small, dense integers); a stamp marks this query's rows.
    const s = this.scratch(this.catalog.maxId + 1);
    const stamp = ++this.scratchStamp;
    const live = this.postings.stamps;
    let n = 0;
    for (const classIndex of classes) {
      const rows = this.postings.rows(classIndex);
      if (!rows) continue;
      const { ids, scores, stamps, length } = rows;
      const isObject = classIndex >= OBJECT_CLASS_BASE;
      for (let i = 0; i < length; i++) {
        const photoId = ids[i];
        if (live[photoId] !== stamps[i]) continue;
        if (s.stamp[photoId] !== stamp) {
          s.stamp[photoId] = stamp;
          s.touched[n++] = photoId;
          s.mass[photoId] = 0;
          s.object[photoId] = 0;
        }
        // A photo's labels are distinct classes, so their scores add up to the concept's probability mass.
        if (isObject) {
          if (scores[i] > s.object[photoId]) s.object[photoId] = scores[i];
        } else s.mass[photoId] += scores[i];
      }
    }
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const id = s.touched[i];
      const score = conceptScore(s.mass[id], s.object[id]);
      if (score > 0) {
        s.touched[kept] = id;
        s.passed[kept++] = score;
      }
    }
    if (out) {
      out.ids = s.touched.slice(0, kept);
      out.scores = s.passed.slice(0, kept);
    }
    return kept;
  }

  private scratch(size: number): Scratch {
    if (!this.scratchRows || this.scratchRows.stamp.length < size) {
      const cap = Math.max(1024, Math.ceil(size * 1.25));
      this.scratchRows = {
        stamp: new Uint32Array(cap),
        touched: new Int32Array(cap),
        mass: new Float64Array(cap),
        object: new Float64Array(cap),
        passed: new Float64Array(cap),
      };
      this.scratchStamp = 0;
    }
    return this.scratchRows;
  }

  private detach(id: number): boolean {
    this.ensurePostings();
    const old = this.catalog.unlist(id);
    if (!old) return false;
    this.textPostings.remove(id);
    this.postings.remove(id, classesOf(old));
    return true;
  }
}

/** A photo's labels and objects, as (class, score) pairs of the postings. */
function* classesOf(meta: PhotoMeta): Generator<readonly [number, number]> {
  yield* meta.labels;
  if (meta.objects) yield* meta.objects;
}
