import { runQuery, type QueryContext, type QueryWordHits } from './queryParser';
import type { SearchIndex, WordHits } from './searchIndex';
import type { People } from './people';
import { searchClassName, termsForSearchClass } from './searchTerms';

/** "golden retriever 82%", or "dog (golden retriever) 82%" when an ancestor or synonym matched. */
export function whyText(why: { term: string; classIndex: number; score: number }): string {
  const name = searchClassName(why.classIndex);
  return `${why.term === name.toLowerCase() ? name : `${why.term} (${name})`} ${Math.round(why.score * 100)}%`;
}

function queryHits(hits: WordHits): QueryWordHits {
  return {
    size: hits.size,
    ids: () => hits.ids,
    has: (id) => hits.has(id),
    score: (id) => hits.scores[hits.rowOfId(id)],
    why: (id) => whyText(hits.whyAt(hits.rowOfId(id))),
    rows: hits,
  };
}

/** The query evaluator's view of the in-memory indexes: labels below `minLabelScore` are noise, not matches. */
export function libraryQueryContext(search: SearchIndex, people: People | null, minLabelScore: number): QueryContext {
  return {
    allIds: () => search.allPhotos(),
    word: (term) => {
      const hits = search.wordHits(term, minLabelScore);
      return hits.size ? queryHits(hits) : null;
    },
    newestRank: (id) => search.newestRank(id),
    people: () => people?.named() ?? [],
    photosOf: (id) => people?.photosOf(id) ?? [],
    peopleIn: (id) => people?.peopleIn(id) ?? [],
    meta: (id) => {
      const m = search.get(id);
      return m ? { takenAt: m.takenAt ?? m.lastModified, camera: m.camera, gps: m.gps, faceCount: m.faceCount, path: m.path } : null;
    },
  };
}

/**
 * Readies search in an idle moment after loading: packs the postings and runs one broad query, so the user's first
 * query at 100k photos does not also pay for packing and for compiling the ranking loops (about 50 ms).
 */
export function warmUpSearch(search: SearchIndex, people: People | null, minLabelScore: number): void {
  search.packAll();
  const commonest = search.commonestClass();
  const term = commonest === null ? undefined : termsForSearchClass(commonest)[0]?.term;
  if (term) runQuery(`"${term.replace(/"/g, '')}"`, libraryQueryContext(search, people, minLabelScore));
}
