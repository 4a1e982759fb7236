import { forEachPage, type LibraryDb } from '../store/db';
import { RecentAnswers } from './recentAnswers';
import type { PhotoRecord } from '../types';
import { TextIndex } from './textTerms';

export interface TermWeight {
  /** Lower-case phrase, e.g. "tabby cat". */
  term: string;
  /** 1 for the class's own names, less for broader terms (WordNet ancestors). */
  weight: number;
}

export type TermsForClass = (classIndex: number) => TermWeight[];

/** What the UI needs of a photo without touching IndexedDB; thumbs stay on disk. */
export interface PhotoMeta {
  id: number;
  path: string;
  takenAt: number | null;
  lastModified: number;
  width: number;
  height: number;
  faceCount: number;
  labels: [number, number][];
  /** Detected objects as [OBJECT_CLASS_BASE + COCO class, best score], one per class; absent when none. */
  objects?: [number, number][];
  camera: string | null;
  gps: boolean;
  error?: string;
  /** Text read in the photo, lines joined by newlines (textTerms.ts); absent when none. */
  photoText?: string;
}

export interface WordHit {
  photoId: number;
  /** Label score × term weight (× PREFIX_MATCH_FACTOR when the query only matched a prefix). */
  score: number;
  /** The best-scoring label behind this hit; `score` here is the classifier's own confidence. */
  why: { term: string; classIndex: number; score: number };
}

export interface TermMatch {
  term: string;
  /** Every query word equalled a term word, rather than being a prefix of one. */
  exact: boolean;
}

export interface IndexCounts {
  photos: number;
  faces: number;
  skipped: number;
}

/** Queries remembered per index version: a query typed on, or re-run as the grid re-derives, is free. */
const HIT_CACHE_SIZE = 8;

interface Scratch {
  stamp: Uint32Array;
  touched: Int32Array;
  score: Float64Array;
  term: Int32Array;
  cls: Int32Array;
  label: Float64Array;
}

/**
 * searchWords' hits packed in typed arrays (row i: ids[i], scores[i]), unordered; `why` is made only when asked
 * for, since a grid shows a few dozen of tens of thousands.
 */
export class WordHits {
  private rowOf: Int32Array | null = null;
  /** The query evaluator keeps its ranking of these hits here; it lives as long as this cached answer. */
  ranked?: readonly number[];

  constructor(
    readonly ids: Int32Array,
    readonly scores: Float64Array,
    private readonly terms: Int32Array,
    private readonly classes: Int32Array,
    private readonly labels: Float64Array,
    private readonly termList: readonly { text: string }[],
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

  whyAt(row: number): WordHit['why'] {
    return { term: this.termList[this.terms[row]].text, classIndex: this.classes[row], score: this.labels[row] };
  }
}

/** Detected objects share the label postings under class ids from here on (COCO class + base). */
export const OBJECT_CLASS_BASE = 10_000;

/** At equal confidence, "cat" should rank a cat above a catamaran. */
export const PREFIX_MATCH_FACTOR = 0.8;

/**
 * Lower-case words without accents. Apostrophes vanish as in engine/labels' normalizeTerm ("lady's" → ladys),
 * so queries meet terms in the same form; other punctuation separates words ("jack-o'-lantern" → jack o lantern).
 */
export function normalizeWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’‘`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

interface Term {
  text: string;
  words: string[];
  /** classIndex → weight */
  classes: Map<number, number>;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toMeta(r: PhotoRecord & { id: number }): PhotoMeta {
  const meta: PhotoMeta = {
    id: r.id,
    path: r.path,
    takenAt: r.takenAt,
    lastModified: r.lastModified,
    width: r.width,
    height: r.height,
    faceCount: r.faceCount,
    labels: r.labels,
    camera: r.camera,
    gps: r.gps != null,
  };
  if (r.error != null) meta.error = r.error;
  if (r.objects?.length) {
    const best = new Map<number, number>();
    for (const o of r.objects) best.set(OBJECT_CLASS_BASE + o.classIndex, Math.max(o.score, best.get(OBJECT_CLASS_BASE + o.classIndex) ?? 0));
    meta.objects = [...best];
  }
  if (r.text?.length) meta.photoText = r.text.map((l) => l.text).join('\n');
  return meta;
}

/**
 * The in-memory index that the UI queries: label postings per class, and a word → term map with a sorted
 * word list for prefix lookup. Built once from IndexedDB, then kept current by the writer's commits.
 */
export class SearchIndex {
  private readonly photos = new Map<number, PhotoMeta>();
  private readonly idByPath = new Map<string, number>();
  /** classIndex → (photoId → label score) */
  private readonly postings = new Map<number, Map<number, number>>();
  /** The same postings packed for reading, per class; dropped when the class's postings change. */
  private readonly packedPostings = new Map<number, { ids: Int32Array; scores: Float64Array }>();
  private readonly terms: Term[] = [];
  private readonly termIds = new Map<string, number>();
  /** word → every (term, position) where it occurs */
  private readonly wordTerms = new Map<string, [termId: number, pos: number][]>();
  private readonly knownClasses = new Set<number>();
  private sortedWords: string[] | null = null;
  private newestFirstIds: number[] | null = null;
  private rankById: Int32Array | null = null;
  private faceTotal = 0;
  private skippedTotal = 0;
  private maxId = 0;
  private scratchRows: Scratch | null = null;
  private scratchStamp = 0;
  private readonly hitCache = new RecentAnswers<WordHits>(HIT_CACHE_SIZE);
  /** Photos whose label postings are not built yet (fromMetas with deferPostings): built on first need. */
  private pendingPostings: PhotoMeta[] | null = null;
  /** Words read in photos: postings of kind "text" (textTerms.ts), built and dropped with the label postings. */
  private readonly textPostings = new TextIndex();
  /** Bumped on every change, so UI state can re-derive cheaply. */
  version = 0;

  constructor(private readonly termsForClass: TermsForClass) {}

  static async load(db: LibraryDb, termsForClass: TermsForClass, batch = 5000): Promise<SearchIndex> {
    const index = new SearchIndex(termsForClass);
    await forEachPage(db, 'photos', (page) => page.forEach((r) => index.upsertPhoto(r)), batch);
    return index;
  }

  get counts(): IndexCounts {
    return { photos: this.photos.size - this.skippedTotal, faces: this.faceTotal, skipped: this.skippedTotal };
  }

  get(id: number): PhotoMeta | undefined {
    return this.photos.get(id);
  }

  idOfPath(path: string): number | undefined {
    return this.idByPath.get(path);
  }

  /**
   * From a catalog snapshot (snapshots.ts): the same index a full load gives, without reading the photos store.
   * With `deferPostings` the photos are listed at once and the label postings (most of the work at 100k photos)
   * are built by the first thing that needs them, so the grid can paint first.
   */
  static fromMetas(metas: Iterable<PhotoMeta>, termsForClass: TermsForClass, { deferPostings = false } = {}): SearchIndex {
    const index = new SearchIndex(termsForClass);
    const listed: PhotoMeta[] = [];
    for (const m of metas) {
      // A snapshot lists each id and path once, so nothing needs detaching.
      if (index.photos.has(m.id) || index.idByPath.has(m.path)) {
        index.upsertMeta(m);
        continue;
      }
      index.list(m);
      listed.push(m);
    }
    if (deferPostings) index.pendingPostings = listed;
    else for (const m of listed) index.addPostings(m);
    index.changed();
    return index;
  }

  /** Builds postings deferred by fromMetas; the index means the same before and after. */
  ensurePostings(): void {
    const pending = this.pendingPostings;
    if (!pending) return;
    this.pendingPostings = null;
    // Skip photos replaced or removed since (their postings were built when that happened).
    for (const m of pending) if (this.photos.get(m.id) === m) this.addPostings(m);
  }

  /** Every photo's metadata, skipped files included (for the catalog snapshot). */
  metas(): IterableIterator<PhotoMeta> {
    return this.photos.values();
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
    const stale = this.idByPath.get(meta.path);
    if (stale !== undefined && stale !== meta.id) this.detach(stale);
    this.list(meta);
    this.addPostings(meta);
    this.changed();
  }

  private list(meta: PhotoMeta): void {
    this.photos.set(meta.id, meta);
    if (meta.id > this.maxId) this.maxId = meta.id;
    this.idByPath.set(meta.path, meta.id);
    this.faceTotal += meta.faceCount;
    if (meta.error != null) this.skippedTotal++;
  }

  /** The text postings, complete (deferred postings built). */
  textIndex(): TextIndex {
    this.ensurePostings();
    return this.textPostings;
  }

  private addPostings(meta: PhotoMeta): void {
    if (meta.photoText) this.textPostings.set(meta.id, meta.photoText);
    for (const [classIndex, score] of [...meta.labels, ...(meta.objects ?? [])]) {
      this.registerClass(classIndex);
      let list = this.postings.get(classIndex);
      if (!list) this.postings.set(classIndex, (list = new Map()));
      list.set(meta.id, Math.max(score, list.get(meta.id) ?? 0));
      this.packedPostings.delete(classIndex);
    }
  }

  removePhoto(id: number): void {
    if (this.detach(id)) this.changed();
  }

  /** Indexed photo ids (not skipped files), newest first by takenAt, else file date. */
  allPhotos(): number[] {
    return this.newestFirst().slice();
  }

  /** allPhotos() without the copy, for readers that keep it as it is (a grid): valid until the index changes. */
  newestFirst(): readonly number[] {
    if (!this.newestFirstIds) {
      const rows: [number, number][] = [];
      for (const m of this.photos.values()) if (m.error == null) rows.push([m.id, m.takenAt ?? m.lastModified]);
      rows.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
      this.newestFirstIds = rows.map((r) => r[0]);
    }
    return this.newestFirstIds;
  }

  /** The `k` classes with the most photos, most first. */
  commonestClasses(k: number): number[] {
    this.ensurePostings();
    return [...this.postings].sort((a, b) => b[1].size - a[1].size || a[0] - b[0]).slice(0, k).map(([classIndex]) => classIndex);
  }

  /** Packs every class's postings now (an idle moment after loading) rather than on the first query that reads them. */
  packAll(): void {
    this.ensurePostings();
    for (const classIndex of this.postings.keys()) this.packed(classIndex);
  }

  /** A photo's position in allPhotos() (0 = newest); -1 for skipped files and unknown ids. */
  newestRank(id: number): number {
    if (!this.newestFirstIds || !this.rankById) {
      const order = this.newestFirst();
      // Stored as rank + 1, so the zero fill means "not listed".
      const rankById = new Int32Array(this.maxId + 1);
      for (let i = 0; i < order.length; i++) rankById[order[i]] = i + 1;
      this.rankById = rankById;
    }
    return id >= 0 && id < this.rankById.length ? this.rankById[id] - 1 : -1;
  }

  /** Files that could not be indexed, with their reason. */
  skipped(): PhotoMeta[] {
    const out: PhotoMeta[] = [];
    for (const m of this.photos.values()) if (m.error != null) out.push(m);
    return out;
  }

  /**
   * Terms that contain the query's words as consecutive words, each word whole or as a prefix
   * ("tabb" → "tabby cat", "tabby c" → "tabby cat", but not "cat tabby").
   */
  matchTerms(query: string): TermMatch[] {
    return [...this.matchTermIds(query)].map(([termId, exact]) => ({ term: this.terms[termId].text, exact }));
  }

  /** Photos whose labels match the query phrase, best first; one hit per photo (its best label). */
  searchWords(query: string): WordHit[] {
    const hits = this.wordHits(query);
    const out: WordHit[] = [];
    for (let i = 0; i < hits.size; i++) out.push({ photoId: hits.ids[i], score: hits.scores[i], why: hits.whyAt(i) });
    return out.sort((a, b) => b.score - a.score || b.photoId - a.photoId);
  }

  /**
   * searchWords without an object per hit, in no particular order: what the query evaluator uses at 100k photos.
   * Hits whose best label scored under `minLabelScore` are left out (the best label is chosen first, as in
   * searchWords). Answers are cached until the index changes.
   */
  wordHits(query: string, minLabelScore = 0): WordHits {
    const key = `${minLabelScore} ${normalizeWords(query).join(' ')}`;
    return this.hitCache.get(this.version, key, () => this.computeWordHits(query, minLabelScore));
  }

  /** Drops the cached word answers (the warm-up's, so they hold no memory). */
  forgetCachedHits(): void {
    this.hitCache.clear();
  }

  private computeWordHits(query: string, minLabelScore: number): WordHits {
    // Scratch arrays indexed by photo id (IndexedDB keys: small, dense integers); a stamp marks this query's rows.
    const s = this.scratch(this.maxId + 1);
    const stamp = ++this.scratchStamp;
    // A class reached through several terms ("dog" → toy dog, hunting dog, dog…) is read once, with its best
    // term; classes keep the order of their best term's first appearance, so ties pick the same label as before.
    const best = new Map<number, { termId: number; weight: number; factor: number }>();
    for (const [termId, exact] of this.matchTermIds(query)) {
      const factor = exact ? 1 : PREFIX_MATCH_FACTOR;
      for (const [classIndex, weight] of this.terms[termId].classes) {
        const prev = best.get(classIndex);
        if (!prev) best.set(classIndex, { termId, weight, factor });
        else if (weight * factor > prev.weight * prev.factor) {
          best.delete(classIndex);
          best.set(classIndex, { termId, weight, factor });
        }
      }
    }
    let n = 0;
    for (const [classIndex, { termId, weight, factor }] of best) {
      const list = this.packed(classIndex);
      if (!list) continue;
      const { ids, scores } = list;
      for (let i = 0; i < ids.length; i++) {
        const photoId = ids[i];
        const labelScore = scores[i];
        const score = labelScore * weight * factor;
        if (s.stamp[photoId] !== stamp) {
          s.stamp[photoId] = stamp;
          s.touched[n++] = photoId;
        } else if (!(score > s.score[photoId])) continue;
        s.score[photoId] = score;
        s.term[photoId] = termId;
        s.cls[photoId] = classIndex;
        s.label[photoId] = labelScore;
      }
    }
    let kept = 0;
    for (let i = 0; i < n; i++) if (s.label[s.touched[i]] >= minLabelScore) s.touched[kept++] = s.touched[i];
    const ids = s.touched.slice(0, kept);
    const scores = new Float64Array(kept);
    const terms = new Int32Array(kept);
    const classes = new Int32Array(kept);
    const labels = new Float64Array(kept);
    for (let i = 0; i < kept; i++) {
      const id = ids[i];
      scores[i] = s.score[id];
      terms[i] = s.term[id];
      classes[i] = s.cls[id];
      labels[i] = s.label[id];
    }
    return new WordHits(ids, scores, terms, classes, labels, this.terms);
  }

  private packed(classIndex: number): { ids: Int32Array; scores: Float64Array } | null {
    this.ensurePostings();
    let p = this.packedPostings.get(classIndex);
    if (!p) {
      const list = this.postings.get(classIndex);
      if (!list) return null;
      p = { ids: new Int32Array(list.size), scores: new Float64Array(list.size) };
      let i = 0;
      for (const [id, score] of list) {
        p.ids[i] = id;
        p.scores[i++] = score;
      }
      this.packedPostings.set(classIndex, p);
    }
    return p;
  }

  private scratch(size: number): Scratch {
    if (!this.scratchRows || this.scratchRows.stamp.length < size) {
      const cap = Math.max(1024, Math.ceil(size * 1.25));
      this.scratchRows = {
        stamp: new Uint32Array(cap),
        touched: new Int32Array(cap),
        score: new Float64Array(cap),
        term: new Int32Array(cap),
        cls: new Int32Array(cap),
        label: new Float64Array(cap),
      };
      this.scratchStamp = 0;
    }
    return this.scratchRows;
  }

  /** termId → whether every query word matched whole. */
  private matchTermIds(query: string): Map<number, boolean> {
    const found = new Map<number, boolean>();
    const q = normalizeWords(query);
    if (q.length === 0) return found;
    const words = this.words();
    for (let i = lowerBound(words, q[0]); i < words.length && words[i].startsWith(q[0]); i++) {
      for (const [termId, pos] of this.wordTerms.get(words[i])!) {
        const tw = this.terms[termId].words;
        if (pos + q.length > tw.length) continue;
        let exact = true;
        let ok = true;
        for (let j = 0; j < q.length; j++) {
          const w = tw[pos + j];
          if (w === q[j]) continue;
          exact = false;
          if (!w.startsWith(q[j])) {
            ok = false;
            break;
          }
        }
        // A term can match at two positions ("sea" in "sea sea lion"); exact wins.
        if (ok) found.set(termId, exact || (found.get(termId) ?? false));
      }
    }
    return found;
  }

  private changed(): void {
    this.newestFirstIds = null;
    this.rankById = null;
    this.version++;
  }

  private detach(id: number): boolean {
    this.ensurePostings();
    const old = this.photos.get(id);
    if (!old) return false;
    this.photos.delete(id);
    if (this.idByPath.get(old.path) === id) this.idByPath.delete(old.path);
    this.faceTotal -= old.faceCount;
    if (old.error != null) this.skippedTotal--;
    this.textPostings.remove(id);
    for (const [classIndex] of [...old.labels, ...(old.objects ?? [])]) {
      const list = this.postings.get(classIndex);
      list?.delete(id);
      if (list?.size === 0) this.postings.delete(classIndex);
      this.packedPostings.delete(classIndex);
    }
    return true;
  }

  /** Terms are learned per class as classes first appear, so the index needs no class count. */
  private registerClass(classIndex: number): void {
    if (this.knownClasses.has(classIndex)) return;
    this.knownClasses.add(classIndex);
    for (const { term, weight } of this.termsForClass(classIndex)) {
      const words = normalizeWords(term);
      if (words.length === 0) continue;
      // Keyed by normalised words, so "Jack-o'-lantern" and "jack o lantern" are one term; shown as first given.
      const key = words.join(' ');
      let termId = this.termIds.get(key);
      if (termId === undefined) {
        termId = this.terms.length;
        this.terms.push({ text: term.trim().toLowerCase(), words, classes: new Map() });
        this.termIds.set(key, termId);
        words.forEach((w, pos) => {
          let occ = this.wordTerms.get(w);
          if (!occ) {
            this.wordTerms.set(w, (occ = []));
            this.sortedWords = null;
          }
          occ.push([termId!, pos]);
        });
      }
      const classes = this.terms[termId].classes;
      classes.set(classIndex, Math.max(weight, classes.get(classIndex) ?? 0));
    }
  }

  private words(): string[] {
    this.ensurePostings();
    if (!this.sortedWords) this.sortedWords = [...this.wordTerms.keys()].sort();
    return this.sortedWords;
  }
}
