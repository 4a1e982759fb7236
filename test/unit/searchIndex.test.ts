import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { OBJECT_CLASS_BASE, SearchIndex, type ConceptHits } from '../../src/library/search/searchIndex';
import { conceptClasses, conceptCount, meaningOf } from '../../src/library/search/vocabulary';
import { conceptScore, OBJECT_THRESHOLD } from '../../src/library/search/evidence';
import type { PhotoRecord } from '../../src/library/types';
import { LibraryWriter } from '../../src/library/store/writer';
import { freshDb, item, prng } from './libraryFixtures';

// Real ImageNet classes (1-based, as the classifier numbers them) and COCO objects.
const TABBY = 282;
const TIGER_CAT = 283;
const GOLDEN_RETRIEVER = 208;
const LABRADOR = 209;
const MALAMUTE = 250;
const TIMBER_WOLF = 270;
const HOTDOG = 935;
const TENNIS_BALL = 853;
const CATAMARAN = 485;
const COCO_CAT = OBJECT_CLASS_BASE + 15;
const COCO_DOG = OBJECT_CLASS_BASE + 16;

let nextId = 1;
function rec(labels: [number, number][], over: Partial<PhotoRecord> = {}): PhotoRecord & { id: number } {
  const id = over.id ?? nextId++;
  return {
    id, path: `p${id}.jpg`, size: 1, lastModified: 1000 + id, width: 10, height: 10, takenAt: null, camera: null,
    gps: null, thumb: null, labels, faceCount: 0, modelVersion: 1, indexedAt: 0, ...over,
  };
}
const objects = (...o: [number, number][]) => o.map(([c, score]) => ({ classIndex: c - OBJECT_CLASS_BASE, score, box: [0, 0, 1, 1] as [number, number, number, number] }));
const concepts = (word: string) => meaningOf(word)!.concepts;
const sorted = (h: ConceptHits) => [...h.ids].sort((a, b) => a - b);

describe('SearchIndex.conceptHits: how sure Shoebox is that a photo shows a concept', () => {
  const index = new SearchIndex();
  const husky = rec([[MALAMUTE, 0.5], [GOLDEN_RETRIEVER, 0.2], [LABRADOR, 0.2], [TENNIS_BALL, 0.05]]);
  const wolf = rec([[TIMBER_WOLF, 0.9], [MALAMUTE, 0.05]]);
  const hotdog = rec([[HOTDOG, 0.95]]);
  const catOnRug = rec([[TABBY, 0.6], [TIGER_CAT, 0.3]], { objects: objects([COCO_DOG, 0.48], [COCO_CAT, 0.7]) });
  const dogFromAbove = rec([[CATAMARAN, 0.1]], { objects: objects([COCO_DOG, 0.9]) });
  for (const r of [husky, wolf, hotdog, catOnRug, dogFromAbove]) index.upsertPhoto(r);

  it('sums every label under the concept: a husky among sled dogs is near sure, a wolf with "malamute 5%" is not', () => {
    const dogs = index.conceptHits(concepts('dog'));
    expect(sorted(dogs)).toEqual([husky.id, dogFromAbove.id]);
    expect(dogs.score(husky.id)).toBeCloseTo(0.9);
    expect(dogs.has(wolf.id)).toBe(false);
  });

  it('never answers a word inside a longer name: "dog" is no hot dog', () => {
    expect(index.conceptHits(concepts('dog')).has(hotdog.id)).toBe(false);
    expect(sorted(index.conceptHits(concepts('hot dog')))).toEqual([hotdog.id]);
  });

  it('gives each detector its own threshold: a weak "dog" box on a cat does not pass, a sure one does', () => {
    expect(OBJECT_THRESHOLD).toBeGreaterThan(0.48);
    expect(index.conceptHits(concepts('dog')).has(catOnRug.id)).toBe(false);
    expect(index.conceptHits(concepts('dog')).score(dogFromAbove.id)).toBeCloseTo(0.9);
    // Labels and a box that both pass combine: the chance that either is right.
    expect(index.conceptHits(concepts('cat')).score(catOnRug.id)).toBeCloseTo(conceptScore(0.9, 0.7));
  });

  it('re-upserting a photo replaces its labels, and removal drops it', () => {
    const local = new SearchIndex();
    const a = rec([[TABBY, 0.9]]);
    local.upsertPhoto(a);
    expect(sorted(local.conceptHits(concepts('cat')))).toEqual([a.id]);
    local.upsertPhoto({ ...a, labels: [[GOLDEN_RETRIEVER, 0.9]] });
    expect(local.conceptHits(concepts('cat')).size).toBe(0);
    expect(sorted(local.conceptHits(concepts('dog')))).toEqual([a.id]);
    const v = local.version;
    local.removePhoto(a.id);
    expect(local.version).toBeGreaterThan(v);
    expect(local.conceptHits(concepts('dog')).size).toBe(0);
    expect(local.get(a.id)).toBeUndefined();
    local.removePhoto(a.id); // twice is harmless
  });
});

describe('SearchIndex catalog', () => {
  it('keeps light metadata only, with counts, and lists newest first', () => {
    const index = new SearchIndex();
    index.upsertPhoto(rec([], { id: 101, takenAt: 5000, lastModified: 1, faceCount: 2, thumb: new Blob(['big']) }));
    index.upsertPhoto(rec([], { id: 102, takenAt: null, lastModified: 9000, faceCount: 1 }));
    index.upsertPhoto(rec([], { id: 103, takenAt: 7000, lastModified: 1 }));
    index.upsertPhoto(rec([], { id: 104, takenAt: null, lastModified: 99999, error: 'not an image' }));
    expect(index.allPhotos()).toEqual([102, 103, 101]);
    expect(index.counts).toEqual({ photos: 3, faces: 3, skipped: 1 });
    expect(index.skipped().map((m) => [m.id, m.error])).toEqual([[104, 'not an image']]);
    expect(index.get(101)).not.toHaveProperty('thumb');
    expect(index.idOfPath('p102.jpg')).toBe(102);

    index.upsertPhoto(rec([], { id: 101, takenAt: 1, lastModified: 1, faceCount: 0 }));
    index.removePhoto(104);
    expect(index.allPhotos()).toEqual([102, 103, 101]);
    expect(index.counts).toEqual({ photos: 3, faces: 1, skipped: 0 });
  });

  it('keeps what people words need: the largest face and the sure person boxes', () => {
    const index = new SearchIndex();
    index.upsertPhoto(rec([], { id: 1, faceCount: 1, largestFace: 0.2, objects: objects([OBJECT_CLASS_BASE, 0.95], [OBJECT_CLASS_BASE, 0.9], [OBJECT_CLASS_BASE, 0.31]) }));
    expect(index.get(1)).toMatchObject({ largestFace: 0.2, personBoxes: 2 });
  });

  it('keeps the newest-first list a grid holds as it was when the index changes', () => {
    const index = new SearchIndex();
    index.upsertPhoto(rec([], { id: 201, takenAt: 5000 }));
    index.upsertPhoto(rec([], { id: 202, takenAt: 7000 }));
    const held = index.newestFirst();
    expect(index.newestFirst()).toBe(held);
    index.upsertPhoto(rec([], { id: 203, takenAt: 9000 }));
    index.removePhoto(201);
    expect(held).toEqual([202, 201]);
    expect(index.newestFirst()).toEqual([203, 202]);
    expect(index.newestRank(203)).toBe(0);
  });

  it('loads from IndexedDB what the writer committed', async () => {
    const db = await freshDb();
    const live = new SearchIndex();
    const writer = new LibraryWriter(db, { onCommit: (c) => c.forEach(({ photo }) => live.upsertPhoto(photo)) });
    writer.add(item('a.jpg', { labels: [{ classIndex: TABBY, score: 0.9 }], takenAt: 3 }));
    writer.add(item('b.jpg', { labels: [{ classIndex: TIGER_CAT, score: 0.4 }], takenAt: 2 }));
    writer.add({ entry: { path: 'c.heic', size: 1, lastModified: 1 }, error: 'cannot decode' });
    await writer.flush();

    const loaded = await SearchIndex.load(db);
    for (const index of [live, loaded]) {
      expect(index.allPhotos().map((id) => index.get(id)!.path)).toEqual(['a.jpg', 'b.jpg']);
      expect([...index.conceptHits(concepts('cat')).ids].map((id) => index.get(id)!.path).sort()).toEqual(['a.jpg', 'b.jpg']);
      expect(index.counts).toEqual({ photos: 2, faces: 0, skipped: 1 });
    }
    db.close();
  });
});

/** A concept's answer by reading every photo: what conceptHits must equal. */
function bruteForce(photos: Iterable<PhotoRecord & { id: number }>, concept: number): Map<number, number> {
  const classes = new Set(conceptClasses(concept));
  const out = new Map<number, number>();
  for (const r of photos) {
    let mass = 0;
    let box = 0;
    for (const [c, s] of r.labels) if (classes.has(c)) mass += s;
    for (const o of r.objects ?? []) if (classes.has(OBJECT_CLASS_BASE + o.classIndex)) box = Math.max(box, o.score);
    const score = conceptScore(mass, box);
    if (score > 0) out.set(r.id, score);
  }
  return out;
}

describe('SearchIndex against a brute-force scan', () => {
  it('answers every concept exactly like reading every photo, under inserts, updates and deletes', () => {
    const rand = prng(11);
    const index = new SearchIndex();
    const held = new Map<number, PhotoRecord & { id: number }>();
    // Labels from a few hundred classes so that concepts overlap; scores sum to at most 1 as the classifier's do.
    const randomPhoto = (id: number) => {
      const labels = new Map<number, number>();
      let left = 1;
      for (let k = Math.floor(rand() * 10); k > 0; k--) {
        const s = rand() * left;
        left -= s;
        labels.set(200 + Math.floor(rand() * 300), Math.round(s * 1e4) / 1e4);
      }
      const objs = rand() < 0.3 ? objects([OBJECT_CLASS_BASE + Math.floor(rand() * 80), Math.round(rand() * 1e4) / 1e4]) : undefined;
      return rec([...labels], { id, objects: objs });
    };
    const probes = ['dog', 'cat', 'animal', 'carnivore', 'vehicle', 'ball', 'person'].map((w) => concepts(w)[0]);
    for (let k = 0; k < 40; k++) probes.push(Math.floor(rand() * conceptCount));
    const check = () => {
      for (const k of probes) {
        // Counted alone (as suggestions do), then built: the same photos.
        index.forgetCachedHits();
        const expected = bruteForce(held.values(), k);
        expect(index.conceptHitCount([k])).toBe(expected.size);
        const hits = index.conceptHits([k]);
        expect(sorted(hits)).toEqual([...expected.keys()].sort((a, b) => a - b));
        for (const [id, score] of expected) expect(hits.score(id)).toBeCloseTo(score, 9);
      }
    };
    for (let id = 1; id <= 2000; id++) {
      const r = randomPhoto(id);
      held.set(id, r);
      index.upsertPhoto(r);
    }
    check();
    for (let step = 0; step < 500; step++) {
      const id = 1 + Math.floor(rand() * 2200);
      if (rand() < 0.3) {
        held.delete(id);
        index.removePhoto(id);
      } else {
        const r = randomPhoto(id);
        held.set(id, r);
        index.upsertPhoto(r);
      }
    }
    check();
  });
});
