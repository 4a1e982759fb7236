import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { LibraryIndexes } from '../../src/ui/libraryIndexes.svelte';
import { LibraryWriter } from '../../src/library/store/writer';
import { SearchIndex } from '../../src/library/search/searchIndex';
import { setMeta } from '../../src/library/store/db';
import { packCatalog, readGenerations, writeSnapshots } from '../../src/library/store/snapshots';
import { face, item } from './libraryFixtures';

let n = 0;
const opened: LibraryIndexes[] = [];

function indexes(name = `indexes-${process.pid}-${++n}`) {
  const calls = { errors: [] as string[], photosLoaded: 0 };
  const lib = new LibraryIndexes({ busy: () => false, onError: (m) => calls.errors.push(m), onPhotosLoaded: () => calls.photosLoaded++ }, name);
  opened.push(lib);
  return { lib, calls, name };
}

/** Which startup snapshots the latest load used (the mark the cold-open benchmark reads). */
const snapshotsUsed = () => (performance.getEntriesByName('shoebox:snapshots-used').at(-1) as PerformanceMark).detail;

afterEach(() => {
  for (const lib of opened.splice(0)) lib.dispose();
});

describe('LibraryIndexes (library loading)', () => {
  it('opens an empty library: no photos, no people, no folder', async () => {
    const { lib, calls } = indexes();
    expect(lib.search).toBeNull();
    await lib.load();
    expect(lib.db).not.toBeNull();
    expect(lib.search!.counts).toEqual({ photos: 0, faces: 0, skipped: 0 });
    expect(lib.people!.list()).toEqual([]);
    expect(lib.folderName).toBeNull();
    expect(calls.photosLoaded).toBe(1);
    expect(lib.version).toBeGreaterThan(0);
  });

  it('builds the search, face and similar indexes from the records, and names the folder', async () => {
    const { lib } = indexes();
    const db = await lib.open();
    const writer = new LibraryWriter(db, { batchSize: 10, flushMs: 60_000 });
    writer.add(item('a.jpg', { faces: [face(1), face(2)], embedding: new Uint8Array(1024).fill(3) }));
    writer.add(item('b.jpg', { faces: [face(3)], embedding: new Uint8Array(1024).fill(9) }));
    writer.add({ entry: { path: 'broken.jpg', size: 1, lastModified: 1 }, error: 'corrupt JPEG' });
    await writer.close();
    await setMeta(db, 'folderName', 'Holidays');

    await lib.load();
    expect(lib.search!.counts).toEqual({ photos: 2, faces: 3, skipped: 1 });
    expect(lib.folderName).toBe('Holidays');
    const a = lib.search!.idOfPath('a.jpg')!;
    expect(lib.faces!.size).toBe(3);
    expect(lib.similar!.nearest(a, 5, -1).map((h) => h.photoId)).toEqual([lib.search!.idOfPath('b.jpg')]);
    expect(snapshotsUsed()).toEqual({ catalog: false, embeddings: false, faces: false });
  });

  it('a cold open uses a current catalog snapshot, and ignores a stale one', async () => {
    const first = indexes();
    const db = await first.lib.open();
    const writer = new LibraryWriter(db, { batchSize: 10, flushMs: 60_000 });
    writer.add(item('a.jpg'));
    writer.add(item('b.jpg'));
    await writer.close();
    const { photos } = await readGenerations(db);
    await writeSnapshots(db, { catalog: packCatalog((await SearchIndex.load(db)).metas(), photos) });

    const cold = indexes(first.name);
    await cold.lib.load();
    expect(snapshotsUsed()).toMatchObject({ catalog: true });
    expect(cold.lib.search!.counts.photos).toBe(2);

    // A photo written after the snapshot makes it stale: the records are read instead, and the new photo shows.
    const more = new LibraryWriter(db, { batchSize: 10, flushMs: 60_000 });
    more.add(item('c.jpg'));
    await more.close();
    const after = indexes(first.name);
    await after.lib.load();
    expect(snapshotsUsed()).toMatchObject({ catalog: false });
    expect(after.lib.search!.counts.photos).toBe(3);
  });

  it('changed() and a reload tell views through version; setFolderName names the folder', async () => {
    const { lib } = indexes();
    await lib.load();
    const v = lib.version;
    lib.changed();
    expect(lib.version).toBe(v + 1);
    lib.setFolderName('Sample photos');
    expect(lib.folderName).toBe('Sample photos');
    await lib.load();
    expect(lib.version).toBeGreaterThan(v + 1);
    // The stored name wins on a reload (none was stored here).
    expect(lib.folderName).toBeNull();
  });
});
