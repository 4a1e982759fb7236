import { describe, it, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expose } from 'comlink';
import { EnginePool, EngineCrash } from '../../src/library/indexing/enginePool';
import type { EngineApi } from '../../src/worker/api';

/** A stand-in for the engine worker: a comlink endpoint over a MessageChannel that can "crash" like a real one. */
class FakeWorker extends EventTarget {
  private port: MessagePort;
  terminated = false;
  constructor(api: (self: FakeWorker) => Partial<EngineApi>) {
    super();
    const { port1, port2 } = new MessageChannel();
    expose(api(this), port2);
    this.port = port1;
    port1.addEventListener('message', (e) => this.dispatchEvent(new MessageEvent('message', { data: (e as MessageEvent).data })));
    port1.start();
  }
  postMessage(message: unknown, transfer: Transferable[] = []) {
    this.port.postMessage(message, transfer);
  }
  terminate() {
    this.terminated = true;
    this.port.close();
  }
  crash() {
    this.dispatchEvent(new Event('error'));
  }
}

function makePool(behaviour: (path: string, self: FakeWorker, n: number) => Promise<unknown>, size = 2, timeoutMs = 60_000, onStart?: (ready: Promise<unknown>) => void) {
  const workers: FakeWorker[] = [];
  let calls = 0;
  const pool = new EnginePool({
    size,
    timeoutMs,
    onStart,
    init: { modelsUrl: '', wasmUrl: '', threads: 1 },
    createWorker: () => {
      const w = new FakeWorker((self) => ({
        init: async () => ({ backend: 'wasm', gpu: false, renderer: null, simd: true, threads: 1, modelLoadMs: 1, labelsError: null }),
        analyze: async (_blob: Blob, opts?: { path?: string }) => behaviour(opts!.path!, self, calls++) as never,
      }));
      workers.push(w);
      return w as unknown as Worker;
    },
  });
  return { pool, workers };
}

const ok = (path: string) => ({ path, labels: [], faces: [] });

// A full GC on demand, so a test can tell whether something still holds an object.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('EnginePool', () => {
  it('starts its workers only when a photo needs them, once, and says so', async () => {
    const starts: Promise<unknown>[] = [];
    const { pool, workers } = makePool(async (path) => ok(path), 2, 60_000, (ready) => starts.push(ready));
    await pool.configure({ objects: false });
    expect(workers.length).toBe(0);
    expect(starts.length).toBe(0);
    await Promise.all(['a', 'b', 'c'].map((p) => pool.analyze(new Blob(), p)));
    expect(workers.length).toBe(2);
    expect(starts.length).toBe(1);
    await expect(starts[0]).resolves.toMatchObject({ backend: 'wasm' });
    pool.terminate();
  });

  it('spreads photos over its workers', async () => {
    const seen = new Set<FakeWorker>();
    const { pool } = makePool(async (path, self) => {
      seen.add(self);
      await new Promise((r) => setTimeout(r, 20));
      return ok(path);
    });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((p) => pool.analyze(new Blob(), p)));
    expect(results.map((r) => (r as unknown as { path: string }).path)).toEqual(['a', 'b', 'c', 'd']);
    expect(seen.size).toBe(2);
    pool.terminate();
  });

  it('replaces a worker that dies and retries its photo once', async () => {
    let crashed = false;
    const { pool, workers } = makePool(async (path, self) => {
      if (path === 'boom' && !crashed) {
        crashed = true;
        self.crash();
        return new Promise(() => {});
      }
      return ok(path);
    });
    await expect(pool.analyze(new Blob(), 'boom')).resolves.toMatchObject({ path: 'boom' });
    expect(workers).toHaveLength(3);
    expect(workers.filter((w) => w.terminated)).toHaveLength(1);
    await expect(pool.analyze(new Blob(), 'next')).resolves.toMatchObject({ path: 'next' });
    pool.terminate();
  });

  it('gives up on a photo that kills the worker twice, and goes on with the rest', async () => {
    const { pool } = makePool(async (path, self) => {
      if (path === 'poison') {
        self.crash();
        return new Promise(() => {});
      }
      return ok(path);
    });
    const poison = pool.analyze(new Blob(), 'poison');
    await expect(poison).rejects.toThrow(EngineCrash);
    await expect(poison).rejects.toThrow(/twice/);
    const rest = await Promise.all(['x', 'y', 'z'].map((p) => pool.analyze(new Blob(), p)));
    expect(rest).toHaveLength(3);
    pool.terminate();
  });

  it('treats a worker that stops answering as dead', async () => {
    const { pool, workers } = makePool(async (path, _self, n) => (n === 0 ? new Promise(() => {}) : ok(path)), 1, 200);
    await expect(pool.analyze(new Blob(), 'slow')).resolves.toMatchObject({ path: 'slow' });
    expect(workers.length).toBe(2);
    pool.terminate();
  });

  it('passes ordinary errors (an unreadable photo) through without restarting', async () => {
    const { pool, workers } = makePool(async () => {
      throw Object.assign(new Error('corrupt JPEG'), { name: 'UnreadableImage' });
    });
    await expect(pool.analyze(new Blob(), 'bad.jpg')).rejects.toThrow('corrupt JPEG');
    expect(workers).toHaveLength(2);
    pool.terminate();
  });

  it('lets go of every finished photo (a long run does not pile up results)', async () => {
    const { pool } = makePool(async (path) => ({ ...ok(path), thumb: new Uint8Array(100_000) }));
    const results: WeakRef<object>[] = [];
    for (let i = 0; i < 20; i++) results.push(new WeakRef(await pool.analyze(new Blob(), `p${i}`)));
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(results.filter((r) => r.deref()).length).toBe(0);
    pool.terminate();
  });
});
