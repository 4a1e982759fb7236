import { forEachPage, type LibraryDb } from '../store/db';
import type { FaceRecord } from '../types';

export const DESCRIPTOR_LENGTH = 128;

export interface FaceHit {
  faceId: number;
  photoId: number;
  distance: number;
}

/** Values of each descriptor kept in the head array; the scan rejects nearly every face on these alone. */
const HEAD = 32;

/**
 * Every face descriptor scanned exactly (brute force with early exit): no approximate index can match that recall,
 * and descriptors of different people are too evenly spread in 128 dimensions for triangle-inequality pruning to
 * skip many. What costs at 250k faces is memory traffic, so the first HEAD values of each descriptor are copied
 * contiguously into `head` (read in one sequential pass); the rest is read where the descriptor already lives (a
 * snapshot chunk, a face record), only for the faces still within the threshold after the head. People holds
 * the same descriptors, so the library keeps one copy of them (128 MB at 250k faces), not two.
 * Slots stay dense (removal swaps the last slot in), so a scan never skips holes.
 */
export class FaceIndex {
  private head: Float32Array;
  /** Where each slot's full descriptor lives: rows[slot] from offsets[slot]. Held by reference, never written. */
  private readonly rows: Float32Array[] = [];
  private offsets: Int32Array;
  private faceIds: Int32Array;
  private photoIds: Int32Array;
  private count = 0;
  private readonly slotOf = new Map<number, number>();
  private readonly facesOfPhoto = new Map<number, number[]>();

  constructor(initialCapacity = 1024) {
    const cap = Math.max(1, initialCapacity);
    this.head = new Float32Array(cap * HEAD);
    this.offsets = new Int32Array(cap);
    this.faceIds = new Int32Array(cap);
    this.photoIds = new Int32Array(cap);
  }

  static async load(db: LibraryDb, batch = 5000): Promise<FaceIndex> {
    const index = new FaceIndex(Math.max(1024, await db.count('faces')));
    await forEachPage(db, 'faces', (page) => page.forEach((f) => index.add(f.id!, f.photoId, f.descriptor)), batch);
    return index;
  }

  get size(): number {
    return this.count;
  }

  has(faceId: number): boolean {
    return this.slotOf.has(faceId);
  }

  /**
   * Adds a face, or replaces the descriptor (and photo) of one already here. A Float32Array descriptor is kept by
   * reference: don't write to it afterwards.
   */
  add(faceId: number, photoId: number, descriptor: ArrayLike<number>): void {
    if (descriptor.length !== DESCRIPTOR_LENGTH) {
      throw new Error(`Face ${faceId}: descriptor has ${descriptor.length} values, expected ${DESCRIPTOR_LENGTH}`);
    }
    this.put(faceId, photoId, descriptor instanceof Float32Array ? descriptor : Float32Array.from(descriptor), 0);
  }

  /**
   * Adds (or replaces) many faces at once, e.g. from packed chunks at startup: face i is faceIds[i], photoIds[i]
   * and descriptors[i*128 … i*128+127]. Grows the arrays once; `descriptors` is kept by reference.
   */
  addMany(faceIds: Int32Array | readonly number[], photoIds: Int32Array | readonly number[], descriptors: Float32Array): void {
    const n = faceIds.length;
    if (photoIds.length !== n || descriptors.length !== n * DESCRIPTOR_LENGTH) {
      throw new Error(`addMany: ${n} faces need ${n} photo ids and ${n * DESCRIPTOR_LENGTH} descriptor values, got ${photoIds.length} and ${descriptors.length}`);
    }
    this.reserve(this.count + n);
    for (let i = 0; i < n; i++) this.put(faceIds[i], photoIds[i], descriptors, i * DESCRIPTOR_LENGTH);
  }

  private put(faceId: number, photoId: number, values: Float32Array, offset: number): void {
    let slot = this.slotOf.get(faceId);
    if (slot === undefined) {
      if (this.count === this.faceIds.length) this.reserve(this.count + 1);
      slot = this.count++;
      this.slotOf.set(faceId, slot);
      this.rows.push(values);
    } else {
      this.unlinkPhoto(this.photoIds[slot], faceId);
      this.rows[slot] = values;
    }
    this.faceIds[slot] = faceId;
    this.photoIds[slot] = photoId;
    this.offsets[slot] = offset;
    const head = this.head;
    const h = slot * HEAD;
    for (let j = 0; j < HEAD; j++) head[h + j] = values[offset + j];
    const faces = this.facesOfPhoto.get(photoId);
    if (faces) faces.push(faceId);
    else this.facesOfPhoto.set(photoId, [faceId]);
  }

  private unlinkPhoto(photoId: number, faceId: number): void {
    const faces = this.facesOfPhoto.get(photoId);
    if (!faces) return;
    const i = faces.indexOf(faceId);
    if (i >= 0) faces.splice(i, 1);
    if (faces.length === 0) this.facesOfPhoto.delete(photoId);
  }

  remove(faceId: number): boolean {
    const slot = this.slotOf.get(faceId);
    if (slot === undefined) return false;
    this.unlinkPhoto(this.photoIds[slot], faceId);

    const last = --this.count;
    if (slot !== last) {
      const movedId = this.faceIds[last];
      this.faceIds[slot] = movedId;
      this.photoIds[slot] = this.photoIds[last];
      this.head.copyWithin(slot * HEAD, last * HEAD, (last + 1) * HEAD);
      this.rows[slot] = this.rows[last];
      this.offsets[slot] = this.offsets[last];
      this.slotOf.set(movedId, slot);
    }
    this.rows.pop();
    this.slotOf.delete(faceId);
    return true;
  }

  /** Removes every face of a photo; returns their ids. */
  removePhoto(photoId: number): number[] {
    const ids = this.faceIdsOfPhoto(photoId);
    for (const id of ids) this.remove(id);
    return ids;
  }

  faceIdsOfPhoto(photoId: number): number[] {
    return [...(this.facesOfPhoto.get(photoId) ?? [])];
  }

  photoOf(faceId: number): number | undefined {
    const slot = this.slotOf.get(faceId);
    return slot === undefined ? undefined : this.photoIds[slot];
  }

  /** A copy: the caller may keep or change it. */
  descriptorOf(faceId: number): Float32Array | undefined {
    const slot = this.slotOf.get(faceId);
    if (slot === undefined) return undefined;
    const o = this.offsets[slot];
    return this.rows[slot].slice(o, o + DESCRIPTOR_LENGTH);
  }

  /** Faces strictly closer than `threshold` (Euclidean), nearest first. */
  search(query: ArrayLike<number>, threshold: number): FaceHit[] {
    const q = queryVector(query);
    const limit = threshold * threshold;
    const hits: FaceHit[] = [];
    const { head, rows, offsets } = this;
    for (let slot = 0, n = this.count; slot < n; slot++) {
      const d2 = dist2(q, head, rows[slot], offsets[slot], slot, limit);
      if (d2 < limit) hits.push({ faceId: this.faceIds[slot], photoId: this.photoIds[slot], distance: Math.sqrt(d2) });
    }
    return hits.sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
  }

  /** The k nearest faces, nearest first. */
  nearest(query: ArrayLike<number>, k: number): FaceHit[] {
    const q = queryVector(query);
    if (k <= 0) return [];
    // Sorted ascending by d2; k is small, so insertion beats a heap.
    const top: { slot: number; d2: number }[] = [];
    const { head, rows, offsets } = this;
    for (let slot = 0, n = this.count; slot < n; slot++) {
      const worst = top.length < k ? Infinity : top[top.length - 1].d2;
      const d2 = dist2(q, head, rows[slot], offsets[slot], slot, worst);
      if (d2 >= worst && top.length >= k) continue;
      let i = top.length;
      while (i > 0 && top[i - 1].d2 > d2) i--;
      top.splice(i, 0, { slot, d2 });
      if (top.length > k) top.pop();
    }
    return top.map(({ slot, d2 }) => ({
      faceId: this.faceIds[slot],
      photoId: this.photoIds[slot],
      distance: Math.sqrt(d2),
    }));
  }

  /** Room for at least `n` faces, doubling so that adding one at a time stays amortised O(1). */
  private reserve(n: number): void {
    if (n <= this.faceIds.length) return;
    const cap = Math.max(n, this.faceIds.length * 2);
    const head = new Float32Array(cap * HEAD);
    head.set(this.head.subarray(0, this.count * HEAD));
    this.head = head;
    const offsets = new Int32Array(cap);
    offsets.set(this.offsets.subarray(0, this.count));
    this.offsets = offsets;
    const faceIds = new Int32Array(cap);
    faceIds.set(this.faceIds.subarray(0, this.count));
    this.faceIds = faceIds;
    const photoIds = new Int32Array(cap);
    photoIds.set(this.photoIds.subarray(0, this.count));
    this.photoIds = photoIds;
  }
}

/** The query as doubles: the same values as given, in a typed array so the scan loop stays monomorphic. */
function queryVector(query: ArrayLike<number>): Float64Array {
  if (query.length !== DESCRIPTOR_LENGTH) {
    throw new Error(`Query descriptor has ${query.length} values, expected ${DESCRIPTOR_LENGTH}`);
  }
  return Float64Array.from(query);
}

/**
 * Squared distance of the face in `slot` (its full descriptor at row[offset…]), summed in index order (so it
 * equals a plain loop bit for bit); stops once past `bound`, which is all a rejected face needs. Unrolled by 8,
 * checked every 8 values.
 */
function dist2(q: Float64Array, head: Float32Array, row: Float32Array, offset: number, slot: number, bound: number): number {
  let sum = 0;
  let b = slot * HEAD;
  for (let j = 0; j < HEAD; j += 8, b += 8) {
    sum = addSquares8(sum, q, j, head, b);
    if (sum > bound) return sum;
  }
  b = offset + HEAD;
  for (let j = HEAD; j < DESCRIPTOR_LENGTH; j += 8, b += 8) {
    sum = addSquares8(sum, q, j, row, b);
    if (sum > bound) return sum;
  }
  return sum;
}

/** `sum` plus the squared differences of q[j…j+7] and v[b…b+7], added one at a time. */
function addSquares8(sum: number, q: Float64Array, j: number, v: Float32Array, b: number): number {
  let d = q[j] - v[b];
  sum += d * d;
  d = q[j + 1] - v[b + 1];
  sum += d * d;
  d = q[j + 2] - v[b + 2];
  sum += d * d;
  d = q[j + 3] - v[b + 3];
  sum += d * d;
  d = q[j + 4] - v[b + 4];
  sum += d * d;
  d = q[j + 5] - v[b + 5];
  sum += d * d;
  d = q[j + 6] - v[b + 6];
  sum += d * d;
  d = q[j + 7] - v[b + 7];
  sum += d * d;
  return sum;
}
