import type { LibraryDb } from '../store/db';
import { diffFolder, replaceQueue, removePhotos } from './scanner';
import { enabledOnly, planStages, stageTotals, LATER_STAGES, type LaterStage, type PassRequest, type StageCounts } from './stages';
import type { QueueRecord } from '../types';
import { LibraryWriter, type CommittedPhoto, type WriteError, type WriterOptions } from '../store/writer';
import type { Generations } from '../store/generations';
import type { EnginePool } from './enginePool';
import type { SourceEntry } from '../types';

export type IndexState = 'idle' | 'scanning' | 'indexing' | 'paused' | 'done' | 'cancelled' | 'stopped';

export interface IndexProgress {
  state: IndexState;
  /** Files to process in this run (new or changed). */
  total: number;
  done: number;
  skipped: number;
  unchanged: number;
  removed: number;
  current: string | null;
  photosPerSecond: number;
  etaSeconds: number | null;
  /** Why a run stopped early (storage full), or null. */
  message: string | null;
  /** Staged runs: photos done per stage in this run; empty when unstaged. */
  stages: StageCounts;
  /** The pass running now: the first (labels) or a later one (faces, objects, …); null when unstaged or idle. */
  pass: 'first' | 'later' | null;
}

export const IDLE: IndexProgress = {
  state: 'idle', total: 0, done: 0, skipped: 0, unchanged: 0, removed: 0, current: null, photosPerSecond: 0, etaSeconds: null, message: null, stages: {}, pass: null,
};

export interface IndexerHooks {
  onProgress(p: IndexProgress): void;
  /** Called after every committed batch, so the in-memory indexes and the grid update while indexing runs. */
  onCommit(committed: CommittedPhoto[], generations: Generations): void;
  onRemoved(ids: number[], generations: Generations): void;
  /** Per-photo timing, for the benchmark: ms from reading the file to its analysis. */
  onPhoto?(t: PhotoTiming): void;
  /** A pass has ended and its results are committed (performance.now()), for the benchmark. */
  onPassEnd?(pass: 'first' | 'later', at: number): void;
}

export interface PhotoTiming {
  path: string;
  /** performance.now() when the file was handed to the engine, and when its result came back. */
  start: number;
  end: number;
  error: string | null;
  stages: Record<string, number> | null;
  /** Which pass this call was; 'all' (or absent) when unstaged. */
  pass?: 'all' | 'first' | 'later';
}

const copyCounts = (c: StageCounts): StageCounts => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, { ...v }]));

/** A user-facing reason from an engine or file error. */
export function skipReason(err: unknown): string {
  const e = err as { name?: string; message?: string };
  if (e?.name === 'UnreadableImage') return e.message ?? 'unreadable';
  if (e?.name === 'EngineCrash') return `the engine crashed on this photo: ${e.message}`;
  if (e?.name === 'NotFoundError' || e?.name === 'NotReadableError') return 'could not read the file (moved, deleted or no permission)';
  return e?.message ? `could not index: ${e.message}` : 'could not index';
}

/**
 * One indexing run over a folder: diff against the library, then every new or changed file is read once,
 * analysed by the pool and written in batches. Pause/resume/cancel act between photos.
 */
export class Indexer {
  private progress: IndexProgress = { ...IDLE };
  private paused: { promise: Promise<void>; resume: () => void } | null = null;
  private cancelled = false;
  private writer: LibraryWriter;
  private fatal: WriteError | null = null;
  private committedCount = 0;

  constructor(
    private db: LibraryDb,
    private pool: EnginePool,
    private hooks: IndexerHooks,
    writerOptions: Pick<WriterOptions, 'batchSize' | 'flushMs' | 'place'> = {},
    /** Staged indexing: the later stages to run after the first pass; null runs every photo in one pass. */
    private laterStages: LaterStage[] | null = null,
  ) {
    this.writer = new LibraryWriter(db, {
      ...writerOptions,
      onCommit: (c, generations) => {
        // Photos stored: a later pass adds to photos already counted.
        this.committedCount += c.filter((p) => p.pass !== 'later').length;
        hooks.onCommit(c, generations);
      },
      onError: (err) => this.stopOnWriteError(err),
    });
  }

  get state(): IndexState {
    return this.progress.state;
  }

  private emit(patch: Partial<IndexProgress>) {
    this.progress = { ...this.progress, ...patch };
    this.hooks.onProgress(this.progress);
  }

  private stopOnWriteError(err: WriteError) {
    if (this.fatal) return;
    this.fatal = err;
    this.cancelled = true;
    this.paused?.resume();
    const full = err.name === 'QuotaExceededError';
    this.emit({
      message: full
        ? `Storage is full: ${this.committedCount} photos indexed, free space or remove thumbnails`
        : `Indexing stopped: could not save to the library (${err.message}). ${this.committedCount} photos indexed.`,
    });
  }

  pause() {
    if (this.progress.state !== 'indexing' || this.paused) return;
    let resume!: () => void;
    const promise = new Promise<void>((r) => (resume = r));
    this.paused = { promise, resume };
    this.emit({ state: 'paused' });
  }

  resume() {
    if (!this.paused) return;
    this.paused.resume();
    this.paused = null;
    this.emit({ state: 'indexing' });
  }

  cancel() {
    this.cancelled = true;
    this.resume();
  }

  async run(entries: SourceEntry[]): Promise<IndexProgress> {
    this.emit({ ...IDLE, state: 'scanning' });
    const diff = await diffFolder(this.db, entries);
    if (diff.removed.length) {
      const generations = await removePhotos(this.db, diff.removed);
      this.hooks.onRemoved(diff.removed, generations);
    }
    const staged = this.laterStages?.length ? this.laterStages : null;
    const queued = new Map<string, QueueRecord>(staged ? (await this.db.getAll('queue')).map((q) => [q.path, q]) : []);
    const plan = planStages(entries, diff.toIndex, queued, staged);
    // The queue survives a closed tab, so a later visit can resume what was left, at the stage each photo reached.
    await replaceQueue(this.db, plan.queue);
    const total = plan.first.length + plan.later.length;
    this.emit({
      state: 'indexing', total, unchanged: diff.unchanged - plan.later.length, removed: diff.removed.length,
      stages: stageTotals(plan, staged), pass: staged ? 'first' : null,
    });

    let done = 0;
    let skipped = 0;
    const stages = this.progress.stages;
    const count = (names: readonly string[]) => {
      for (const n of names) {
        const c = stages[n as keyof StageCounts];
        if (c) c.done++;
      }
    };

    /** One pass over `tasks`: one more reader than workers keeps every worker busy while the next file is read. */
    const pass = async <T>(tasks: T[], one: (task: T) => Promise<void>) => {
      const started = performance.now();
      let next = 0;
      let finished = 0;
      const reader = async () => {
        while (!this.cancelled) {
          if (this.paused) await this.paused.promise;
          if (this.cancelled || next >= tasks.length) return;
          await one(tasks[next++]);
          finished++;
          const rate = finished / Math.max((performance.now() - started) / 1000, 1e-3);
          // The rate and time left are the pass's own: a later pass is several times slower per photo.
          this.emit({ done, skipped, stages: copyCounts(stages), photosPerSecond: Math.round(rate * 100) / 100, etaSeconds: Math.round((tasks.length - finished) / rate) });
        }
      };
      await Promise.all(Array.from({ length: this.pool.size + 1 }, reader));
    };

    const analyse = async (entry: SourceEntry, request: PassRequest, start: number) => {
      this.emit({ current: entry.path });
      const file = await entry.getFile();
      const analysis = await this.pool.analyze(file, entry.path, request);
      this.hooks.onPhoto?.({ path: entry.path, start, end: performance.now(), error: null, stages: analysis.stages, pass: request.pass });
      return analysis;
    };

    const firstLacks = staged ? enabledOnly(LATER_STAGES, staged) : [];
    const failed = new Set<string>();
    await pass(plan.first, async (entry) => {
      const start = performance.now();
      try {
        const analysis = await analyse(entry, staged ? { pass: 'first' } : { pass: 'all' }, start);
        this.writer.add(staged ? { entry, analysis, pass: 'first', lacks: firstLacks } : { entry, analysis });
        if (staged) count(['labels']);
        else done++;
      } catch (err) {
        skipped++;
        done++;
        failed.add(entry.path);
        const error = skipReason(err);
        this.writer.add({ entry, error });
        this.hooks.onPhoto?.({ path: entry.path, start, end: performance.now(), error, stages: null, pass: staged ? 'first' : 'all' });
        // A photo that cannot be read has no later stages to wait for.
        for (const s of ['labels', ...firstLacks]) {
          const c = stages[s as keyof StageCounts];
          if (c) s === 'labels' ? c.done++ : c.total--;
        }
      }
    });
    if (!staged || this.cancelled) return this.finish();
    // Every photo is searchable by word before any later stage starts (and later stages merge into committed records).
    await this.flushQuietly();
    this.hooks.onPassEnd?.('first', performance.now());
    if (this.cancelled) return this.finish();

    const later = [
      ...plan.first.filter((e) => !failed.has(e.path)).map((entry) => ({ entry, lacks: firstLacks })),
      ...plan.later,
    ].filter((t) => t.lacks.length);
    this.emit({ pass: 'later', etaSeconds: null, photosPerSecond: 0 });
    await pass(later, async ({ entry, lacks }) => {
      const start = performance.now();
      try {
        const analysis = await analyse(entry, { pass: 'later', stages: lacks }, start);
        this.writer.add({ entry, analysis, pass: 'later', stages: lacks });
      } catch (err) {
        // The photo stays searchable by its first pass; the stages that failed are not retried until it changes.
        this.writer.add({ entry, analysis: null, pass: 'later', stages: lacks });
        this.hooks.onPhoto?.({ path: entry.path, start, end: performance.now(), error: skipReason(err), stages: null, pass: 'later' });
      }
      count(lacks);
      done++;
    });
    return this.finish('later');
  }

  private async flushQuietly(): Promise<void> {
    try {
      await this.writer.flush();
    } catch (err) {
      this.stopOnWriteError(err as WriteError);
    }
  }

  /** Commits what is left and reports the end; `pass`: the pass that ended, if it ran to its end. */
  private async finish(pass?: 'later'): Promise<IndexProgress> {
    await this.flushQuietly();
    if (pass && !this.cancelled && !this.fatal) this.hooks.onPassEnd?.(pass, performance.now());
    const state: IndexState = this.fatal ? 'stopped' : this.cancelled ? 'cancelled' : 'done';
    this.emit({ state, current: null, etaSeconds: null, pass: null });
    return this.progress;
  }
}
