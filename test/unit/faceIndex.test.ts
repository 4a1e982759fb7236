import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FaceIndex, type FaceHit } from '../../src/library/people/faceIndex';
import { LibraryWriter } from '../../src/library/store/writer';
import { face, freshDb, item, prng, randomDescriptor } from './libraryFixtures';

interface RefFace {
  photoId: number;
  descriptor: Float32Array;
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < 128; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

function refHits(ref: Map<number, RefFace>, q: Float32Array): FaceHit[] {
  return [...ref]
    .map(([faceId, f]) => ({ faceId, photoId: f.photoId, distance: distance(q, f.descriptor) }))
    .sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
}

describe('FaceIndex', () => {
  it('matches a brute-force reference through random inserts, updates and deletes', () => {
    const rand = prng(42);
    const index = new FaceIndex(4); // small, so it grows several times
    const ref = new Map<number, RefFace>();
    let nextFace = 1;

    const check = () => {
      expect(index.size).toBe(ref.size);
      for (let q = 0; q < 3; q++) {
        // Queries near an existing face as well as random ones, so thresholds actually cut.
        const existing = [...ref.values()][Math.floor(rand() * ref.size)];
        const query = existing && q > 0 ? existing.descriptor.map((v) => v + (rand() - 0.5) * 0.02) : randomDescriptor(rand);
        const all = refHits(ref, query);
        for (const threshold of [0.05, 0.4, 0.6, 10]) {
          const expected = all.filter((h) => h.distance < threshold);
          const got = index.search(query, threshold);
          expect(got.map((h) => [h.faceId, h.photoId])).toEqual(expected.map((h) => [h.faceId, h.photoId]));
          got.forEach((h, i) => expect(h.distance).toBeCloseTo(expected[i].distance, 5));
        }
        for (const k of [1, 5, 50]) {
          expect(index.nearest(query, k).map((h) => h.faceId)).toEqual(all.slice(0, k).map((h) => h.faceId));
        }
      }
    };

    for (let step = 0; step < 1500; step++) {
      const r = rand();
      const ids = [...ref.keys()];
      if (r < 0.6 || ids.length === 0) {
        const faceId = nextFace++;
        const f = { photoId: 1 + Math.floor(rand() * 200), descriptor: randomDescriptor(rand) };
        index.add(faceId, f.photoId, f.descriptor);
        ref.set(faceId, f);
      } else if (r < 0.7) {
        const faceId = ids[Math.floor(rand() * ids.length)];
        const f = { photoId: 1 + Math.floor(rand() * 200), descriptor: randomDescriptor(rand) };
        index.add(faceId, f.photoId, f.descriptor);
        ref.set(faceId, f);
      } else if (r < 0.95) {
        const faceId = ids[Math.floor(rand() * ids.length)];
        expect(index.remove(faceId)).toBe(true);
        ref.delete(faceId);
      } else {
        const photoId = ref.get(ids[Math.floor(rand() * ids.length)])!.photoId;
        const expected = [...ref].filter(([, f]) => f.photoId === photoId).map(([id]) => id);
        expect(index.removePhoto(photoId).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
        for (const id of expected) ref.delete(id);
      }
      if (step % 100 === 0) check();
    }
    check();
    for (const [faceId, f] of ref) {
      expect(index.descriptorOf(faceId)).toEqual(f.descriptor);
      expect(index.photoOf(faceId)).toBe(f.photoId);
    }
    expect(index.remove(-1)).toBe(false);
    expect(index.descriptorOf(-1)).toBeUndefined();
  });

  it('bulk-adds with addMany exactly as one add at a time, and matches brute force on clustered faces', () => {
    // Faces around identity centres, as in real libraries: a threshold of 0.5 keeps a person's faces and cuts the rest.
    const rand = prng(7);
    const gaussian = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
    const centres = Array.from({ length: 40 }, () => Float32Array.from({ length: 128 }, () => gaussian() * 0.09));
    const n = 3000;
    const faceIds = new Int32Array(n);
    const photoIds = new Int32Array(n);
    const descriptors = new Float32Array(n * 128);
    const ref = new Map<number, RefFace>();
    for (let i = 0; i < n; i++) {
      faceIds[i] = 10 + i * 3;
      photoIds[i] = 1 + Math.floor(i / 2.5);
      const c = centres[Math.floor(rand() * centres.length)];
      for (let j = 0; j < 128; j++) descriptors[i * 128 + j] = c[j] + gaussian() * 0.025;
      ref.set(faceIds[i], { photoId: photoIds[i], descriptor: descriptors.slice(i * 128, (i + 1) * 128) });
    }
    const bulk = new FaceIndex(16);
    bulk.addMany(faceIds.subarray(0, 1000), photoIds.subarray(0, 1000), descriptors.subarray(0, 1000 * 128));
    bulk.addMany(faceIds.subarray(1000), photoIds.subarray(1000), descriptors.subarray(1000 * 128));
    const single = new FaceIndex(16);
    for (const [id, f] of ref) single.add(id, f.photoId, f.descriptor);

    // Updates through addMany: an existing face moves to another photo with a new descriptor.
    const moved = Float32Array.from(centres[0], (v) => v + 0.01);
    bulk.addMany(Int32Array.of(faceIds[5]), Int32Array.of(99_999), moved);
    single.add(faceIds[5], 99_999, moved);
    ref.set(faceIds[5], { photoId: 99_999, descriptor: moved });
    for (const id of [faceIds[0], faceIds[1], faceIds[n - 1]]) {
      expect(bulk.remove(id)).toBe(true);
      single.remove(id);
      ref.delete(id);
    }

    expect(bulk.size).toBe(ref.size);
    expect(bulk.faceIdsOfPhoto(99_999)).toEqual([faceIds[5]]);
    expect(bulk.faceIdsOfPhoto(photoIds[5])).not.toContain(faceIds[5]);
    for (const [id, f] of ref) {
      expect(bulk.descriptorOf(id)).toEqual(f.descriptor);
      expect(bulk.photoOf(id)).toBe(f.photoId);
    }
    let cut = 0;
    for (let q = 0; q < 20; q++) {
      const query = q < 10 ? centres[q] : Float32Array.from(centres[q], (v) => v + gaussian() * 0.03);
      // Summed in index order like the index does, so distances compare exactly, not just closely.
      const all = [...ref]
        .map(([faceId, f]) => {
          let sum = 0;
          for (let j = 0; j < 128; j++) {
            const d = query[j] - f.descriptor[j];
            sum += d * d;
          }
          return { faceId, photoId: f.photoId, distance: Math.sqrt(sum) };
        })
        .sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
      for (const threshold of [0.3, 0.5, 0.8]) {
        const expected = all.filter((h) => h.distance < threshold);
        cut += all.length - expected.length;
        expect(bulk.search(query, threshold)).toEqual(expected);
        expect(single.search(query, threshold)).toEqual(expected);
      }
      expect(bulk.nearest(Array.from(query), 7)).toEqual(all.slice(0, 7));
    }
    expect(cut).toBeGreaterThan(0);
    expect(() => bulk.addMany(Int32Array.of(1), Int32Array.of(1), new Float32Array(127))).toThrow(/addMany/);
  });

  it('finds a face again by its own descriptor at distance 0', () => {
    const index = new FaceIndex();
    const d = randomDescriptor(prng(1));
    index.add(7, 3, d);
    index.add(8, 3, randomDescriptor(prng(2)));
    expect(index.search(d, 0.5)[0]).toEqual({ faceId: 7, photoId: 3, distance: 0 });
    expect(index.faceIdsOfPhoto(3).sort()).toEqual([7, 8]);
    // A copy, so later swaps cannot change what the caller holds.
    const copy = index.descriptorOf(7)!;
    index.remove(7);
    expect(copy).toEqual(d);
    expect(index.descriptorOf(8)).toEqual(randomDescriptor(prng(2)));
  });

  it('rejects descriptors of the wrong length', () => {
    const index = new FaceIndex();
    expect(() => index.add(1, 1, new Float32Array(127))).toThrow(/expected 128/);
    expect(() => index.search(new Float32Array(3), 1)).toThrow(/expected 128/);
  });

  it('loads every stored face from IndexedDB', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    writer.add(item('a.jpg', { faces: [face(1), face(2)] }));
    writer.add(item('b.jpg', { faces: [face(3)] }));
    const committed = await writer.flush();
    const index = await FaceIndex.load(db);
    expect(index.size).toBe(3);
    for (const c of committed) {
      for (const f of c.faces) {
        expect(index.photoOf(f.id)).toBe(c.photo.id);
        expect(index.descriptorOf(f.id)).toEqual(f.descriptor);
      }
    }
    expect(index.nearest(face(3).descriptor, 1)[0].faceId).toBe(committed[1].faces[0].id);
    db.close();
  });
});
