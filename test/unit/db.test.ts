import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { forEachPage, getMeta, migrations, openLibraryDb, SCHEMA_VERSION, setMeta, type Migration } from '../../src/library/store/db';
import type { PhotoRecord } from '../../src/library/types';

let n = 0;
const uniqueName = () => `db-test-${++n}`;

function photo(path: string): PhotoRecord {
  return {
    path, size: 1, lastModified: 1, width: 1, height: 1, takenAt: null, camera: null, gps: null,
    thumb: null, labels: [], faceCount: 0, modelVersion: 1, indexedAt: 0,
  };
}

describe('schema v4', () => {
  it('creates exactly the stores, keys and indexes of the design', async () => {
    const db = await openLibraryDb(uniqueName());
    // v3 names places, v4 keeps text in the photo records: neither changes a store.
    expect(SCHEMA_VERSION).toBe(4);
    expect(db.version).toBe(4);
    expect([...db.objectStoreNames].sort()).toEqual(['embeddings', 'faces', 'meta', 'people', 'photos', 'queue', 'thumbs']);

    const tx = db.transaction(['photos', 'faces', 'embeddings', 'people', 'queue', 'meta', 'thumbs']);
    const shape = (name: 'photos' | 'faces' | 'embeddings' | 'people' | 'queue' | 'meta' | 'thumbs') => {
      const s = tx.objectStore(name);
      return {
        keyPath: s.keyPath,
        autoIncrement: s.autoIncrement,
        indexes: Object.fromEntries(
          [...s.indexNames].map((i) => [i, { keyPath: s.index(i as never).keyPath, unique: s.index(i as never).unique }]),
        ),
      };
    };
    expect(shape('photos')).toEqual({
      keyPath: 'id', autoIncrement: true,
      indexes: { path: { keyPath: 'path', unique: true }, takenAt: { keyPath: 'takenAt', unique: false } },
    });
    expect(shape('faces')).toEqual({
      keyPath: 'id', autoIncrement: true,
      indexes: { photoId: { keyPath: 'photoId', unique: false }, personId: { keyPath: 'personId', unique: false } },
    });
    expect(shape('embeddings')).toEqual({ keyPath: 'photoId', autoIncrement: false, indexes: {} });
    expect(shape('people')).toEqual({
      keyPath: 'id', autoIncrement: true, indexes: { name: { keyPath: 'name', unique: false } },
    });
    expect(shape('queue')).toEqual({
      keyPath: 'path', autoIncrement: false, indexes: { state: { keyPath: 'state', unique: false } },
    });
    expect(shape('meta')).toEqual({ keyPath: null, autoIncrement: false, indexes: {} });
    expect(shape('thumbs')).toEqual({ keyPath: null, autoIncrement: false, indexes: {} });
    await tx.done;
    expect(await getMeta(db, 'schemaVersion')).toBe(4);
    db.close();
  });

  it('rejects a second photo with the same path', async () => {
    const db = await openLibraryDb(uniqueName());
    await db.add('photos', photo('a.jpg'));
    await expect(db.add('photos', photo('a.jpg'))).rejects.toMatchObject({ name: 'ConstraintError' });
    db.close();
  });

  it('keeps data across reopening', async () => {
    const name = uniqueName();
    const db = await openLibraryDb(name);
    const id = await db.add('photos', photo('a.jpg'));
    await setMeta(db, 'settings', { workers: 3 });
    db.close();
    const again = await openLibraryDb(name);
    expect((await again.get('photos', id))?.path).toBe('a.jpg');
    expect(await getMeta(again, 'settings')).toEqual({ workers: 3 });
    expect(await getMeta(again, 'missing')).toBeUndefined();
    again.close();
  });
});

describe('migrations', () => {
  it('applies only the steps after the stored version, keeping user data', async () => {
    const name = uniqueName();
    const next = SCHEMA_VERSION + 1;
    const v1 = await openLibraryDb(name);
    await v1.add('photos', photo('x/a.jpg'));
    await v1.add('photos', photo('x/b.jpg'));

    let v0Runs = 0;
    // A data-rewriting step: it awaits IDB requests only, so the upgrade transaction stays alive.
    const step1: Migration = async (_db, tx) => {
      let cursor = await tx.objectStore('photos').openCursor();
      while (cursor) {
        await cursor.update({ ...cursor.value, camera: 'migrated' });
        cursor = await cursor.continue();
      }
    };
    const steps = { ...migrations, 0: ((db, tx) => { v0Runs++; migrations[0](db, tx); }) as Migration, [SCHEMA_VERSION]: step1 };
    // The first connection is still open: the default `blocking` handler closes it so the upgrade can run.
    const v2 = await openLibraryDb(name, { version: next, migrations: steps });
    expect(v0Runs).toBe(0);
    expect(v2.version).toBe(next);
    const all = await v2.getAll('photos');
    expect(all.map((p) => [p.path, p.camera])).toEqual([['x/a.jpg', 'migrated'], ['x/b.jpg', 'migrated']]);
    expect(await getMeta(v2, 'schemaVersion')).toBe(next);
    v2.close();
  });

  it('runs every step in order on a fresh database', async () => {
    const order: number[] = [];
    const steps: Record<number, Migration> = {
      0: (db, tx) => { order.push(0); migrations[0](db, tx); },
      1: () => { order.push(1); },
    };
    const db = await openLibraryDb(uniqueName(), { version: 2, migrations: steps });
    expect(order).toEqual([0, 1]);
    db.close();
  });

  it('a failing step rolls the whole upgrade back and reports its own error', async () => {
    const name = uniqueName();
    const v1 = await openLibraryDb(name);
    await v1.add('photos', photo('keep.jpg'));
    v1.close();
    const steps: Record<number, Migration> = {
      ...migrations,
      [SCHEMA_VERSION]: (db) => {
        db.deleteObjectStore('photos');
        throw new Error('step broke');
      },
    };
    await expect(openLibraryDb(name, { version: SCHEMA_VERSION + 1, migrations: steps })).rejects.toThrow('step broke');
    const back = await openLibraryDb(name);
    expect(back.version).toBe(SCHEMA_VERSION);
    expect((await back.getAll('photos')).map((p) => p.path)).toEqual(['keep.jpg']);
    back.close();
  });
});

describe('forEachPage', () => {
  it('hands over every record once, in key order, across pages of any size', async () => {
    const db = await openLibraryDb(uniqueName());
    for (let i = 0; i < 23; i++) await db.add('photos', photo(`p${i}.jpg`));
    // Embeddings are keyed by photoId, not id: paging must follow each store's own key.
    for (const id of [5, 2, 19, 11]) await db.put('embeddings', { photoId: id, vector: new Uint8Array(4) });
    for (const batch of [1, 7, 23, 100]) {
      const pages: number[][] = [];
      await forEachPage(db, 'photos', (page) => pages.push(page.map((p) => p.id!)), batch);
      expect(pages.flat()).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
      expect(pages.every((p) => p.length <= batch)).toBe(true);
      const embedded: number[] = [];
      await forEachPage(db, 'embeddings', (page) => embedded.push(...page.map((e) => e.photoId)), batch);
      expect(embedded).toEqual([2, 5, 11, 19]);
    }
    db.close();
  });
});
