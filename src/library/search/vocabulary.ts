/**
 * What a query word means, from the generated vocabulary (scripts/build-hierarchy.mjs, WordNet 3.1): the concepts
 * it names, after WordNet's morphology, else through WordNet on the query side. Pure data, no DOM.
 */
import data from './vocabulary.json';
import { normalizeWords } from './words';

interface VocabularyFile {
  concepts: { w: string[]; c: number[] }[];
  names: Record<string, number[]>;
  aliases: Record<string, number[]>;
  morph: Record<string, string>;
  related: Record<string, number[]>;
}

const vocab = data as unknown as VocabularyFile;

/** How a word reached its concepts: one of their names, or WordNet (a synonym, a kind of one, its definition). */
export type MeaningSource = 'name' | 'wordnet';

export interface WordMeaning {
  concepts: readonly number[];
  source: MeaningSource;
  /** The name or WordNet word found, singular: "puppy" for "puppies". */
  lemma: string;
}

/** A concept's display name: "dog", "domestic cat". */
export function conceptName(concept: number): string {
  return vocab.concepts[concept]?.w[0] ?? '';
}

/** Classes under a concept: ImageNet classes 1..1000 and detected objects as OBJECT_CLASS_BASE + COCO class. */
export function conceptClasses(concept: number): readonly number[] {
  return vocab.concepts[concept]?.c ?? [];
}

export const conceptCount = vocab.concepts.length;

// WordNet's morphy for nouns: irregular forms, then these endings, on the phrase's last word.
const ENDINGS: [string, string][] = [['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'], ['s', '']];

/** The phrase itself, then its singular forms (as WordNet derives them), for words of at least three letters. */
export function baseForms(phrase: string): string[] {
  const out = [phrase];
  const cut = phrase.lastIndexOf(' ') + 1;
  const head = phrase.slice(0, cut);
  const last = phrase.slice(cut);
  const exception = vocab.morph[last];
  if (exception) out.push(head + exception);
  if (last.length > 2) for (const [end, base] of ENDINGS) if (last.endsWith(end)) out.push(head + last.slice(0, -end.length) + base);
  return out;
}

/** The concepts a normalised phrase names whole ("hot dog", "dogs", "puppy"); null when it names none. */
export function meaningOf(phrase: string): WordMeaning | null {
  const key = normalizeWords(phrase).join(' ');
  if (!key) return null;
  const forms = baseForms(key);
  for (const f of forms) {
    const ks = vocab.names[f];
    if (ks) return { concepts: ks, source: 'name', lemma: f };
  }
  for (const f of forms) {
    const ks = vocab.aliases[f];
    if (ks) return { concepts: ks, source: 'wordnet', lemma: f };
  }
  return null;
}

let sortedNames: string[] | null = null;

/** Names that continue the typed text ("tabb" → "tabby", "tabby cat"), in alphabetical order. */
export function namesStartingWith(prefix: string): string[] {
  const key = normalizeWords(prefix).join(' ');
  if (!key) return [];
  sortedNames ??= Object.keys(vocab.names).sort();
  const out: string[] = [];
  let lo = 0;
  let hi = sortedNames.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedNames[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sortedNames.length && sortedNames[i].startsWith(key); i++) out.push(sortedNames[i]);
  return out;
}

/** Concepts of a name, for callers that hold a name from namesStartingWith. */
export function conceptsNamed(name: string): readonly number[] {
  return vocab.names[name] ?? [];
}

let namesByLength: string[][] | null = null;

/** Every whole name of `length` letters (spaces included), for spelling suggestions. */
export function namesOfLength(length: number): readonly string[] {
  if (!namesByLength) {
    namesByLength = [];
    for (const name of Object.keys(vocab.names)) (namesByLength[name.length] ??= []).push(name);
  }
  return namesByLength[length] ?? [];
}

/** WordNet neighbours worth suggesting for a common word that search cannot answer ("beach" → cliff, seashore…). */
export function relatedConcepts(word: string): readonly number[] {
  const key = normalizeWords(word).join(' ');
  for (const f of baseForms(key)) if (vocab.related[f]) return vocab.related[f];
  return [];
}

/** Damerau–Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rows of the table, reused: the row before last (for transpositions), the last, and the one being filled.
  let prev2 = new Int32Array(b.length + 1);
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length];
}
