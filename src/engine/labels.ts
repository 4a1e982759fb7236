/**
 * ImageNet class names and their WordNet ancestors, for turning classifier output into search
 * terms ("dog" finds every dog breed). Pure data, no DOM: runs in the page, workers and Node.
 * The data comes from scripts/build-hierarchy.mjs.
 */
import hierarchy from './imagenetHierarchy.json';

/** Classifier outputs: 0 "background" plus the 1000 ILSVRC classes. */
export const NUM_CLASSES = 1001;

interface HierarchyFile {
  ancestors: { words: string[] }[];
  /** s: names, display name first; a[d]: ancestor indices at hypernym distance d + 1. */
  classes: { s: string[]; a: number[][] }[];
  /** The same for the 80 COCO object classes (0 = person); s[0] is the COCO name. */
  coco: { s: string[]; a: number[][] }[];
}

const data = hierarchy as HierarchyFile;

export interface Ancestor {
  /** First word is the usual name ("dog"), the rest synonyms ("domestic dog"). */
  words: readonly string[];
  /** 1 = parent. */
  depth: number;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

/** Ancestor weights stay below a direct hit's 1 so "tabby cat" ranks a tabby above a tiger cat. */
const PARENT_WEIGHT = 0.8;
const WEIGHT_STEP = 0.05;
const MIN_ANCESTOR_WEIGHT = 0.5;

// Only the 1000 real classes; index 0 ("background") and anything out of range have no entry.
const entry = (classIndex: number) =>
  Number.isInteger(classIndex) && classIndex >= 1 && classIndex < NUM_CLASSES ? data.classes[classIndex] : undefined;

/** Display name, e.g. "tabby" for 282; "background" for 0, "" outside 0..1000. */
export function labelName(classIndex: number): string {
  if (classIndex === 0) return 'background';
  return entry(classIndex)?.s[0] ?? '';
}

/** All names of the class as in the labels file, e.g. ["tabby", "tabby cat"]; [] for 0. */
export function labelSynonyms(classIndex: number): string[] {
  return [...(entry(classIndex)?.s ?? [])];
}

/** WordNet hypernyms, nearest first, without the uselessly general top levels. */
export function labelAncestors(classIndex: number): Ancestor[] {
  const e = entry(classIndex);
  if (!e) return [];
  return e.a.flatMap((level, d) => level.map((k) => ({ words: data.ancestors[k].words, depth: d + 1 })));
}

/**
 * Lower-cased terms for the search index: the class's own names weigh 1, ancestor words
 * 0.8 for the parent, 0.05 less per level, never below 0.5. Each term appears once, at its best weight.
 */
export function termsForClass(classIndex: number): WeightedTerm[] {
  return weightedTerms(labelSynonyms(classIndex), labelAncestors(classIndex));
}

function weightedTerms(names: readonly string[], ancestors: Ancestor[]): WeightedTerm[] {
  const best = new Map<string, number>();
  const add = (word: string, weight: number) => {
    const term = normalizeTerm(word);
    if (term && (best.get(term) ?? 0) < weight) best.set(term, weight);
  };
  for (const name of names) add(name, 1);
  for (const { words, depth } of ancestors) {
    const weight = Math.max(MIN_ANCESTOR_WEIGHT, PARENT_WEIGHT - WEIGHT_STEP * (depth - 1));
    for (const w of words) add(w, Math.round(weight * 100) / 100);
  }
  return [...best].map(([term, weight]) => ({ term, weight }));
}

/** COCO object classes, as the object detector numbers them. */
export const NUM_OBJECT_CLASSES = 80;

const objectEntry = (objectClass: number) =>
  Number.isInteger(objectClass) && objectClass >= 0 && objectClass < NUM_OBJECT_CLASSES ? data.coco[objectClass] : undefined;

/** COCO name, e.g. "dog" for 16; "" outside 0..79. */
export function objectName(objectClass: number): string {
  return objectEntry(objectClass)?.s[0] ?? '';
}

/** Search terms of a detected object: its COCO and WordNet names weigh 1, its WordNet ancestors less ("dog" → canine, animal). */
export function termsForObject(objectClass: number): WeightedTerm[] {
  const e = objectEntry(objectClass);
  if (!e) return [];
  return weightedTerms(e.s, e.a.flatMap((level, d) => level.map((k) => ({ words: data.ancestors[k].words, depth: d + 1 }))));
}

/**
 * Canonical form for matching queries against terms: lower-case, accents and apostrophes
 * dropped ("lady's" → "ladys"), other punctuation except hyphens → space, spaces collapsed.
 */
export function normalizeTerm(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
