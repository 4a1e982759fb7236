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
  /** Staged runs: per pass, photos and summed ms per stage. */
  readonly passes: Partial<Record<NonNullable<PhotoTiming['pass']>, { photos: number; errors: number; stageTotals: Record<string, number> }>> = {};
  /** Staged runs: performance.now() when each pass had ended and its results were committed. */
  readonly passEnds: Partial<Record<'first' | 'later', number>> = {};

  constructor(readonly keep = 5000) {}

  add(t: PhotoTiming): void {
    // A staged run sees a photo twice (first and later pass): count it once, unless the run only had later stages.
    if (t.pass !== 'later' || !this.passes.first) this.photos++;
    if (t.error) this.errors++;
    this.firstStart = Math.min(this.firstStart, t.start);
    this.lastEnd = Math.max(this.lastEnd, t.end);
    for (const [stage, ms] of Object.entries(t.stages ?? {})) this.stageTotals[stage] = (this.stageTotals[stage] ?? 0) + ms;
    const pass = (this.passes[t.pass ?? 'all'] ??= { photos: 0, errors: 0, stageTotals: {} });
    pass.photos++;
    if (t.error) pass.errors++;
    for (const [stage, ms] of Object.entries(t.stages ?? {})) pass.stageTotals[stage] = (pass.stageTotals[stage] ?? 0) + ms;
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

  passEnded(pass: 'first' | 'later', at: number): void {
    this.passEnds[pass] = at;
  }

  /** Mean ms per stage within each pass (staged runs decode once per pass). */
  get passStageMeans(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      Object.entries(this.passes).map(([pass, p]) => {
        const n = p.photos - p.errors;
        return [pass, Object.fromEntries(Object.entries(p.stageTotals).map(([k, v]) => [k, n ? v / n : 0]))];
      }),
    );
  }

  /** Seconds from the first photo's start to the end of each pass, its results committed. */
  get passSeconds(): Partial<Record<'first' | 'later', number>> {
    return Object.fromEntries(Object.entries(this.passEnds).map(([pass, at]) => [pass, Number.isFinite(this.firstStart) ? (at - this.firstStart) / 1000 : 0]));
  }

  /** Seconds from the first photo's start to the last one's end (0 before any photo). */
  get seconds(): number {
    return this.photos ? (this.lastEnd - this.firstStart) / 1000 : 0;
  }
}
