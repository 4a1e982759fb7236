import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { planStages, stageTotals, type LaterStage } from '../../src/library/indexing/stages';
import { Indexer, type IndexProgress } from '../../src/library/indexing/indexer';
import type { EnginePool } from '../../src/library/indexing/enginePool';
import type { PassRequest } from '../../src/library/indexing/stages';
import type { QueueRecord, SourceEntry } from '../../src/library/types';
import { analysis, face, freshDb } from './libraryFixtures';

const src = (path: string): SourceEntry => ({ path, size: 10, lastModified: 1000, getFile: async () => new File(['x'], path) });
const entries = (n: number) => Array.from({ length: n }, (_, i) => src(`p${String(i).padStart(2, '0')}.jpg`));
const ALL: LaterStage[] = ['faces', 'objects', 'embedding', 'text'];

describe('planStages', () => {
  it('queues new photos for the first pass and every enabled later stage, in stage order', () => {
    const plan = planStages([src('a.jpg')], [src('a.jpg')], new Map(), ['text', 'faces']);
    expect(plan.first.map((e) => e.path)).toEqual(['a.jpg']);
    expect(plan.later).toEqual([]);
    expect(plan.queue).toEqual([{ path: 'a.jpg', state: 'queued', attempts: 0, lacks: ['labels', 'faces', 'text'] }]);
  });

  it('resumes an unchanged photo at the stages it lacks, without its first pass', () => {
    const queued = new Map<string, QueueRecord>([
      ['done.jpg', { path: 'done.jpg', state: 'queued', attempts: 0, lacks: ['faces', 'objects'] }],
      ['new.jpg', { path: 'new.jpg', state: 'queued', attempts: 0, lacks: ['labels', 'faces', 'objects'] }],
    ]);
    const plan = planStages([src('done.jpg'), src('new.jpg')], [src('new.jpg')], queued, ALL);
    expect(plan.first.map((e) => e.path)).toEqual(['new.jpg']);
    expect(plan.later.map((l) => [l.entry.path, l.lacks])).toEqual([['done.jpg', ['faces', 'objects']]]);
    expect(stageTotals(plan, ALL)).toEqual({
      labels: { done: 0, total: 1 },
      faces: { done: 0, total: 2 },
      objects: { done: 0, total: 2 },
      embedding: { done: 0, total: 1 },
      text: { done: 0, total: 1 },
    });
  });

  it('drops a stage switched off since, and photos left with nothing to do or gone from the folder', () => {
    const queued = new Map<string, QueueRecord>([
      ['a.jpg', { path: 'a.jpg', state: 'queued', attempts: 0, lacks: ['objects'] }],
      ['b.jpg', { path: 'b.jpg', state: 'queued', attempts: 0, lacks: ['objects', 'faces'] }],
      ['gone.jpg', { path: 'gone.jpg', state: 'queued', attempts: 0, lacks: ['faces'] }],
    ]);
    const plan = planStages([src('a.jpg'), src('b.jpg')], [], queued, ['faces', 'embedding']);
    expect(plan.later.map((l) => [l.entry.path, l.lacks])).toEqual([['b.jpg', ['faces']]]);
    expect(plan.queue.map((q) => q.path)).toEqual(['b.jpg']);
  });

  it('unstaged, a run is one pass over the new photos, queued as whole photos', () => {
    const plan = planStages([src('a.jpg'), src('b.jpg')], [src('a.jpg')], new Map(), null);
    expect(plan.queue).toEqual([{ path: 'a.jpg', state: 'queued', attempts: 0 }]);
    expect(plan.later).toEqual([]);
  });
});

/** A pool that records each call's pass; `onCall` may cancel the run, as a closing tab stops it. */
function fakePool(onCall: (path: string, req: PassRequest, n: number) => void = () => {}) {
  const calls: { path: string; req: PassRequest }[] = [];
  const pool = {
    size: 2,
    analyze: async (_blob: Blob, path: string, req: PassRequest) => {
      calls.push({ path, req });
      onCall(path, req, calls.length);
      if (req.pass === 'first') return analysis({ embedding: null });
      const i = Number(path.slice(1, 3));
      return analysis({ labels: [], thumb: null, faces: i % 2 === 0 ? [face(i + 1)] : [], embedding: new Uint8Array(1024).fill(i) });
    },
  } as unknown as EnginePool;
  return { pool, calls };
}

const hooks = (progress: IndexProgress[] = []) => ({ onProgress: (p: IndexProgress) => progress.push(p), onCommit: () => {}, onRemoved: () => {} });

describe('a staged run', () => {
  it('gives every photo its first pass before any later stage, then merges faces and embedding into each record', async () => {
    const db = await freshDb();
    const { pool, calls } = fakePool();
    const progress: IndexProgress[] = [];
    const done = await new Indexer(db, pool, hooks(progress), { batchSize: 4 }, ['faces', 'embedding']).run(entries(10));
    expect(done).toMatchObject({ state: 'done', total: 10, done: 10, stages: { labels: { done: 10, total: 10 }, faces: { done: 10, total: 10 }, embedding: { done: 10, total: 10 } } });
    const lastFirst = calls.map((c) => c.req.pass).lastIndexOf('first');
    expect(calls.slice(0, lastFirst + 1).every((c) => c.req.pass === 'first')).toBe(true);
    expect(calls.filter((c) => c.req.pass === 'later').map((c) => c.req)).toEqual(Array(10).fill({ pass: 'later', stages: ['faces', 'embedding'] }));
    // Searchable by label once the first pass was committed, before any face.
    const atLater = progress.find((p) => p.pass === 'later')!;
    expect(atLater.stages.labels).toEqual({ done: 10, total: 10 });

    const photos = await db.getAll('photos');
    expect(photos).toHaveLength(10);
    for (const p of photos) {
      expect(p.labels).toEqual([[282, 0.8]]);
      expect(await db.countFromIndex('faces', 'photoId', p.id!)).toBe(p.faceCount);
      expect(await db.get('embeddings', p.id!)).toBeTruthy();
      expect(await db.get('thumbs', p.id!)).toBeTruthy();
    }
    expect(photos.filter((p) => p.faceCount === 1).length).toBe(5);
    expect(await db.count('queue')).toBe(0);
  });

  it('a run killed after its first pass resumes with the later stages only, for the photos that lack them', async () => {
    const db = await freshDb();
    let indexer!: Indexer;
    let later = 0;
    const first = fakePool((_p, req) => req.pass === 'later' && ++later === 3 && indexer.cancel());
    indexer = new Indexer(db, first.pool, hooks(), { batchSize: 2, flushMs: 60_000 }, ['faces', 'objects']);
    expect((await indexer.run(entries(12))).state).toBe('cancelled');
    const queue = await db.getAll('queue');
    expect(await db.count('photos')).toBe(12);
    // Every photo lacks only later stages; those whose later pass committed are no longer queued.
    expect(queue.every((q) => q.lacks?.join() === 'faces,objects')).toBe(true);
    expect(queue.length).toBeGreaterThanOrEqual(12 - 3);
    expect(queue.length).toBeLessThan(12);

    const second = fakePool();
    const done = await new Indexer(db, second.pool, hooks(), { batchSize: 2 }, ['faces', 'objects']).run(entries(12));
    expect(second.calls.every((c) => c.req.pass === 'later')).toBe(true);
    expect(second.calls.map((c) => c.path).sort()).toEqual(queue.map((q) => q.path).sort());
    expect(done).toMatchObject({ state: 'done', total: queue.length, stages: { labels: { done: 0, total: 0 }, faces: { done: queue.length, total: queue.length } } });
    expect(await db.count('queue')).toBe(0);
    for (const p of await db.getAll('photos')) expect(await db.countFromIndex('faces', 'photoId', p.id!)).toBe(p.faceCount);
  });

  it('a new photo in a re-picked folder gets its first pass before the left later stages continue', async () => {
    const db = await freshDb();
    let indexer!: Indexer;
    const first = fakePool((_p, req) => req.pass === 'later' && indexer.cancel());
    indexer = new Indexer(db, first.pool, hooks(), { batchSize: 50 }, ['faces']);
    await indexer.run(entries(5));
    const second = fakePool();
    await new Indexer(db, second.pool, hooks(), { batchSize: 50 }, ['faces']).run([...entries(5), src('p99.jpg')]);
    expect(second.calls[0]).toEqual({ path: 'p99.jpg', req: { pass: 'first' } });
    expect(second.calls.slice(1).every((c) => c.req.pass === 'later')).toBe(true);
  });

  it('a changed photo keeps its older faces until its later pass replaces them', async () => {
    const db = await freshDb();
    await new Indexer(db, fakePool().pool, hooks(), {}, ['faces']).run([src('p00.jpg')]);
    const [before] = await db.getAll('photos');
    expect(before.faceCount).toBe(1);
    let indexer!: Indexer;
    const stopAtLater = fakePool((_p, req) => req.pass === 'later' && indexer.cancel());
    indexer = new Indexer(db, stopAtLater.pool, hooks(), {}, ['faces']);
    await indexer.run([{ ...src('p00.jpg'), size: 11 }]);
    const [after] = await db.getAll('photos');
    expect(after).toMatchObject({ id: before.id, size: 11, faceCount: 1 });
    expect(await db.countFromIndex('faces', 'photoId', before.id!)).toBe(1);
  });
});
