import { describe, expect, it } from 'vitest';
import { prng } from '../../src/bench/syntheticLibrary';
import { libraryQueryContext, whyText } from '../../src/library/search/libraryQuery';
import { runQuery, type QueryContext, type QueryWordHit } from '../../src/library/search/queryParser';
import { SearchIndex } from '../../src/library/search/searchIndex';
import { termsForSearchClass } from '../../src/library/search/searchTerms';
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

  it('a repeated word reuses its ranking until the index changes, and then ranks the new photo in', () => {
    const search = new SearchIndex(termsForSearchClass);
    const photo = (id: number, dog: number, takenAt: number): PhotoRecord => ({
      id, path: `z/${id}.jpg`, size: 1, lastModified: 1, width: 10, height: 10, takenAt, camera: null, gps: null,
      thumb: null, labels: [[208, dog]], faceCount: 0, modelVersion: 1, indexedAt: 0,
    });
    for (let id = 1; id <= 50; id++) search.upsertPhoto(photo(id, 0.5, id * 86_400_000));
    const ctx = () => libraryQueryContext(search, null, MIN);
    const first = runQuery('golden', ctx());
    expect(first.ranked).toHaveLength(50);
    expect(first.ranked[0]).toBe(50); // equal scores: newest first
    const again = runQuery('golden', ctx());
    expect(again.ranked).toBe(first.ranked);
    search.upsertPhoto(photo(51, 0.9, 1));
    const after = runQuery('golden', ctx());
    expect(after.ranked).not.toBe(first.ranked);
    expect(after.ranked).toHaveLength(51);
    expect(after.ranked[0]).toBe(51); // the best score comes first, however old
    expect(first.ranked).toHaveLength(50); // an earlier answer is never changed in place
  });
});
