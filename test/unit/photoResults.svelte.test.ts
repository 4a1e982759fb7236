import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { PhotoResults } from '../../src/ui/photoResults.svelte';
import { LibraryIndexes } from '../../src/ui/libraryIndexes.svelte';
import { LibraryWriter } from '../../src/library/store/writer';
import type { Page } from '../../src/ui/route';
import { face, item } from './libraryFixtures';

const DOG = 208; // golden retriever
const CAT = 282; // tabby
let n = 0;
const opened: LibraryIndexes[] = [];
afterEach(() => opened.splice(0).forEach((l) => l.dispose()));

/** A loaded library of three photos (two dogs, one cat; faces on the first two) and results over a page in $state. */
async function setup() {
  const indexes = new LibraryIndexes({ busy: () => false, onError: () => {} }, `results-${process.pid}-${++n}`);
  opened.push(indexes);
  const writer = new LibraryWriter(await indexes.open(), { batchSize: 10, flushMs: 60_000 });
  // The dogs' activations in one half, nearly the same; the cat's in the other half.
  const embedding = (seed: number) => Uint8Array.from({ length: 1024 }, (_, i) => (seed < 10 ? (i < 512 ? (i % 5) + seed : 0) : i >= 512 ? 5 : 0));
  writer.add(item('dog1.jpg', { labels: [{ classIndex: DOG, score: 0.9 }], takenAt: 3000, faces: [face(1)], embedding: embedding(1) }));
  writer.add(item('dog2.jpg', { labels: [{ classIndex: DOG, score: 0.6 }], takenAt: 2000, faces: [face(2)], embedding: embedding(2) }));
  writer.add(item('cat.jpg', { labels: [{ classIndex: CAT, score: 0.8 }], takenAt: 1000, embedding: embedding(10) }));
  writer.add({ entry: { path: 'broken.jpg', size: 1, lastModified: 1 }, error: 'corrupt JPEG' });
  await writer.close();
  await indexes.load();
  let page = $state<Page>({ kind: 'photos', q: '' });
  const results = new PhotoResults(() => page, indexes);
  const search = indexes.search!;
  const paths = () => results.results.items.slice(0, results.results.items.length).map((i) => i.path);
  const why = (i: number) => results.results.items.at(i)?.why;
  return { indexes, results, paths, why, id: (path: string) => search.idOfPath(path)!, go: (p: Page) => (page = p) };
}

describe('PhotoResults', () => {
  it('every photo newest first, the counts and the skipped files', async () => {
    const { results, paths, why } = await setup();
    expect(paths()).toEqual(['dog1.jpg', 'dog2.jpg', 'cat.jpg']);
    expect(why(0)).toBeNull();
    expect(results.counts).toEqual({ photos: 3, faces: 2, skipped: 1 });
    expect(results.skipped.map((m) => m.path)).toEqual(['broken.jpg']);
    expect(results.query).toBe('');
  });

  it('a query from the URL, best first; going back to it reuses its answer', async () => {
    const { results, paths, go, id } = await setup();
    go({ kind: 'photos', q: 'dog' });
    expect(results.query).toBe('dog');
    expect(paths()).toEqual(['dog1.jpg', 'dog2.jpg']);
    const answer = results.results;
    go({ kind: 'photos', q: 'cat' });
    expect(paths()).toEqual(['cat.jpg']);
    go({ kind: 'photos', q: 'dog' });
    expect(results.results).toBe(answer);
    expect(results.preview('dog')).toEqual({ count: 2, cover: id('dog1.jpg') });
  });

  it('a face search finds the face’s photo at distance 0, and says when the face is gone', async () => {
    const { results, paths, why, go, indexes } = await setup();
    const [{ faceId }] = indexes.faces!.search(face(1).descriptor, 0.01);
    go({ kind: 'face', faceId, threshold: Number.NaN });
    expect(results.faceSearch).toEqual({ faceId, threshold: expect.any(Number) });
    expect(paths()[0]).toBe('dog1.jpg');
    expect(why(0)).toBe('face distance 0.00');
    go({ kind: 'face', faceId: 9999, threshold: 0.5 });
    expect(results.results.messages).toEqual(['That face is no longer in the library']);
  });

  it('more like this: the nearest photos by embedding, or "No similar photos"', async () => {
    const { results, paths, why, go, id } = await setup();
    go({ kind: 'similar', photoId: id('dog1.jpg') });
    expect(results.similarTo).toBe(id('dog1.jpg'));
    expect(paths()).toEqual(['dog2.jpg']);
    expect(why(0)).toMatch(/^\d+% similar$/);
    go({ kind: 'similar', photoId: 9999 });
    expect(results.results.messages).toEqual(['No similar photos']);
  });

  it('a person’s photos, named in the why; a person without photos says so', async () => {
    const { results, go } = await setup();
    go({ kind: 'person-photos', personId: 77, why: 'Grace' });
    expect(results.personSearch).toEqual({ personId: 77, why: 'Grace' });
    expect(results.results.messages).toEqual(['No photos of this person are left']);
    go({ kind: 'person-photos', personId: 77 });
    expect(results.personSearch?.why).toBe('Unnamed person');
  });

  it('follows changes of the indexes: a query answered before a change is answered again after it', async () => {
    const { results, paths, indexes, id, go } = await setup();
    go({ kind: 'photos', q: 'dog' });
    expect(paths()).toEqual(['dog1.jpg', 'dog2.jpg']);
    indexes.search!.removePhoto(id('dog2.jpg'));
    indexes.changed();
    expect(paths()).toEqual(['dog1.jpg']);
    expect(results.counts.photos).toBe(2);
  });
});
