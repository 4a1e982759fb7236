import { forEachPage, type LibraryDb } from '../store/db';

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

/** Dimensions of the cheap bound in duplicate search; 32 rule out >99% of the test photos' pairs. */
const PROJECTION_DIMS = 32;
/** Rows the main directions are estimated from; any orthonormal basis keeps the bound exact, a good one makes it tight. */
const BASIS_SAMPLE = 600;

/**
 * An orthonormal K×DIM basis close to the top principal directions of the rows (uncentred, so the mean
 * direction comes first), by a few rounds of subspace iteration on a sample. Deterministic.
 */
function principalBasis(unit: Float32Array, n: number, K: number): Float32Array {
  const D = EMBEDDING_SIZE;
  const step = Math.max(1, Math.floor(n / BASIS_SAMPLE));
  const rows: number[] = [];
  for (let r = 0; r < n; r += step) rows.push(r);
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) - 0.5;
  let basis = new Float32Array(K * D).map(() => rand());
  orthonormalize(basis, K, D);
  const coef = new Float32Array(rows.length * K);
  for (let iter = 0; iter < 3; iter++) {
    // coef = X·Vᵀ, then V = coefᵀ·X: one multiplication by XᵀX.
    for (let s = 0; s < rows.length; s++) {
      const o = rows[s] * D;
      for (let k = 0; k < K; k++) {
        let v = 0;
        for (let i = 0; i < D; i++) v += unit[o + i] * basis[k * D + i];
        coef[s * K + k] = v;
      }
    }
    const next = new Float32Array(K * D);
    for (let s = 0; s < rows.length; s++) {
      const o = rows[s] * D;
      for (let k = 0; k < K; k++) {
        const c = coef[s * K + k];
        if (c === 0) continue;
        for (let i = 0; i < D; i++) next[k * D + i] += c * unit[o + i];
      }
    }
    orthonormalize(next, K, D);
    basis = next;
  }
  return basis;
}

/** Modified Gram–Schmidt on K rows of length D, in place; a row that vanishes becomes a fresh unit axis. */
function orthonormalize(m: Float32Array, K: number, D: number): void {
  // A k-dimensional span holds at most k unit axes, so this finds a free one within K tries.
  let axis = 0;
  for (let k = 0; k < K; k++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < D; i++) dot += m[k * D + i] * m[j * D + i];
        for (let i = 0; i < D; i++) m[k * D + i] -= dot * m[j * D + i];
      }
    }
    let norm = 0;
    for (let i = 0; i < D; i++) norm += m[k * D + i] ** 2;
    norm = Math.sqrt(norm);
    if (norm < 1e-6) {
      m.fill(0, k * D, (k + 1) * D);
      m[k * D + axis++] = 1;
      k--; // re-orthogonalise the axis against the rows before it
      continue;
    }
    for (let i = 0; i < D; i++) m[k * D + i] /= norm;
  }
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

/** Union–find over matrix rows, reported as groups of photo ids. */
class DuplicateGrouping {
  private parent: number[];
  constructor(private ids: number[]) {
    this.parent = ids.map((_, i) => i);
  }
  private find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) i = p[i] = p[p[i]];
    return i;
  }
  join(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
  result(): number[][] {
    const groups = new Map<number, number[]>();
    this.ids.forEach((id, i) => {
      const root = this.find(i);
      let g = groups.get(root);
      if (!g) groups.set(root, (g = []));
      g.push(id);
    });
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((g) => g.sort((x, y) => x - y))
      .sort((x, y) => x[0] - y[0]);
  }
}

/** Why suggestKeep chose this copy, in words for the duplicates view. */
export function keepReason(keep: CopyInfo, copies: CopyInfo[]): string {
  const others = copies.filter((c) => c.id !== keep.id);
  if (others.every((c) => c.width * c.height < keep.width * keep.height)) return 'largest resolution';
  if (others.every((c) => c.width * c.height < keep.width * keep.height || c.size < keep.size)) return 'same resolution, largest file';
  return 'same size, shortest path';
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

  static async load(db: LibraryDb, batch = 5000): Promise<SimilarIndex> {
    const index = new SimilarIndex();
    await forEachPage(db, 'embeddings', (page) => page.forEach((r) => index.set(r.photoId, r.vector)), batch);
    return index;
  }

  /** From an embeddings snapshot (snapshots.ts): `data` holds one packed row per id, in order. */
  static fromPacked(ids: ArrayLike<number>, data: Uint8Array): SimilarIndex {
    const index = new SimilarIndex();
    index.grow(ids.length);
    for (let r = 0; r < ids.length; r++) index.set(ids[r], data.subarray(r * EMBEDDING_SIZE, (r + 1) * EMBEDDING_SIZE));
    return index;
  }

  /** Ids and their packed rows (a copy), for the embeddings snapshot. */
  packed(): { ids: number[]; data: Uint8Array } {
    return { ids: this.ids.slice(), data: this.data.slice(0, this.ids.length * EMBEDDING_SIZE) };
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
    const groups = new DuplicateGrouping(this.ids);
    for (const pair of this.pairsAtLeast(threshold)) if (pair) groups.join(pair[0], pair[1]);
    return groups.result();
  }

  /** duplicateGroups without blocking the page: gives the event loop a turn every few dozen milliseconds. */
  async duplicateGroupsAsync(threshold = DUPLICATE_SIMILARITY, signal?: AbortSignal): Promise<number[][]> {
    const groups = new DuplicateGrouping(this.ids.slice());
    const version = this.version;
    let last = performance.now();
    for (const pair of this.pairsAtLeast(threshold)) {
      if (pair) groups.join(pair[0], pair[1]);
      else if (performance.now() - last > 30) {
        await new Promise((r) => setTimeout(r, 0));
        signal?.throwIfAborted();
        // Rows move when photos are removed: start again on the new matrix.
        if (this.version !== version) return this.duplicateGroupsAsync(threshold, signal);
        last = performance.now();
      }
    }
    return groups.result();
  }

  /**
   * Every pair of rows with cosine ≥ threshold, exactly, without computing all N²/2 full dot products:
   * with P an orthonormal projection onto the K main directions of the library and r the length of the
   * rest, cos(a, b) ≤ Pa·Pb + r(a)·r(b) (Cauchy–Schwarz). That K-d bound rules out almost every pair of
   * different photos; only the rest get the full 1024-d product.
   */
  private *pairsAtLeast(threshold: number): Generator<[number, number] | null> {
    const n = this.ids.length;
    if (n < 2) return;
    const unit = this.unitRows();
    const K = PROJECTION_DIMS;
    const basis = principalBasis(unit, n, K);
    const proj = new Float32Array(n * K);
    const rest = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      let kept = 0;
      for (let k = 0; k < K; k++) {
        let v = 0;
        const row = r * EMBEDDING_SIZE;
        const b = k * EMBEDDING_SIZE;
        for (let i = 0; i < EMBEDDING_SIZE; i++) v += unit[row + i] * basis[b + i];
        proj[r * K + k] = v;
        kept += v * v;
      }
      rest[r] = Math.sqrt(Math.max(0, 1 - kept));
    }
    // Float32 rounding in the projection: never rule out a pair the exact product might keep.
    const slack = 1e-4;
    for (let a = 0; a < n; a++) {
      const pa = a * K;
      const need = threshold - slack;
      for (let b = a + 1; b < n; b++) {
        let bound = rest[a] * rest[b];
        const pb = b * K;
        for (let k = 0; k < K; k++) bound += proj[pa + k] * proj[pb + k];
        if (bound >= need && this.cosine(a, b) >= threshold) yield [a, b];
      }
      yield null; // a row done: a point where an async caller may pause
    }
  }

  /** Rows scaled to length 1, as floats. */
  private unitRows(): Float32Array {
    const n = this.ids.length;
    const unit = new Float32Array(n * EMBEDDING_SIZE);
    for (let r = 0; r < n; r++) {
      const inv = this.norms[r] > 0 ? 1 / this.norms[r] : 0;
      for (let i = 0; i < EMBEDDING_SIZE; i++) unit[r * EMBEDDING_SIZE + i] = this.data[r * EMBEDDING_SIZE + i] * inv;
    }
    return unit;
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
