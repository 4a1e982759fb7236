import type { PhotoTiming } from './indexer';

/**
 * One indexing run's timings: totals over every photo, and the latest photos one by one (the benchmark reads
 * both). A 100k-photo run must not keep a record per photo for as long as the tab lives.
 */
export class RunLog {
  photos = 0;
  errors = 0;
  /** performance.now() of the first photo handed to the engine and of the last result back. */
  firstStart = Infinity;
  lastEnd = -Infinity;
  /** Summed ms per stage over the photos that were analysed. */
  stageTotals: Record<string, number> = {};
  private latest: PhotoTiming[] = [];

  constructor(readonly keep = 5000) {}

  add(t: PhotoTiming): void {
    this.photos++;
    if (t.error) this.errors++;
    this.firstStart = Math.min(this.firstStart, t.start);
    this.lastEnd = Math.max(this.lastEnd, t.end);
    for (const [stage, ms] of Object.entries(t.stages ?? {})) this.stageTotals[stage] = (this.stageTotals[stage] ?? 0) + ms;
    this.latest.push(t);
    // Trimmed in one go at twice the cap, so adding stays O(1) on average.
    if (this.latest.length >= 2 * this.keep) this.latest.splice(0, this.latest.length - this.keep);
  }

  /** The last `keep` photos' timings, oldest first. */
  get recent(): PhotoTiming[] {
    return this.latest.slice(-this.keep);
  }

  /** Mean ms per stage over the analysed photos. */
  get stageMeans(): Record<string, number> {
    const n = this.photos - this.errors;
    return Object.fromEntries(Object.entries(this.stageTotals).map(([k, v]) => [k, n ? v / n : 0]));
  }

  /** Seconds from the first photo's start to the last one's end (0 before any photo). */
  get seconds(): number {
    return this.photos ? (this.lastEnd - this.firstStart) / 1000 : 0;
  }
}
