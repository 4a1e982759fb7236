/** One word, several kinds of answer (labels, places, text in photos) joined into the one answer the evaluator reads. */
import type { QueryWordHit, QueryWordHits, WordAnswer } from './queryParser';

/** A word's hits as the evaluator takes them: a map of hits, or packed hits. */
export function asHits(hits: WordAnswer['hits']): QueryWordHits {
  if (!(hits instanceof Map)) return hits as QueryWordHits;
  const map = hits as ReadonlyMap<number, QueryWordHit>;
  return { size: map.size, ids: () => map.keys(), has: (id) => map.has(id), score: (id) => map.get(id)?.score ?? 0, why: (id) => map.get(id)?.why ?? '' };
}

/**
 * A word's answer and more hits of the same word as one (either may be missing): "china" is a cabinet and a
 * country; "espresso" a label and words on a menu. A photo scores its better score and shows both reasons. Hits
 * found whole beat a reading of the word as something else (a completion), whose note goes with it.
 */
export function withMoreHits(answer: WordAnswer | null, more: QueryWordHits | ReadonlyMap<number, QueryWordHit> | null): WordAnswer | null {
  if (!more || more.size === 0) return answer;
  const extra = asHits(more);
  if (!answer || answer.note || answer.hits.size === 0) return { hits: extra };
  const first = asHits(answer.hits);
  const all = new Set([...first.ids(), ...extra.ids()]);
  return {
    hits: {
      size: all.size,
      ids: () => all,
      has: (id) => all.has(id),
      score: (id) => Math.max(first.has(id) ? first.score(id) : 0, extra.has(id) ? extra.score(id) : 0),
      why: (id) => [first.has(id) ? first.why(id) : '', extra.has(id) ? extra.why(id) : ''].filter(Boolean).join(' · '),
    },
  };
}
