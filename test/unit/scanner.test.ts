import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MODEL_VERSION } from '../../src/engine/types';
import { diffFolder, enqueue, removePhotos } from '../../src/library/indexing/scanner';
import type { SourceEntry } from '../../src/library/types';
import { LibraryWriter } from '../../src/library/store/writer';
import { face, freshDb, item } from './libraryFixtures';

function src(path: string, size = 100, lastModified = 1000): SourceEntry {
  return { path, size, lastModified, getFile: () => Promise.reject(new Error('no pixels in the scanner')) };
}

describe('diffFolder', () => {
  it('sorts files into new, changed, stale-model, unchanged and removed', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    writer.add(item('same.jpg'));
    writer.add(item('bigger.jpg'));
    writer.add(item('touched.jpg'));
    writer.add(item('old-model.jpg', { modelVersion: MODEL_VERSION - 1 }));
    writer.add(item('gone.jpg', { faces: [face(1)] }));
    writer.add(item('also-gone.jpg'));
    const committed = await writer.flush();
    const idOf = (p: string) => committed.find((c) => c.photo.path === p)!.photo.id;

    const diff = await diffFolder(db, [
      src('same.jpg'),
      src('bigger.jpg', 101),
      src('touched.jpg', 100, 2000),
      src('old-model.jpg'),
      src('new.jpg'),
      src('same.jpg'), // listed twice: counted once
    ]);
    expect(diff.toIndex.map((e) => e.path)).toEqual(['bigger.jpg', 'touched.jpg', 'old-model.jpg', 'new.jpg']);
    expect(diff.unchanged).toBe(1);
    expect(diff.removed.sort()).toEqual([idOf('gone.jpg'), idOf('also-gone.jpg')].sort());
    db.close();
  });

  it('does not retry a failed file until it changes, whatever its model version', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    writer.add({ entry: { path: 'bad.heic', size: 10, lastModified: 5 }, error: 'cannot decode' });
    writer.add({ entry: { path: 'bad2.tif', size: 10, lastModified: 5 }, error: 'cannot decode' });
    await writer.flush();
    // Even a record from an older model is left alone while the file is the same.
    const rec = await db.getFromIndex('photos', 'path', 'bad2.tif');
    await db.put('photos', { ...rec!, modelVersion: MODEL_VERSION - 1 });

    const diff = await diffFolder(db, [src('bad.heic', 10, 5), src('bad2.tif', 10, 5)]);
    expect(diff).toEqual({ toIndex: [], unchanged: 2, removed: [] });

    const changed = await diffFolder(db, [src('bad.heic', 11, 5), src('bad2.tif', 10, 5)]);
    expect(changed.toIndex.map((e) => e.path)).toEqual(['bad.heic']);
    db.close();
  });

  it('on an empty library everything is new', async () => {
    const db = await freshDb();
    const diff = await diffFolder(db, [src('a.jpg'), src('b.jpg')]);
    expect(diff.toIndex.map((e) => e.path)).toEqual(['a.jpg', 'b.jpg']);
    expect(diff.unchanged).toBe(0);
    expect(diff.removed).toEqual([]);
    db.close();
  });
});

describe('removePhotos', () => {
  it('deletes the photos with their faces and embeddings, and nothing else', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    const emb = new Float32Array(1024);
    writer.add(item('a.jpg', { faces: [face(1), face(2)], embedding: emb }));
    writer.add(item('b.jpg', { faces: [face(3)], embedding: emb }));
    writer.add(item('c.jpg', { faces: [face(4)], embedding: emb }));
    const [a, b, c] = await writer.flush();

    await removePhotos(db, [a.photo.id, c.photo.id]);
    expect(await db.getAllKeys('photos')).toEqual([b.photo.id]);
    expect(await db.getAllKeys('faces')).toEqual(b.faces.map((f) => f.id));
    expect(await db.getAllKeys('embeddings')).toEqual([b.photo.id]);
    // Unknown ids are harmless.
    await removePhotos(db, [12345]);
    expect(await db.count('photos')).toBe(1);
    db.close();
  });
});

describe('enqueue', () => {
  it('stores queued entries by path', async () => {
    const db = await freshDb();
    await enqueue(db, [src('a.jpg'), src('b.jpg')]);
    expect(await db.getAllFromIndex('queue', 'state', 'queued')).toEqual([
      { path: 'a.jpg', state: 'queued', attempts: 0 },
      { path: 'b.jpg', state: 'queued', attempts: 0 },
    ]);
    db.close();
  });
});
