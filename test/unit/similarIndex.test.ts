import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DUPLICATE_SIMILARITY, SimilarIndex, keepReason, suggestKeep } from '../../src/library/search/similarIndex';
import { freshDb } from './libraryFixtures';

// Embeddings of the real test photos from the real engine (see the fixture's "about").
const fixture = JSON.parse(readFileSync(new URL('./fixtures/embeddings.json', import.meta.url), 'utf8')) as {
  embeddings: Record<string, string>;
};
const names = Object.keys(fixture.embeddings);
const vector = (name: string) => new Uint8Array(Buffer.from(fixture.embeddings[name], 'base64'));
const originals = names.filter((n) => !n.includes('#'));

function indexOf(list: string[]): { index: SimilarIndex; name: (id: number) => string; id: (name: string) => number } {
  const index = new SimilarIndex();
  list.forEach((n, i) => index.set(i + 1, vector(n)));
  return { index, name: (id) => list[id - 1], id: (n) => list.indexOf(n) + 1 };
}

describe('SimilarIndex on real photos', () => {
  it('has the real engine’s embeddings', () => {
    expect(originals.length).toBeGreaterThanOrEqual(28);
    for (const n of names) expect(vector(n), n).toHaveLength(1024);
  });

  it('groups the 720p and 1080p cat, and nothing else, among all the test photos', () => {
    const { index, name } = indexOf(originals);
    const groups = index.duplicateGroups().map((g) => g.map(name).sort());
    expect(groups).toEqual([['shared/cat_1080p.jpg', 'shared/cat_720p.jpg']]);
  });

  it('groups resized, re-encoded and cropped copies with their original only', () => {
    const { index, name } = indexOf(names);
    const groups = index.duplicateGroups().map((g) => g.map(name).sort());
    const expected = ['shared/bird.bmp', 'shared/hot_dog.jpg', 'shared/owl.jpg', 'shared/pets.jpg'].map((o) =>
      names.filter((n) => n === o || n.startsWith(`${o}#`)).sort(),
    );
    expected.push(['shared/cat_1080p.jpg', 'shared/cat_720p.jpg']);
    expect(groups.sort()).toEqual(expected.sort());
    for (const g of expected) expect(g.length).toBeGreaterThanOrEqual(2);
  });

  it('lists the 1080p cat first for "more like this" on the 720p cat', () => {
    const { index, name, id } = indexOf(originals);
    const near = index.nearest(id('shared/cat_720p.jpg'), 5);
    expect(name(near[0].photoId)).toBe('shared/cat_1080p.jpg');
    expect(near[0].similarity).toBeGreaterThan(0.99);
    expect(near[1].similarity).toBeLessThan(DUPLICATE_SIMILARITY);
    expect(near.map((h) => h.photoId)).not.toContain(id('shared/cat_720p.jpg'));
    for (let i = 1; i < near.length; i++) expect(near[i].similarity).toBeLessThanOrEqual(near[i - 1].similarity);
  });

  it('keeps a dense matrix through removals and replacements', () => {
    const { index, id } = indexOf(originals);
    const cat720 = id('shared/cat_720p.jpg');
    const cat1080 = id('shared/cat_1080p.jpg');
    const first = id(originals[0]);
    index.remove(first);
    index.remove(cat1080);
    expect(index.size).toBe(originals.length - 2);
    expect(index.duplicateGroups()).toEqual([]);
    expect(index.similarity(cat720, cat1080)).toBeNull();
    index.set(999, vector('shared/cat_1080p.jpg'));
    expect(index.duplicateGroups()).toEqual([[cat720, 999]]);
    // Replacing a photo's vector (re-indexed) moves it out of the group.
    index.set(999, vector(originals[0]));
    expect(index.duplicateGroups()).toEqual([]);
    expect(index.nearest(404)).toEqual([]);
  });

  it('reads Float32 embeddings too, and loads from IndexedDB', async () => {
    const db = await freshDb();
    const cat = Float32Array.from(vector('shared/cat_720p.jpg'), (v) => v / 40);
    await db.put('embeddings', { photoId: 1, vector: cat });
    await db.put('embeddings', { photoId: 2, vector: vector('shared/cat_1080p.jpg') });
    await db.put('embeddings', { photoId: 3, vector: vector('shared/owl.jpg') });
    const index = await SimilarIndex.load(db);
    expect(index.size).toBe(3);
    expect(index.duplicateGroups()).toEqual([[1, 2]]);
    expect(() => index.set(4, new Uint8Array(10))).toThrow(/1024/);
  });
});

describe('suggestKeep', () => {
  const copy = (id: number, width: number, height: number, size: number, path = `p${id}.jpg`) => ({ id, path, width, height, size });
  it('keeps the most pixels, then the larger file, then the shorter path', () => {
    expect(suggestKeep([copy(1, 1280, 720, 900), copy(2, 1920, 1080, 500)]).id).toBe(2);
    expect(suggestKeep([copy(1, 800, 600, 100), copy(2, 800, 600, 300)]).id).toBe(2);
    expect(suggestKeep([copy(1, 800, 600, 100, 'backup/old/a.jpg'), copy(2, 800, 600, 100, 'a.jpg')]).id).toBe(2);
  });

  it('says why', () => {
    const big = [copy(1, 1280, 720, 900), copy(2, 1920, 1080, 500)];
    expect(keepReason(suggestKeep(big), big)).toBe('largest resolution');
    const heavy = [copy(1, 800, 600, 100), copy(2, 800, 600, 300)];
    expect(keepReason(suggestKeep(heavy), heavy)).toBe('same resolution, largest file');
    const same = [copy(1, 800, 600, 100, 'backup/a.jpg'), copy(2, 800, 600, 100, 'a.jpg')];
    expect(keepReason(suggestKeep(same), same)).toBe('same size, shortest path');
  });
});

describe('SimilarIndex at library scale', () => {
  it('finds exactly the pairs a brute-force scan finds, async too', async () => {
    // 600 made-up photos: mixes of two real embeddings with strong per-value noise, and 3 planted copies.
    const real = originals.map(vector);
    let seed = 9;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    const made = (): Uint8Array => {
      const a = real[Math.floor(rnd() * real.length)];
      const b = real[Math.floor(rnd() * real.length)];
      const w = rnd();
      return Uint8Array.from(a, (_, j) => Math.min(255, Math.round(0.25 * (w * a[j] + (1 - w) * b[j]) * Math.exp(gauss() * 0.5))));
    };
    const index = new SimilarIndex();
    const vectors = new Map<number, Uint8Array>();
    for (let id = 1; id <= 600; id++) vectors.set(id, made());
    for (const [copy, of] of [[601, 5], [602, 77], [603, 601]]) vectors.set(copy, vectors.get(of)!.map((v) => Math.min(255, v + (rnd() < 0.2 ? 3 : 0))));
    for (const [id, v] of vectors) index.set(id, v);

    const brute: number[][] = [];
    const parentOf = new Map<number, number>();
    const find = (i: number): number => (parentOf.get(i) ?? i) === i ? i : find(parentOf.get(i)!);
    const ids = [...vectors.keys()];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) if (index.similarity(ids[i], ids[j])! >= DUPLICATE_SIMILARITY) parentOf.set(find(ids[i]), find(ids[j]));
    const byRoot = new Map<number, number[]>();
    for (const id of ids) byRoot.set(find(id), [...(byRoot.get(find(id)) ?? []), id]);
    for (const g of byRoot.values()) if (g.length > 1) brute.push(g.sort((x, y) => x - y));
    brute.sort((x, y) => x[0] - y[0]);

    expect(brute).toEqual([[5, 601, 603], [77, 602]]);
    expect(index.duplicateGroups()).toEqual(brute);
    expect(await index.duplicateGroupsAsync()).toEqual(brute);
  });
});
