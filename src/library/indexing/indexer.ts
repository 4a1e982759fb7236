import type { LibraryDb } from '../store/db';
import { diffFolder, replaceQueue, removePhotos } from './scanner';
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
}

export const IDLE: IndexProgress = {
  state: 'idle', total: 0, done: 0, skipped: 0, unchanged: 0, removed: 0, current: null, photosPerSecond: 0, etaSeconds: null, message: null,
};

export interface IndexerHooks {
  onProgress(p: IndexProgress): void;
  /** Called after every committed batch, so the in-memory indexes and the grid update while indexing runs. */
  onCommit(committed: CommittedPhoto[], generations: Generations): void;
  onRemoved(ids: number[], generations: Generations): void;
  /** Per-photo timing, for the benchmark: ms from reading the file to its analysis. */
  onPhoto?(t: PhotoTiming): void;
}

export interface PhotoTiming {
  path: string;
  /** performance.now() when the file was handed to the engine, and when its result came back. */
  start: number;
  end: number;
  error: string | null;
  stages: Record<string, number> | null;
}

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
  ) {
    this.writer = new LibraryWriter(db, {
      ...writerOptions,
      onCommit: (c, generations) => {
        this.committedCount += c.length;
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
    // The queue survives a closed tab, so a later visit can resume what was left.
    await replaceQueue(this.db, diff.toIndex);
    this.emit({ state: 'indexing', total: diff.toIndex.length, unchanged: diff.unchanged, removed: diff.removed.length });

    const started = performance.now();
    let next = 0;
    let done = 0;
    let skipped = 0;
    const worker = async () => {
      while (!this.cancelled) {
        if (this.paused) await this.paused.promise;
        if (this.cancelled || next >= diff.toIndex.length) return;
        const entry = diff.toIndex[next++];
        this.emit({ current: entry.path });
        const start = performance.now();
        try {
          const file = await entry.getFile();
          const analysis = await this.pool.analyze(file, entry.path);
          this.writer.add({ entry, analysis });
          this.hooks.onPhoto?.({ path: entry.path, start, end: performance.now(), error: null, stages: analysis.stages });
        } catch (err) {
          skipped++;
          const error = skipReason(err);
          this.writer.add({ entry, error });
          this.hooks.onPhoto?.({ path: entry.path, start, end: performance.now(), error, stages: null });
        }
        done++;
        const secs = (performance.now() - started) / 1000;
        const rate = done / Math.max(secs, 1e-3);
        this.emit({ done, skipped, photosPerSecond: Math.round(rate * 100) / 100, etaSeconds: Math.round((diff.toIndex.length - done) / rate) });
      }
    };
    // One more reader than workers keeps every worker busy while the next file is read.
    await Promise.all(Array.from({ length: this.pool.size + 1 }, worker));
    try {
      await this.writer.close();
    } catch (err) {
      this.stopOnWriteError(err as WriteError);
    }
    const state: IndexState = this.fatal ? 'stopped' : this.cancelled ? 'cancelled' : 'done';
    this.emit({ state, current: null, etaSeconds: null });
    return this.progress;
  }
}
