import type { IndexProgress } from '../library/indexing/indexer';

const STAGE_WORDS: Record<string, string> = { labels: 'labels', faces: 'faces', objects: 'objects', embedding: 'similar', text: 'text' };

/** A staged run's counts, one per stage: "labels 18,000 / 20,000 · faces 2,400 / 20,000"; empty when unstaged. */
export function stageLine(p: Pick<IndexProgress, 'stages'>): string {
  const n = (v: number) => v.toLocaleString('en');
  return Object.entries(p.stages ?? {})
    .map(([stage, c]) => `${STAGE_WORDS[stage] ?? stage} ${n(c!.done)} / ${n(c!.total)}`)
    .join(' · ');
}
