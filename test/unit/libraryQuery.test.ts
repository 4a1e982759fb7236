import { describe, expect, it } from 'vitest';
import { prng } from '../../src/bench/syntheticLibrary';
import { libraryQueryContext, whyText } from '../../src/library/libraryQuery';
import { runQuery, type QueryContext, type QueryWordHit } from '../../src/library/queryParser';
import { SearchIndex } from '../../src/library/searchIndex';
import { termsForSearchClass } from '../../src/library/searchTerms';
import type { PhotoRecord } from '../../src/library/types';

const MIN = 0.03;

/** The evaluator's plain path: every hit an object from searchWords, ranked by comparing dates. */
function referenceContext(search: SearchIndex): QueryContext {
  const fast = libraryQueryContext(search, null, MIN);
  return {
    ...fast,
    newestRank: undefined,
    word: (term) => {
      const hits = search.searchWords(term).filter((h) => h.why.score >= MIN);
      return hits.length ? new Map<number, QueryWordHit>(hits.map((h) => [h.photoId, { score: h.score, why: whyText(h.why) }])) : null;
    },
  };
}

describe('queries over the library index', () => {
  it('rank and explain exactly as the plain evaluation does', () => {
    const rand = prng(3);
    const search = new SearchIndex(termsForSearchClass);
    for (let id = 1; id <= 4000; id++) {
      const labels = new Map<number, number>();
      // Popular classes far more often, and scores from a small set, so ties are common.
      while (labels.size < 4) labels.set(1 + Math.floor(Math.pow(rand(), 2) * 1000), [0.02, 0.05, 0.5, 0.8, 0.9][Math.floor(rand() * 5)]);
      const takenAt = rand() < 0.1 ? null : Math.floor(rand() * 300) * 86_400_000;
      const r: PhotoRecord = {
        id, path: `y/${id}.jpg`, size: 1, lastModified: 1000 + (id % 7), width: 10, height: 10, takenAt, camera: null, gps: null,
        thumb: null, labels: [...labels], faceCount: 0, modelVersion: 1, indexedAt: 0,
      };
      search.upsertPhoto(r);
    }
    const fast = libraryQueryContext(search, null, MIN);
    const plain = referenceContext(search);
    for (const q of ['dog', 'cat', 'te', 'golden retriever', 'dog OR cat', 'dog -cat', 'dog cat', 'vehicle OR food', 'xyzzy', '-dog', 'the']) {
      const a = runQuery(q, plain);
      const b = runQuery(q, fast);
      expect(b.ranked, q).toEqual(a.ranked);
      expect(b.ranked.map((id) => b.why.get(id)), q).toEqual(a.ranked.map((id) => a.why.get(id)));
      expect(b.messages, q).toEqual(a.messages);
    }
    expect(runQuery('dog', fast).ranked.length).toBeGreaterThan(100);
  });
});
