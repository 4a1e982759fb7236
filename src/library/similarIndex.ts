import type { LibraryDb } from './db';

export const EMBEDDING_SIZE = 1024;

/**
 * Cosine similarity at or above which two photos are the same shot (resized, re-encoded or lightly cropped).
 * Measured with the engine's embedder on the test photos: the 720p/1080p cat pair scores 0.997; copies
 * re-encoded at quality 0.5 ≥ 0.93, cut 10% on each side ≥ 0.93, half size at quality 0.7 ≥ 0.90;
 * the most alike different photos (two farm scenes, two group photos) ≤ 0.78.
 */
export const DUPLICATE_SIMILARITY = 0.88;

export interface SimilarHit {
  photoId: number;
  /** Cosine similarity in 0..1 (the activations are non-negative). */
  similarity: number;
}

/** What the duplicates view needs of a photo to suggest which copy to keep. */
export interface CopyInfo {
  id: number;
  path: string;
  width: number;
  height: number;
  size: number;
}

/**
 * The best copy of a group: most pixels, then the larger file (less compressed), then the shorter path
 * (a copy in "backup/old/" loses to the one at the top).
 */
export function suggestKeep<T extends CopyInfo>(copies: T[]): T {
  return copies.reduce((best, c) => {
    const d = c.width * c.height - best.width * best.height || c.size - best.size || best.path.length - c.path.length;
    return d > 0 ? c : best;
  });
}

/** Values a Uint8 row can hold exactly; other embeddings are scaled (cosine does not care). */
function pack(vector: ArrayLike<number>): Uint8Array {
  if (vector instanceof Uint8Array) return vector;
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, vector[i]);
  const out = new Uint8Array(vector.length);
  if (max > 0) for (let i = 0; i < vector.length; i++) out[i] = Math.round((Math.max(0, vector[i]) / max) * 255);
  return out;
}

/**
 * Every photo's embedding in one packed uint8 matrix (1 KiB a photo), for cosine search in memory:
 * "more like this" and near-duplicate groups. Built from IndexedDB, then kept current by commits.
 */
export class SimilarIndex {
  private data = new Uint8Array(0);
  private norms = new Float64Array(0);
  private ids: number[] = [];
  private rowOf = new Map<number, number>();
  version = 0;

  static async load(db: LibraryDb): Promise<SimilarIndex> {
    const index = new SimilarIndex();
    let cursor = await db.transaction('embeddings').store.openCursor();
    while (cursor) {
      index.set(cursor.value.photoId, cursor.value.vector);
      cursor = await cursor.continue();
    }
    return index;
  }

  get size(): number {
    return this.ids.length;
  }

  has(photoId: number): boolean {
    return this.rowOf.has(photoId);
  }

  set(photoId: number, vector: ArrayLike<number>): void {
    if (vector.length !== EMBEDDING_SIZE) throw new Error(`embedding of photo ${photoId} has ${vector.length} values, expected ${EMBEDDING_SIZE}`);
    let row = this.rowOf.get(photoId);
    if (row === undefined) {
      row = this.ids.length;
      this.grow(row + 1);
      this.ids.push(photoId);
      this.rowOf.set(photoId, row);
    }
    const packed = pack(vector);
    this.data.set(packed, row * EMBEDDING_SIZE);
    let n = 0;
    for (let i = 0; i < EMBEDDING_SIZE; i++) n += packed[i] * packed[i];
    this.norms[row] = Math.sqrt(n);
    this.version++;
  }

  remove(photoId: number): void {
    const row = this.rowOf.get(photoId);
    if (row === undefined) return;
    // The last row moves into the hole, so the matrix stays dense.
    const last = this.ids.length - 1;
    if (row !== last) {
      this.data.copyWithin(row * EMBEDDING_SIZE, last * EMBEDDING_SIZE, (last + 1) * EMBEDDING_SIZE);
      this.norms[row] = this.norms[last];
      this.ids[row] = this.ids[last];
      this.rowOf.set(this.ids[row], row);
    }
    this.ids.pop();
    this.rowOf.delete(photoId);
    this.version++;
  }

  /** Cosine similarity of two indexed photos; null when either has no embedding. */
  similarity(a: number, b: number): number | null {
    const ra = this.rowOf.get(a);
    const rb = this.rowOf.get(b);
    return ra === undefined || rb === undefined ? null : this.cosine(ra, rb);
  }

  /** The k photos most like this one (itself excluded), most similar first. */
  nearest(photoId: number, k = 60, minSimilarity = 0): SimilarHit[] {
    const row = this.rowOf.get(photoId);
    if (row === undefined) return [];
    const hits: SimilarHit[] = [];
    for (let r = 0; r < this.ids.length; r++) {
      if (r === row) continue;
      const similarity = this.cosine(row, r);
      if (similarity >= minSimilarity) hits.push({ photoId: this.ids[r], similarity });
    }
    hits.sort((a, b) => b.similarity - a.similarity || a.photoId - b.photoId);
    return hits.slice(0, k);
  }

  /**
   * Groups of near-identical photos (2 or more), each sorted by id, groups by their first id. A photo joins
   * a group when it is at least `threshold` similar to one of its members.
   */
  duplicateGroups(threshold = DUPLICATE_SIMILARITY): number[][] {
    const n = this.ids.length;
    const parent = Array.from({ length: n }, (_, i) => i);
    const find = (i: number): number => {
      while (parent[i] !== i) i = parent[i] = parent[parent[i]];
      return i;
    };
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        if (this.cosine(a, b) >= threshold) parent[find(a)] = find(b);
      }
    }
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const root = find(i);
      let g = groups.get(root);
      if (!g) groups.set(root, (g = []));
      g.push(this.ids[i]);
    }
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((g) => g.sort((x, y) => x - y))
      .sort((x, y) => x[0] - y[0]);
  }

  private cosine(ra: number, rb: number): number {
    const na = this.norms[ra];
    const nb = this.norms[rb];
    if (na === 0 || nb === 0) return 0;
    const d = this.data;
    const oa = ra * EMBEDDING_SIZE;
    const ob = rb * EMBEDDING_SIZE;
    let dot = 0;
    for (let i = 0; i < EMBEDDING_SIZE; i++) dot += d[oa + i] * d[ob + i];
    return dot / (na * nb);
  }

  private grow(rows: number): void {
    if (rows * EMBEDDING_SIZE <= this.data.length) return;
    const cap = Math.max(rows, Math.ceil(this.norms.length * 1.5), 64);
    const data = new Uint8Array(cap * EMBEDDING_SIZE);
    data.set(this.data);
    const norms = new Float64Array(cap);
    norms.set(this.norms);
    this.data = data;
    this.norms = norms;
  }
}
