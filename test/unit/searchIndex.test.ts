import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { normalizeWords, PREFIX_MATCH_FACTOR, SearchIndex, type TermsForClass, type TermWeight } from '../../src/library/search/searchIndex';
import type { PhotoRecord } from '../../src/library/types';
import { LibraryWriter } from '../../src/library/store/writer';
import { freshDb, item, prng } from './libraryFixtures';

const TERMS: Record<number, TermWeight[]> = {
  1: [{ term: 'tabby cat', weight: 1 }, { term: 'tabby', weight: 1 }, { term: 'cat', weight: 0.5 }, { term: 'animal', weight: 0.2 }],
  2: [{ term: 'tiger cat', weight: 1 }, { term: 'cat', weight: 0.5 }, { term: 'animal', weight: 0.2 }],
  3: [{ term: 'catamaran', weight: 1 }, { term: 'boat', weight: 0.5 }],
  4: [{ term: 'sea lion', weight: 1 }, { term: 'animal', weight: 0.2 }],
  5: [{ term: "Jack-o'-lantern", weight: 1 }, { term: 'ladys slipper', weight: 0.5 }],
  6: [{ term: 'lion', weight: 1 }, { term: 'big cat', weight: 0.6 }, { term: 'animal', weight: 0.2 }],
};
const fakeTerms: TermsForClass = (c) => TERMS[c] ?? [];

let nextId = 1;
function rec(labels: [number, number][], over: Partial<PhotoRecord> = {}): PhotoRecord & { id: number } {
  const id = over.id ?? nextId++;
  return {
    id, path: `p${id}.jpg`, size: 1, lastModified: 1000 + id, width: 10, height: 10, takenAt: null, camera: null,
    gps: null, thumb: null, labels, faceCount: 0, modelVersion: 1, indexedAt: 0, ...over,
  };
}

const ids = (hits: { photoId: number }[]) => hits.map((h) => h.photoId);

function sample() {
  const index = new SearchIndex(fakeTerms);
  const tabby = rec([[1, 0.9]]);
  const tiger = rec([[2, 0.5]]);
  const boat = rec([[3, 0.95]]);
  const both = rec([[2, 0.7], [1, 0.3]]);
  const seaLion = rec([[4, 0.6]]);
  const lion = rec([[6, 0.4]]);
  const pumpkin = rec([[5, 0.5]]);
  for (const r of [tabby, tiger, boat, both, seaLion, lion, pumpkin]) index.upsertPhoto(r);
  return { index, tabby, tiger, boat, both, seaLion, lion, pumpkin };
}

describe('SearchIndex.searchWords', () => {
  it('ranks by label score × term weight, best label per photo, whole words above prefixes', () => {
    const { index, tabby, tiger, boat, both, lion } = sample();
    const hits = index.searchWords('cat');
    // "cat" is a whole word of "tabby cat", "tiger cat" (weight 1) and "big cat" (0.6), and a prefix of "catamaran".
    expect(ids(hits)).toEqual([tabby.id, boat.id, both.id, tiger.id, lion.id]);
    expect(hits[4].score).toBeCloseTo(0.4 * 0.6);
    expect(hits[0]).toEqual({ photoId: tabby.id, score: 0.9, why: { term: 'tabby cat', classIndex: 1, score: 0.9 } });
    expect(hits[1].score).toBeCloseTo(0.95 * PREFIX_MATCH_FACTOR);
    expect(hits[2]).toMatchObject({ score: 0.7, why: { term: 'tiger cat', classIndex: 2 } });
  });

  it('applies ancestor weights', () => {
    const { index, tabby, seaLion, both, lion, tiger } = sample();
    const hits = index.searchWords('Animal');
    expect(ids(hits)).toEqual([tabby.id, both.id, seaLion.id, tiger.id, lion.id]);
    expect(hits[0].score).toBeCloseTo(0.9 * 0.2);
    expect(hits[0].why).toEqual({ term: 'animal', classIndex: 1, score: 0.9 });
  });

  it('matches a prefix of any word, case-insensitively', () => {
    const { index, tabby, both, seaLion, lion } = sample();
    expect(ids(index.searchWords('TABB'))).toEqual([tabby.id, both.id]);
    expect(index.searchWords('tabb')[0].score).toBeCloseTo(0.9 * PREFIX_MATCH_FACTOR);
    expect(ids(index.searchWords('li'))).toEqual([seaLion.id, lion.id]);
  });

  it('never matches inside a word', () => {
    const { index } = sample();
    expect(index.searchWords('abby')).toEqual([]);
    expect(index.searchWords('at')).toEqual([]);
    expect(index.searchWords('ion')).toEqual([]);
  });

  it('matches a phrase only as consecutive words in order', () => {
    const { index, tabby, both, seaLion, lion } = sample();
    expect(ids(index.searchWords('tabby cat'))).toEqual([tabby.id, both.id]);
    expect(index.searchWords('tabby cat')[0].score).toBe(0.9);
    expect(index.searchWords('cat tabby')).toEqual([]);
    expect(ids(index.searchWords('tabby c'))).toEqual([tabby.id, both.id]);
    expect(ids(index.searchWords('sea li'))).toEqual([seaLion.id]);
    expect(ids(index.searchWords('lion'))).toEqual([seaLion.id, lion.id]);
    expect(ids(index.searchWords('big cat'))).toEqual([lion.id]);
    expect(index.searchWords('sea cat')).toEqual([]);
  });

  it('treats punctuation as word breaks and shows the term as given', () => {
    const { index, pumpkin } = sample();
    for (const q of ['jack-o', 'JACK O LANTERN', "jack-o'-lantern", 'lantern']) {
      expect(ids(index.searchWords(q)), q).toEqual([pumpkin.id]);
    }
    expect(index.searchWords('jack o lantern')[0].why.term).toBe("jack-o'-lantern");
    expect(index.searchWords('  ')).toEqual([]);
    expect(normalizeWords('Café  Crème!')).toEqual(['cafe', 'creme']);
    // Terms from engine/labels come with apostrophes already dropped; queries must meet them.
    expect(ids(index.searchWords("lady's slip"))).toEqual([pumpkin.id]);
    expect(ids(index.searchWords('ladys'))).toEqual([pumpkin.id]);
  });

  it('lists matching terms for suggestions', () => {
    const { index } = sample();
    expect(index.matchTerms('tab').sort((a, b) => a.term.localeCompare(b.term))).toEqual([
      { term: 'tabby', exact: false },
      { term: 'tabby cat', exact: false },
    ]);
  });
});

describe('SearchIndex updates', () => {
  it('re-upserting a photo replaces its labels, and removal drops it', () => {
    const { index, tabby, boat } = sample();
    index.upsertPhoto({ ...tabby, labels: [[3, 0.99]] });
    expect(ids(index.searchWords('tabby cat'))).not.toContain(tabby.id);
    expect(ids(index.searchWords('boat'))).toEqual([tabby.id, boat.id]);
    const v = index.version;
    index.removePhoto(boat.id);
    expect(index.version).toBeGreaterThan(v);
    expect(ids(index.searchWords('boat'))).toEqual([tabby.id]);
    expect(index.get(boat.id)).toBeUndefined();
    index.removePhoto(boat.id); // twice is harmless
  });

  it('keeps light metadata only, with counts, and lists newest first', () => {
    const index = new SearchIndex(fakeTerms);
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

  it('keeps the newest-first list a grid holds as it was when the index changes', () => {
    const index = new SearchIndex(fakeTerms);
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
    const live = new SearchIndex(fakeTerms);
    const writer = new LibraryWriter(db, { onCommit: (c) => c.forEach(({ photo }) => live.upsertPhoto(photo)) });
    writer.add(item('a.jpg', { labels: [{ classIndex: 1, score: 0.9 }], takenAt: 3 }));
    writer.add(item('b.jpg', { labels: [{ classIndex: 3, score: 0.4 }], takenAt: 2 }));
    writer.add({ entry: { path: 'c.heic', size: 1, lastModified: 1 }, error: 'cannot decode' });
    await writer.flush();

    const loaded = await SearchIndex.load(db, fakeTerms);
    for (const index of [live, loaded]) {
      expect(index.allPhotos().map((id) => index.get(id)!.path)).toEqual(['a.jpg', 'b.jpg']);
      expect(index.searchWords('cat').map((h) => index.get(h.photoId)!.path)).toEqual(['a.jpg', 'b.jpg']);
      expect(index.counts).toEqual({ photos: 2, faces: 0, skipped: 1 });
    }
    db.close();
  });
});

describe('SearchIndex with the real ImageNet terms', () => {
  it('finds a tabby by its own name, its synonym and its WordNet ancestors', async () => {
    const { termsForClass, labelName } = await import('../../src/engine/labels');
    const tabbyClass = [...Array(1001).keys()].find((c) => labelName(c) === 'tabby')!;
    const index = new SearchIndex(termsForClass);
    index.upsertPhoto(rec([[tabbyClass, 0.9]], { id: 1 }));
    for (const q of ['tabby', 'Tabby cat', 'tab', 'cat', 'feline', 'animal']) {
      expect(ids(index.searchWords(q)), q).toEqual([1]);
    }
    expect(index.searchWords('tabby')[0].score).toBeCloseTo(0.9);
    expect(index.searchWords('feline')[0].score).toBeLessThan(0.9);
    expect(index.searchWords('dog')).toEqual([]);
  });
});

describe('SearchIndex at 10k photos', () => {
  it('answers every query exactly like a brute-force scan', () => {
    const rand = prng(7);
    const syllables = ['ca', 'cat', 'ta', 'bo', 'lin', 'sea', 'li', 'on', 'do', 'g'];
    const word = () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
    const classTerms: Record<number, TermWeight[]> = {};
    for (let c = 1; c <= 300; c++) {
      classTerms[c] = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => ({
        term: Array.from({ length: 1 + Math.floor(rand() * 3) }, word).join(' '),
        weight: i === 0 ? 1 : Math.round(rand() * 10) / 10,
      }));
    }
    const terms: TermsForClass = (c) => classTerms[c];
    const termWords = Object.fromEntries(
      Object.entries(classTerms).map(([c, list]) => [c, list.map((t) => ({ words: normalizeWords(t.term), weight: t.weight }))]),
    );
    const index = new SearchIndex(terms);
    const records: (PhotoRecord & { id: number })[] = [];
    for (let id = 1; id <= 10_000; id++) {
      const labels: [number, number][] = Array.from({ length: 5 }, () => [1 + Math.floor(rand() * 300), rand()]);
      const r = rec(labels, { id, path: `x/${id}.jpg` });
      records.push(r);
      index.upsertPhoto(r);
    }

    // The reference: per photo, per label, per term, compare words directly.
    const reference = (query: string) => {
      const q = normalizeWords(query);
      const best = new Map<number, number>();
      for (const r of records) {
        for (const [c, labelScore] of r.labels) {
          for (const { words: tw, weight } of termWords[c]) {
            let factor = 0;
            for (let i = 0; i + q.length <= tw.length; i++) {
              const slice = tw.slice(i, i + q.length);
              if (slice.every((w, j) => w === q[j])) factor = 1;
              else if (slice.every((w, j) => w.startsWith(q[j]))) factor = Math.max(factor, PREFIX_MATCH_FACTOR);
            }
            if (factor > 0 && q.length > 0) best.set(r.id, Math.max(best.get(r.id) ?? 0, labelScore * weight * factor));
          }
        }
      }
      return best;
    };

    for (const query of ['cat', 'ca', 'c', 'lin', 'sea li', 'catta', 'bo g', 'zzz', 'ta ta', 'ongdo']) {
      const hits = index.searchWords(query);
      const expected = reference(query);
      expect(hits.length, query).toBe(expected.size);
      // Collected first: one expect per hit would make this the slowest test by far.
      const wrong = hits.filter((h) => !(Math.abs(h.score - (expected.get(h.photoId) ?? -1)) < 1e-12));
      expect(wrong, query).toEqual([]);
      const unsorted = hits.findIndex((h, i) => i > 0 && hits[i - 1].score < h.score);
      expect(unsorted, query).toBe(-1);
    }
  });
});

describe('SearchIndex under inserts, updates and deletes', () => {
  it('keeps answering like a brute-force scan of the photos it holds', () => {
    const rand = prng(11);
    const syllables = ['ca', 'cat', 'ta', 'bo', 'lin', 'sea', 'li', 'on', 'do', 'g'];
    const word = () => Array.from({ length: 1 + Math.floor(rand() * 2) }, () => syllables[Math.floor(rand() * syllables.length)]).join('');
    const classTerms: Record<number, TermWeight[]> = {};
    for (let c = 1; c <= 60; c++) {
      classTerms[c] = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => ({
        term: Array.from({ length: 1 + Math.floor(rand() * 2) }, word).join(' '),
        // No exact score ties: with one, which label is "best" (and so whether it passes the minimum) is arbitrary.
        weight: i === 0 ? 1 : 0.1 + rand() * 0.8,
      }));
    }
    const termWords = Object.fromEntries(
      Object.entries(classTerms).map(([c, list]) => [c, list.map((t) => ({ words: normalizeWords(t.term), weight: t.weight }))]),
    );
    const index = new SearchIndex((c) => classTerms[c]);
    const held = new Map<number, PhotoRecord & { id: number }>();
    const randomLabels = (): [number, number][] => {
      const labels = new Map<number, number>();
      for (let k = Math.floor(rand() * 4); k > 0; k--) labels.set(1 + Math.floor(rand() * 60), rand());
      return [...labels];
    };

    const reference = (query: string, minLabelScore: number) => {
      const q = normalizeWords(query);
      const best = new Map<number, { score: number; label: number }>();
      if (!q.length) return best;
      for (const r of held.values()) {
        for (const [c, labelScore] of r.labels) {
          for (const { words: tw, weight } of termWords[c]) {
            let factor = 0;
            for (let i = 0; i + q.length <= tw.length; i++) {
              const slice = tw.slice(i, i + q.length);
              if (slice.every((w, j) => w === q[j])) factor = 1;
              else if (slice.every((w, j) => w.startsWith(q[j]))) factor = Math.max(factor, PREFIX_MATCH_FACTOR);
            }
            const score = labelScore * weight * factor;
            if (factor > 0 && score > (best.get(r.id)?.score ?? -1)) best.set(r.id, { score, label: labelScore });
          }
        }
      }
      // As the index does: the best label is chosen first, then dropped if the classifier was unsure of it.
      for (const [id, b] of best) if (b.label < minLabelScore) best.delete(id);
      return best;
    };

    let nextNew = 1;
    for (let round = 0; round < 12; round++) {
      for (let op = 0; op < 150; op++) {
        const roll = rand();
        const ids = [...held.keys()];
        if (roll < 0.5 || ids.length < 10) {
          const id = nextNew++;
          const r = rec(randomLabels(), { id, path: `c/${id}.jpg`, takenAt: Math.floor(rand() * 50) });
          held.set(id, r);
          index.upsertPhoto(r);
        } else if (roll < 0.8) {
          const id = ids[Math.floor(rand() * ids.length)];
          const r = { ...held.get(id)!, labels: randomLabels(), takenAt: Math.floor(rand() * 50) };
          held.set(id, r);
          index.upsertPhoto(r);
        } else {
          const id = ids[Math.floor(rand() * ids.length)];
          held.delete(id);
          index.removePhoto(id);
        }
      }
      for (const query of ['cat', 'ca', 'c', 'li', 'sea li', 'bo g', 'zzz', 'on', 'do']) {
        for (const min of [0, 0.3]) {
          const expected = reference(query, min);
          const hits = index.wordHits(query, min);
          expect(hits.size, `${query} ≥${min}, round ${round}`).toBe(expected.size);
          const wrong = [...hits.ids].filter((id, i) => !(Math.abs(hits.scores[i] - (expected.get(id)?.score ?? -1)) < 1e-12));
          expect(wrong, `${query} ≥${min}, round ${round}`).toEqual([]);
          expect([...expected.keys()].filter((id) => !hits.has(id))).toEqual([]);
        }
        expect(index.searchWords(query).map((h) => h.photoId).sort((a, b) => a - b)).toEqual([...reference(query, 0).keys()].sort((a, b) => a - b));
      }
      const newest = [...held.values()].sort((a, b) => b.takenAt! - a.takenAt! || b.id - a.id).map((r) => r.id);
      expect(index.allPhotos()).toEqual(newest);
      expect(newest.every((id, i) => index.newestRank(id) === i)).toBe(true);
      expect(index.counts.photos).toBe(held.size);
    }
  });
});
