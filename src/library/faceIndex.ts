import type { LibraryDb } from './db';
import type { FaceRecord } from './types';

export const DESCRIPTOR_LENGTH = 128;

export interface FaceHit {
  faceId: number;
  photoId: number;
  distance: number;
}

/**
 * Every face descriptor in one packed Float32Array (n × 128), scanned brute force: at 100k faces a full scan
 * is a few milliseconds, and no approximate index can beat that on both recall and simplicity.
 * Slots stay dense (removal swaps the last slot in), so a scan never skips holes.
 */
export class FaceIndex {
  private data: Float32Array;
  private faceIds: Int32Array;
  private photoIds: Int32Array;
  private count = 0;
  private readonly slotOf = new Map<number, number>();
  private readonly facesOfPhoto = new Map<number, Set<number>>();

  constructor(initialCapacity = 1024) {
    const cap = Math.max(1, initialCapacity);
    this.data = new Float32Array(cap * DESCRIPTOR_LENGTH);
    this.faceIds = new Int32Array(cap);
    this.photoIds = new Int32Array(cap);
  }

  static async load(db: LibraryDb, batch = 5000): Promise<FaceIndex> {
    const index = new FaceIndex(Math.max(1024, await db.count('faces')));
    // Key-ordered getAll pages, as in SearchIndex.load.
    let after: number | null = null;
    for (;;) {
      const range: IDBKeyRange | undefined = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
      const page: FaceRecord[] = await db.getAll('faces', range, batch);
      for (const f of page) index.add(f.id!, f.photoId, f.descriptor);
      if (page.length < batch) return index;
      after = page[page.length - 1].id!;
    }
  }

  get size(): number {
    return this.count;
  }

  has(faceId: number): boolean {
    return this.slotOf.has(faceId);
  }

  /** Adds a face, or replaces the descriptor (and photo) of one already here. */
  add(faceId: number, photoId: number, descriptor: ArrayLike<number>): void {
    if (descriptor.length !== DESCRIPTOR_LENGTH) {
      throw new Error(`Face ${faceId}: descriptor has ${descriptor.length} values, expected ${DESCRIPTOR_LENGTH}`);
    }
    let slot = this.slotOf.get(faceId);
    if (slot === undefined) {
      if (this.count === this.faceIds.length) this.grow();
      slot = this.count++;
      this.slotOf.set(faceId, slot);
    } else {
      this.facesOfPhoto.get(this.photoIds[slot])?.delete(faceId);
    }
    this.faceIds[slot] = faceId;
    this.photoIds[slot] = photoId;
    this.data.set(descriptor, slot * DESCRIPTOR_LENGTH);
    let set = this.facesOfPhoto.get(photoId);
    if (!set) this.facesOfPhoto.set(photoId, (set = new Set()));
    set.add(faceId);
  }

  remove(faceId: number): boolean {
    const slot = this.slotOf.get(faceId);
    if (slot === undefined) return false;
    const photoId = this.photoIds[slot];
    const set = this.facesOfPhoto.get(photoId);
    set?.delete(faceId);
    if (set?.size === 0) this.facesOfPhoto.delete(photoId);

    const last = --this.count;
    if (slot !== last) {
      const movedId = this.faceIds[last];
      this.faceIds[slot] = movedId;
      this.photoIds[slot] = this.photoIds[last];
      this.data.copyWithin(slot * DESCRIPTOR_LENGTH, last * DESCRIPTOR_LENGTH, (last + 1) * DESCRIPTOR_LENGTH);
      this.slotOf.set(movedId, slot);
    }
    this.slotOf.delete(faceId);
    return true;
  }

  /** Removes every face of a photo; returns their ids. */
  removePhoto(photoId: number): number[] {
    const ids = [...(this.facesOfPhoto.get(photoId) ?? [])];
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

  /** A copy: the packed array moves slots on removal and is replaced on growth. */
  descriptorOf(faceId: number): Float32Array | undefined {
    const slot = this.slotOf.get(faceId);
    if (slot === undefined) return undefined;
    return this.data.slice(slot * DESCRIPTOR_LENGTH, (slot + 1) * DESCRIPTOR_LENGTH);
  }

  /** Faces strictly closer than `threshold` (Euclidean), nearest first. */
  search(query: ArrayLike<number>, threshold: number): FaceHit[] {
    this.checkQuery(query);
    const limit = threshold * threshold;
    const hits: FaceHit[] = [];
    const data = this.data;
    for (let slot = 0; slot < this.count; slot++) {
      const d2 = this.dist2(query, data, slot * DESCRIPTOR_LENGTH, limit);
      if (d2 < limit) hits.push({ faceId: this.faceIds[slot], photoId: this.photoIds[slot], distance: Math.sqrt(d2) });
    }
    return hits.sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
  }

  /** The k nearest faces, nearest first. */
  nearest(query: ArrayLike<number>, k: number): FaceHit[] {
    this.checkQuery(query);
    if (k <= 0) return [];
    // Sorted ascending by d2; k is small, so insertion beats a heap.
    const top: { slot: number; d2: number }[] = [];
    const data = this.data;
    for (let slot = 0; slot < this.count; slot++) {
      const worst = top.length < k ? Infinity : top[top.length - 1].d2;
      const d2 = this.dist2(query, data, slot * DESCRIPTOR_LENGTH, worst);
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

  private checkQuery(query: ArrayLike<number>): void {
    if (query.length !== DESCRIPTOR_LENGTH) {
      throw new Error(`Query descriptor has ${query.length} values, expected ${DESCRIPTOR_LENGTH}`);
    }
  }

  /** Squared distance; stops early once past `bound`, which is all a rejected face needs. */
  private dist2(q: ArrayLike<number>, data: Float32Array, base: number, bound: number): number {
    let sum = 0;
    for (let i = 0; i < DESCRIPTOR_LENGTH; i += 16) {
      for (let j = i; j < i + 16; j++) {
        const d = q[j] - data[base + j];
        sum += d * d;
      }
      if (sum > bound) return sum;
    }
    return sum;
  }

  private grow(): void {
    const cap = this.faceIds.length * 2;
    const data = new Float32Array(cap * DESCRIPTOR_LENGTH);
    data.set(this.data);
    this.data = data;
    const faceIds = new Int32Array(cap);
    faceIds.set(this.faceIds);
    this.faceIds = faceIds;
    const photoIds = new Int32Array(cap);
    photoIds.set(this.photoIds);
    this.photoIds = photoIds;
  }
}
