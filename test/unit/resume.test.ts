import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Indexer, type IndexProgress } from '../../src/library/indexing/indexer';
import type { EnginePool } from '../../src/library/indexing/enginePool';
import type { SourceEntry } from '../../src/library/types';
import { analysis, face, freshDb } from './libraryFixtures';

const entries = (n: number): SourceEntry[] =>
  Array.from({ length: n }, (_, i) => ({ path: `p${i}.jpg`, size: 10 + i, lastModified: 1000, getFile: async () => new File(['x'], `p${i}.jpg`) }));

/** A pool that records what it analyses; `onCall` may cancel the run (as a closing tab would stop it). */
function fakePool(onCall: (path: string, n: number) => void = () => {}) {
  const calls: string[] = [];
  const pool = {
    size: 2,
    analyze: async (_blob: Blob, path: string) => {
      calls.push(path);
      onCall(path, calls.length);
      return analysis({ faces: Number(path.slice(1, -4)) % 3 === 0 ? [face(calls.length)] : [] });
    },
  } as unknown as EnginePool;
  return { pool, calls };
}

const hooks = { onProgress: (_: IndexProgress) => {}, onCommit: () => {}, onRemoved: () => {} };

describe('resuming an interrupted run', () => {
  it('a second run analyses exactly the files the first did not commit', async () => {
    const db = await freshDb();
    let indexer!: Indexer;
    const first = fakePool((_p, n) => n === 12 && indexer.cancel());
    indexer = new Indexer(db, first.pool, hooks, { batchSize: 5, flushMs: 60_000 });
    const stopped = await indexer.run(entries(40));
    expect(stopped.state).toBe('cancelled');
    const committed = (await db.getAll('photos')).map((p) => p.path);
    const queued = (await db.getAllKeys('queue')) as string[];
    expect(committed.length).toBeGreaterThan(0);
    expect([...committed, ...queued].sort()).toEqual(entries(40).map((e) => e.path).sort());

    const second = fakePool();
    const done = await new Indexer(db, second.pool, hooks, { batchSize: 5 }).run(entries(40));
    expect(done).toMatchObject({ state: 'done', total: queued.length, unchanged: committed.length });
    expect(second.calls.sort()).toEqual([...queued].sort());
    expect(await db.count('photos')).toBe(40);
    expect(await db.count('queue')).toBe(0);
    for (const p of await db.getAll('photos')) expect(await db.countFromIndex('faces', 'photoId', p.id!)).toBe(p.faceCount);
  });

  it('a new run replaces what an older run left queued (files gone from the folder are not offered again)', async () => {
    const db = await freshDb();
    await db.put('queue', { path: 'deleted since.jpg', state: 'queued', attempts: 0 });
    await new Indexer(db, fakePool().pool, hooks, { batchSize: 5 }).run(entries(3));
    expect(await db.count('queue')).toBe(0);
  });
});

describe('removeThumbnails', () => {
  it('drops every thumbnail in one go and keeps everything else', async () => {
    const { removeThumbnails } = await import('../../src/library/store/thumbnails');
    const db = await freshDb();
    await new Indexer(db, fakePool().pool, hooks, { batchSize: 5 }).run(entries(7));
    const before = await db.getAll('photos');
    expect((await db.getAllKeys('thumbs')).sort()).toEqual(before.map((p) => p.id).sort());
    // A record written by schema 1 holds its own thumbnail: it goes too.
    const { id: _id, ...first } = before[0];
    const legacy = { ...first, path: 'old/v1.jpg', thumb: new Blob(['v1 thumb']) };
    const legacyId = await db.add('photos', legacy);
    expect(await removeThumbnails(db)).toBe(8);
    expect(await db.count('thumbs')).toBe(0);
    expect((await db.get('photos', legacyId))?.thumb).toBeUndefined();
    await db.delete('photos', legacyId);
    expect(await db.getAll('photos')).toEqual(before);
    expect(await db.count('faces')).toBe(3);
  });
});
