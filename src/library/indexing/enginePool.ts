import { wrap, releaseProxy, type Remote } from 'comlink';
import type { EngineApi, InitOptions, InitResult } from '../../worker/api';
import type { FaceResult, PhotoAnalysis } from '../../engine/types';
import { LATER_STAGES, type LaterStage, type PassRequest } from './stages';

/** Thrown when a photo made a worker die twice; the indexer skips the photo with this reason. */
export class EngineCrash extends Error {
  override name = 'EngineCrash';
}

interface Slot {
  worker: Worker;
  api: Remote<EngineApi>;
  ready: Promise<InitResult>;
  busy: boolean;
  /** Set when the worker has died. */
  crash: EngineCrash | null;
  /** Rejecters of the calls waiting on this worker, told when it dies. */
  onCrash: Set<(err: EngineCrash) => void>;
}

export interface PoolOptions {
  size: number;
  init: InitOptions;
  createWorker?: () => Worker;
  /** A photo taking longer than this is taken as a hung worker. */
  timeoutMs?: number;
  /** The workers are starting (the first call that needs them): `ready` settles when they are loaded. */
  onStart?(ready: Promise<InitResult>): void;
}

/** Default pool size: one worker per core, at most 4 (tfjs-wasm uses cores/2 threads, so on 2 cores workers beat threads). */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
}

const newEngineWorker = () => new Worker(new URL('../../worker/engine.worker.ts', import.meta.url), { name: 'shoebox-engine' });

/**
 * Owns the engine workers: lazy start, a photo goes to whichever worker is free, a dead or hung worker is
 * replaced and its photo retried once.
 */
export class EnginePool {
  private slots: Slot[] = [];
  private waiters: ((slot: Slot) => void)[] = [];
  private started: Promise<InitResult> | null = null;
  readonly size: number;

  constructor(private opts: PoolOptions) {
    this.size = Math.max(1, opts.size);
  }

  /** Starts every worker and resolves with the first one's report (backend, load time). */
  start(): Promise<InitResult> {
    if (!this.started) {
      this.slots = Array.from({ length: this.size }, () => this.spawn());
      this.started = Promise.all(this.slots.map((s) => s.ready)).then((all) => ({
        ...all[0],
        modelLoadMs: Math.max(...all.map((r) => r.modelLoadMs)),
      }));
      this.started.catch(() => (this.started = null));
      this.opts.onStart?.(this.started);
    }
    return this.started;
  }

  private spawn(): Slot {
    const worker = (this.opts.createWorker ?? newEngineWorker)();
    const api = wrap<EngineApi>(worker);
    const slot: Slot = { worker, api, ready: Promise.resolve(null as never), busy: false, crash: null, onCrash: new Set() };
    worker.addEventListener('error', (e) => {
      slot.crash = new EngineCrash(e.message || 'the engine worker crashed');
      for (const reject of slot.onCrash) reject(slot.crash);
    });
    const died = this.whenDead(slot);
    slot.ready = Promise.race([api.init(this.opts.init), died.promise]).finally(died.stop);
    return slot;
  }

  /**
   * A promise that rejects if the worker dies, for one call. Racing every call against one long-lived promise
   * instead would add a reaction to it per call, each holding that call's result: a leak of every photo's analysis.
   */
  private whenDead(slot: Slot): { promise: Promise<never>; stop: () => void } {
    let reject!: (err: EngineCrash) => void;
    const promise = new Promise<never>((_, r) => (reject = r));
    promise.catch(() => {});
    if (slot.crash) reject(slot.crash);
    else slot.onCrash.add(reject);
    return { promise, stop: () => slot.onCrash.delete(reject) };
  }

  private async acquire(): Promise<Slot> {
    await this.start();
    const free = this.slots.find((s) => !s.busy);
    const slot = free ?? (await new Promise<Slot>((resolve) => this.waiters.push(resolve)));
    slot.busy = true;
    return slot;
  }

  private release(slot: Slot) {
    slot.busy = false;
    const next = this.waiters.shift();
    if (next) {
      slot.busy = true;
      next(slot);
    }
  }

  private replace(slot: Slot): Slot {
    slot.api[releaseProxy]();
    slot.worker.terminate();
    const fresh = this.spawn();
    this.slots[this.slots.indexOf(slot)] = fresh;
    return fresh;
  }

  private async call<T>(fn: (api: Remote<EngineApi>) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let slot = await this.acquire();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const died = this.whenDead(slot);
      try {
        await slot.ready;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new EngineCrash('the engine stopped responding')), this.opts.timeoutMs ?? 120_000);
        });
        return await Promise.race([fn(slot.api), died.promise, timeout]);
      } catch (err) {
        if (!(err instanceof EngineCrash)) throw err;
        slot = this.replace(slot);
        if (attempt >= 1) throw new EngineCrash(`${err.message} (twice)`);
      } finally {
        clearTimeout(timer);
        died.stop();
        this.release(slot);
      }
    }
  }

  analyze(blob: Blob, path: string, pass: PassRequest = { pass: 'all' }): Promise<PhotoAnalysis> {
    return this.call((api) => api.analyze(blob, { path, pass }));
  }

  /** The later stages the analysis options have on (Settings switches), in stage order. */
  enabledLaterStages(): LaterStage[] {
    // Every stage is on unless switched off (the engine's defaults; not imported, that would bundle the models here).
    const a = this.opts.init.analyze ?? {};
    return LATER_STAGES.filter((s) => a[s] !== false);
  }

  facesOf(blob: Blob): Promise<FaceResult[]> {
    return this.call((api) => api.facesOf(blob));
  }

  /** New analysis options for every worker, now and after a restart (settings such as objects on/off). */
  async configure(analyze: NonNullable<InitOptions['analyze']>): Promise<string | null> {
    this.opts.init = { ...this.opts.init, analyze: { ...this.opts.init.analyze, ...analyze } };
    if (!this.started) return null;
    await this.started;
    const errors = await Promise.all(this.slots.map((s) => s.api.configure(analyze)));
    return errors.find((e) => e) ?? null;
  }

  /** Tensor counts of every worker (to check that long runs do not leak). */
  async memory(): Promise<{ numTensors: number; numBytes: number; wasmHeapBytes: number | null }[]> {
    await this.start();
    return Promise.all(this.slots.map((s) => s.api.memory()));
  }


  terminate(): void {
    for (const s of this.slots) {
      s.api[releaseProxy]();
      s.worker.terminate();
    }
    this.slots = [];
    this.started = null;
  }
}
