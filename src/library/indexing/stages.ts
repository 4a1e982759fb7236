import type { QueueRecord, SourceEntry } from '../types';

/**
 * Staged indexing. The first pass ('labels': decode, EXIF, thumbnail and labels) makes a photo browsable and
 * searchable by word, date and place; the later stages add what costs most. Each queue record lists what its
 * photo still lacks, so a killed tab resumes each photo at the stage it had reached.
 */
export const LATER_STAGES = ['faces', 'objects', 'embedding', 'text'] as const;
export type LaterStage = (typeof LATER_STAGES)[number];
export type Stage = 'labels' | LaterStage;
export const STAGES: readonly Stage[] = ['labels', ...LATER_STAGES];

/** What one engine call runs: everything at once (unstaged), the first pass, or some later stages. */
export type PassRequest = { pass: 'all' } | { pass: 'first' } | { pass: 'later'; stages: LaterStage[] };

export interface StagePlan<E extends SourceEntry> {
  /** New or changed photos: the first pass, then every enabled later stage. */
  first: E[];
  /** Photos already searchable by word whose later stages an earlier run left undone. */
  later: { entry: E; lacks: LaterStage[] }[];
  /** The queue as it must be for this run (replaces what was there). */
  queue: QueueRecord[];
}

/** Keeps only the enabled later stages, in stage order. */
export function enabledOnly(stages: readonly string[], enabled: readonly LaterStage[]): LaterStage[] {
  return LATER_STAGES.filter((s) => enabled.includes(s) && stages.includes(s));
}

/**
 * This run's work. `toIndex` are the scanner's new and changed files; `queued` the queue an earlier run left.
 * A queued photo that the scanner finds unchanged has had its first pass: only its enabled missing stages
 * run. A stage switched off in Settings is never queued. Unstaged (`enabled` null), a run is one full pass.
 */
export function planStages<E extends SourceEntry>(
  entries: Iterable<E>,
  toIndex: readonly E[],
  queued: ReadonlyMap<string, QueueRecord>,
  enabled: readonly LaterStage[] | null,
): StagePlan<E> {
  const fresh = new Set(toIndex.map((e) => e.path));
  const record = (path: string, lacks?: Stage[]): QueueRecord => (lacks ? { path, state: 'queued', attempts: 0, lacks } : { path, state: 'queued', attempts: 0 });
  const queue = toIndex.map((e) => record(e.path, enabled ? ['labels', ...enabledOnly(LATER_STAGES, enabled)] : undefined));
  const later: StagePlan<E>['later'] = [];
  if (enabled) {
    const seen = new Set<string>();
    for (const entry of entries) {
      if (fresh.has(entry.path) || seen.has(entry.path)) continue;
      seen.add(entry.path);
      const left = queued.get(entry.path)?.lacks;
      // A record without `lacks` (schema 4) was a whole photo to index: the scanner puts it in toIndex if so.
      if (!left || left.includes('labels')) continue;
      const lacks = enabledOnly(left, enabled);
      if (!lacks.length) continue;
      later.push({ entry, lacks });
      queue.push(record(entry.path, lacks));
    }
  }
  return { first: [...toIndex], later, queue };
}

/** Per-stage counts of a run, for the progress line ("labels 18,000 / 20,000 · faces 2,400 / 20,000"). */
export type StageCounts = Partial<Record<Stage, { done: number; total: number }>>;

export function stageTotals(plan: StagePlan<SourceEntry>, enabled: readonly LaterStage[] | null): StageCounts {
  const counts: StageCounts = {};
  if (!enabled) return counts;
  counts.labels = { done: 0, total: plan.first.length };
  for (const s of enabledOnly(LATER_STAGES, enabled)) counts[s] = { done: 0, total: plan.first.length + plan.later.filter((l) => l.lacks.includes(s)).length };
  return counts;
}
