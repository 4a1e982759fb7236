import { runQuery, type QueryContext, type QueryWordHits } from './queryParser';
import type { SearchIndex, WordHits } from './searchIndex';
import type { People } from '../people/people';
import { searchClassName, termsForSearchClass } from './searchTerms';
import { textPhraseHits, textWordHits, withTextHits } from './textTerms';

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
    allIds: () => search.newestFirst(),
    word: (term) => {
      const hits = search.wordHits(term, minLabelScore);
      // Text in photos: words read in a photo match too, ranked with the labels (textTerms.ts).
      return withTextHits(hits.size ? queryHits(hits) : null, textWordHits(search.textIndex(), term));
    },
    text: (phrase) => textPhraseHits(search.textIndex(), phrase),
    newestRank: (id) => search.newestRank(id),
    people: () => people?.named() ?? [],
    photosOf: (id) => people?.photosOf(id) ?? [],
    peopleIn: (id) => people?.peopleIn(id) ?? [],
    meta: (id) => {
      const m = search.get(id);
      return m ? { takenAt: m.takenAt ?? m.lastModified, camera: m.camera, gps: m.gps, faceCount: m.faceCount, path: m.path, hasText: m.photoText !== undefined } : null;
    },
  };
}

/** How many times each warm-up query runs: V8 optimises the loops only after they have run hot a few times. */
const WARM_UP_ROUNDS = 4;

/**
 * Readies search in idle moments after loading, one step per call: packs the postings, then runs a few broad
 * queries (whole words, a prefix, a negation) several times, so the user's first query at 100k photos does not
 * pay for packing or for running the hit, ranking and set loops before V8 has optimised them (25–90 ms after a
 * single warm-up query). Each step is one query, so input is never held up for long.
 */
export function warmUpSteps(search: SearchIndex, people: People | null, minLabelScore: number): (() => void)[] {
  const steps: (() => void)[] = [() => search.packAll()];
  const terms = search.commonestClasses(3).map((c) => termsForSearchClass(c)[0]?.term.replace(/"/g, '')).filter((t): t is string => !!t);
  if (!terms.length) return steps;
  const queries = terms.map((t) => `"${t}"`);
  if (terms[0].length > 2) queries.push(terms[0].slice(0, 2));
  if (terms.length > 1) queries.push(`"${terms[0]}" -"${terms[1]}"`);
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const q of queries) {
      steps.push(() => {
        // The answers are cached; a fresh computation each round is what warms the loops.
        search.forgetCachedHits();
        runQuery(q, libraryQueryContext(search, people, minLabelScore));
      });
    }
  }
  steps.push(() => search.forgetCachedHits());
  return steps;
}
