import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Indexing } from '../../src/ui/indexing.svelte';
import type { EnginePool } from '../../src/library/indexing/enginePool';
import type { PassRequest } from '../../src/library/indexing/stages';
import type { IndexProgress } from '../../src/library/indexing/indexer';
import type { SourceEntry } from '../../src/library/types';
import { analysis, freshDb } from './libraryFixtures';

const entries = (n: number): SourceEntry[] =>
  Array.from({ length: n }, (_, i) => ({ path: `p${i}.jpg`, size: 10, lastModified: 1000, getFile: async () => new File(['x'], `p${i}.jpg`) }));

/** A pool whose calls wait until `release()`, so a test can act mid-run. */
function gatedPool() {
  const calls: PassRequest[] = [];
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  const pool = {
    size: 1,
    analyze: async (_b: Blob, _p: string, req: PassRequest) => {
      calls.push(req);
      await gate;
      return analysis();
    },
  } as unknown as EnginePool;
  return {
    pool,
    calls,
    release: () => open(),
    close: () => (gate = new Promise<void>((r) => (open = r))),
  };
}

const hooks = (seen: IndexProgress[] = []) => ({ onProgress: (p: IndexProgress) => seen.push(p), onCommit: () => {}, onRemoved: () => {} });

describe('Indexing', () => {
  it('runs staged with the stages it is given, and reports them in its progress', async () => {
    const db = await freshDb();
    const gated = gatedPool();
    gated.release();
    const runs = new Indexing(gated.pool, { laterStages: () => ['faces'] });
    const done = await runs.run(db, entries(3), hooks());
    expect(done.state).toBe('done');
    expect(runs.progress.stages).toEqual({ labels: { done: 3, total: 3 }, faces: { done: 3, total: 3 } });
    expect(gated.calls.map((c) => c.pass)).toEqual(['first', 'first', 'first', 'later', 'later', 'later']);
    expect(runs.lastRun.passSeconds.first).toBeGreaterThanOrEqual(0);
    expect(runs.lastRun.passSeconds.later).toBeGreaterThanOrEqual(runs.lastRun.passSeconds.first!);
    expect(runs.running).toBe(false);
  });

  it('without later stages, runs one pass per photo', async () => {
    const db = await freshDb();
    const gated = gatedPool();
    gated.release();
    const runs = new Indexing(gated.pool, { laterStages: () => null });
    await runs.run(db, entries(2), hooks());
    expect(gated.calls).toEqual([{ pass: 'all' }, { pass: 'all' }]);
    expect(runs.progress.stages).toEqual({});
  });

  it('pauses, resumes and cancels the run in progress; what is left stays queued and counted', async () => {
    const db = await freshDb();
    const gated = gatedPool();
    const runs = new Indexing(gated.pool, { laterStages: () => ['faces'] });
    const seen: IndexProgress[] = [];
    const run = runs.run(db, entries(4), hooks(seen));
    await expect.poll(() => gated.calls.length).toBe(2);
    expect(runs.running).toBe(true);
    runs.pause();
    expect(runs.progress.state).toBe('paused');
    runs.resume();
    expect(runs.progress.state).toBe('indexing');
    runs.cancel();
    gated.release();
    expect((await run).state).toBe('cancelled');
    expect(seen.at(-1)?.state).toBe('cancelled');
    await runs.countLeft(db);
    expect(runs.leftToIndex).toBe(4);
    await runs.countLeft(db, true);
    expect(runs.leftToIndex).toBe(0);
    runs.scanning();
    expect(runs.running).toBe(true);
    runs.reset();
    expect(runs.progress.state).toBe('idle');
  });
});
