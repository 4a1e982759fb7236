import { runQuery, type QueryContext, type QueryWordHits, type WordAnswer } from './queryParser';
import { ConceptHits, type SearchIndex } from './searchIndex';
import type { People } from '../people/people';
import {
  conceptClasses, conceptName, conceptsNamed, editDistance, meaningOf, namesOfLength, namesStartingWith, relatedConcepts,
} from './vocabulary';
import { peopleScore, peopleScoreOf, peopleWhy, peopleWord, type PeopleEvidence, type PeopleWord } from './peopleWords';
import { normalizeWords } from './words';
import { placeWordHits } from './placeTerms';
import { textPhraseHits, textWordHits } from './textTerms';
import { withMoreHits } from './combineHits';

/** "dog 93%": the concept the query found and how sure Shoebox is that the photo shows it. */
export function whyText(name: string, score: number): string {
  return `${name} ${Math.round(score * 100)}%`;
}

function queryHits(hits: ConceptHits, name: string): QueryWordHits {
  return {
    size: hits.size,
    ids: () => hits.ids,
    has: (id) => hits.has(id),
    score: (id) => hits.score(id),
    why: (id) => whyText(name, hits.score(id)),
    rows: hits,
  };
}

/** How many classes of these concepts have photos here: a cheap test before computing evidence. */
function anyPhotos(search: SearchIndex, concepts: readonly number[]): number {
  let n = 0;
  for (const k of concepts) for (const c of conceptClasses(k)) if (search.hasClass(c)) n++;
  return n;
}

function peopleEvidence(search: SearchIndex, id: number): PeopleEvidence {
  const m = search.get(id);
  return { faces: m?.faceCount ?? 0, personBoxes: m?.personBoxes ?? 0, largestFace: m?.largestFace ?? 0 };
}

function peopleHits(search: SearchIndex, word: PeopleWord): QueryWordHits {
  // A person shown by the classifier ("scuba diver") counts as one when neither faces nor boxes found them.
  const labelled = word.kind === 'people' && word.min === 1 ? search.conceptHits(meaningOf('person')!.concepts) : null;
  const key = `people ${word.kind === 'selfie' ? 'selfie' : word.min}`;
  const hits = search.cachedHits(key, () => {
    const ids = new Int32Array(search.catalog.size);
    const scores = new Float64Array(search.catalog.size);
    let n = 0;
    for (const m of search.metas()) {
      if (m.error != null) continue;
      let score = peopleScoreOf(word, m.faceCount, m.personBoxes ?? 0, m.largestFace ?? 0);
      if (!score && labelled?.has(m.id)) score = labelled.score(m.id) / 2;
      if (score > 0) {
        ids[n] = m.id;
        scores[n++] = score;
      }
    }
    return new ConceptHits(ids.slice(0, n), scores.slice(0, n));
  });
  return {
    size: hits.size,
    ids: () => hits.ids,
    has: (id) => hits.has(id),
    score: (id) => hits.score(id),
    why: (id) => {
      const e = peopleEvidence(search, id);
      return peopleScore(word, e) ? peopleWhy(word, e) : whyText('person', labelled!.score(id));
    },
    rows: hits,
  };
}

/** How a word is answered: people words, then whole names and WordNet, then a completion of what was typed. */
function wordAnswer(search: SearchIndex, term: string): WordAnswer | null {
  const key = normalizeWords(term).join(' ');
  if (!key) return null;
  const pw = peopleWord(key);
  if (pw) return { hits: peopleHits(search, pw) };
  const meaning = meaningOf(key);
  if (meaning) {
    const name = meaning.source === 'name' ? meaning.lemma : conceptName(meaning.concepts[0]);
    return { hits: queryHits(search.conceptHits(meaning.concepts), name) };
  }
  // Prefixes are for typing: only a word that names nothing whole runs as the commonest name it starts.
  let best: string | null = null;
  let bestCount = 0;
  for (const name of namesStartingWith(key)) {
    // A whole word is no prefix of a longer name: "beach" does not run as "beach wagon", nor "tree" as "tree frog".
    if (name[key.length] === ' ') continue;
    const count = anyPhotos(search, conceptsNamed(name));
    if (count > bestCount || (count === bestCount && count > 0 && best !== null && name.length < best.length)) [best, bestCount] = [name, count];
  }
  if (best === null) return null;
  return { hits: queryHits(search.conceptHits(conceptsNamed(best)), best), note: `no label called ${key}; showing ${best}` };
}

/** The message for a word nothing knows: the nearest known words by spelling, else WordNet's neighbours. */
function unknownWord(search: SearchIndex, term: string): string {
  const key = normalizeWords(term).join(' ');
  const base = `no label or person called ${term}`;
  if (!key) return base;
  const neighbours = relatedConcepts(key);
  const related = neighbours.filter((k) => anyPhotos(search, [k])).map(conceptName);
  // A real word ("beach") is less likely a typo of one two letters away ("beast") than a word nobody uses.
  const max = key.length <= 4 || neighbours.length ? 1 : 2;
  const near: [string, number, number][] = [];
  for (let length = key.length - max; length <= key.length + max; length++) {
    for (const name of namesOfLength(length)) {
      const d = editDistance(key, name, max);
      if (d > max) continue;
      const count = anyPhotos(search, conceptsNamed(name));
      if (count) near.push([name, d, count]);
    }
  }
  near.sort((a, b) => a[1] - b[1] || b[2] - a[2] || a[0].localeCompare(b[0]));
  const parts = [base];
  if (near.length) parts.push(`did you mean ${near.slice(0, 3).map((n) => n[0]).join(', ')}?`);
  if (related.length) parts.push(`related: ${related.join(', ')}`);
  return parts.join('; ');
}

/** The query evaluator's view of the in-memory indexes. */
export function libraryQueryContext(search: SearchIndex, people: People | null): QueryContext {
  return {
    allIds: () => search.newestFirst(),
    // A word also finds the photos taken in a place of that name, and those whose text holds it.
    word: (term) => withMoreHits(withMoreHits(wordAnswer(search, term), placeWordHits(search.places, term)), textWordHits(search.textIndex(), term)),
    text: (phrase) => textPhraseHits(search.textIndex(), phrase),
    unknownWord: (term) => unknownWord(search, term),
    isPhrase: (words) => words.includes(' ') && (meaningOf(words) !== null || peopleWord(words) !== undefined || !!search.places.named(words)),
    newestRank: (id) => search.newestRank(id),
    people: () => people?.named() ?? [],
    photosOf: (id) => people?.photosOf(id) ?? [],
    peopleIn: (id) => people?.peopleIn(id) ?? [],
    meta: (id) => {
      const m = search.get(id);
      return m ? { takenAt: m.takenAt ?? m.lastModified, camera: m.camera, gps: m.gps, faceCount: m.faceCount, path: m.path, place: m.place, hasText: m.photoText !== undefined } : null;
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
export function warmUpSteps(search: SearchIndex, people: People | null): (() => void)[] {
  // Places hook: the place index is built on first use; here rather than in the first multi-word query.
  const steps: (() => void)[] = [() => search.packAll(), () => void search.places.named('')];
  if (!search.commonestClasses(1).length) return steps;
  // Broad concepts read many classes' postings, as the commonest queries do; a people word scans every photo's
  // faces; a misspelt word runs the spelling suggestions.
  const queries = ['animal', 'dog', 'vehicle', 'anim', 'animal -dog', 'people', 'zebrra'];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const q of queries) {
      steps.push(() => {
        // The answers are cached; a fresh computation each round is what warms the loops.
        search.forgetCachedHits();
        runQuery(q, libraryQueryContext(search, people));
      });
    }
  }
  steps.push(() => search.forgetCachedHits());
  return steps;
}

/**
 * Label names that continue what is being typed, with the photos each finds: exact names first, then the
 * shortest completions ("tabb" → tabby, tabby cat).
 */
export function labelSuggestions(search: SearchIndex, prefix: string, limit: number): { term: string; count: number }[] {
  const key = normalizeWords(prefix).join(' ');
  const out: { term: string; count: number }[] = [];
  const names = namesStartingWith(key).sort((a, b) => Number(b === key) - Number(a === key) || a.length - b.length);
  for (const name of names) {
    if (out.length >= limit) break;
    const concepts = conceptsNamed(name);
    if (!anyPhotos(search, concepts)) continue;
    const count = search.conceptHitCount(concepts);
    if (count) out.push({ term: name, count });
  }
  return out;
}
