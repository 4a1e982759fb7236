import { Indexer, IDLE, type IndexerHooks, type IndexProgress } from '../library/indexing/indexer';
import { RunLog } from '../library/indexing/runLog';
import type { EnginePool } from '../library/indexing/enginePool';
import type { LaterStage } from '../library/indexing/stages';
import type { LibraryDb } from '../library/store/db';
import type { WriterOptions } from '../library/store/writer';
import type { SourceEntry } from '../library/types';

export interface IndexingOptions {
  /** The later stages a run queues after its first pass (Settings' switches); null: one pass per photo. */
  laterStages(): LaterStage[] | null;
  /** Names a photo's GPS while it is written (places); undefined until the place data is loaded. */
  place?: () => WriterOptions['place'];
}

/**
 * The indexing runs of this tab: the run in progress with its progress and timings, pause/resume/cancel, and the
 * photos an earlier visit left queued (offered as a resume).
 */
export class Indexing {
  progress = $state<IndexProgress>({ ...IDLE });
  /** Photos an earlier visit queued but did not finish (a closed tab, a full disk), at any stage. */
  leftToIndex = $state(0);
  /** Timings of the latest run (read by the benchmark; deliberately not reactive). */
  lastRun = new RunLog();
  private indexer: Indexer | null = null;

  constructor(
    private pool: EnginePool,
    private options: IndexingOptions,
  ) {}

  /** A run is scanning, indexing or paused. */
  get running(): boolean {
    return ['scanning', 'indexing', 'paused'].includes(this.progress.state);
  }

  /** Indexes `entries` against the library (diff, first pass, later stages); resolves with the final progress. */
  async run(db: LibraryDb, entries: SourceEntry[], hooks: Omit<IndexerHooks, 'onPhoto' | 'onPassEnd'>): Promise<IndexProgress> {
    this.lastRun = new RunLog();
    const log = this.lastRun;
    this.indexer = new Indexer(
      db,
      this.pool,
      {
        ...hooks,
        onProgress: (p) => {
          this.progress = p;
          hooks.onProgress(p);
        },
        onPhoto: (t) => log.add(t),
        onPassEnd: (pass, at) => log.passEnded(pass, at),
      },
      { place: this.options.place?.() },
      this.options.laterStages(),
    );
    const result = await this.indexer.run(entries);
    this.leftToIndex = 0;
    return result;
  }

  /** Shows "Looking for photos…" while a folder is listed, before its run starts. */
  scanning(): void {
    this.progress = { ...IDLE, state: 'scanning' };
  }

  /** Back to no run shown (a run that could not start, a replaced library). */
  reset(): void {
    this.progress = { ...IDLE };
  }

  /** Counts what an earlier visit left queued; `none` when another tab is indexing (its own queue). */
  async countLeft(db: LibraryDb | null, none = false): Promise<void> {
    this.leftToIndex = none || !db ? 0 : await db.count('queue');
  }

  pause(): void {
    this.indexer?.pause();
  }

  resume(): void {
    this.indexer?.resume();
  }

  cancel(): void {
    this.indexer?.cancel();
  }
}
