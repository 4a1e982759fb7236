/**
 * Words about people, answered from the faces and the object detector's person boxes, not from labels.
 * Shoebox does not guess anyone's sex or age, so "man", "woman", "child" and "baby" mean a person is there.
 */
export type PeopleWord = { kind: 'people'; min: number } | { kind: 'selfie' };

const AT_LEAST_ONE = ['people', 'person', 'persons', 'human', 'humans', 'man', 'men', 'woman', 'women', 'child', 'children', 'kid', 'kids', 'baby', 'babies', 'boy', 'boys', 'girl', 'girls'];

/** A group is three people or more; a crowd, six or more. */
export const GROUP_SIZE = 3;
export const CROWD_SIZE = 6;
/** A selfie: one or two faces, the largest filling at least this share of the photo (an arm's length away). */
export const SELFIE_FACE_SHARE = 0.06;

const WORDS = new Map<string, PeopleWord>([
  ...AT_LEAST_ONE.map((w) => [w, { kind: 'people', min: 1 }] as const),
  ...['group', 'groups'].map((w) => [w, { kind: 'people', min: GROUP_SIZE }] as const),
  ...['crowd', 'crowds'].map((w) => [w, { kind: 'people', min: CROWD_SIZE }] as const),
  ...['selfie', 'selfies'].map((w) => [w, { kind: 'selfie' }] as const),
]);

export function peopleWord(text: string): PeopleWord | undefined {
  return WORDS.get(text);
}

/** What a photo holds of people: faces found, person boxes found, the largest face's share of the photo. */
export interface PeopleEvidence {
  faces: number;
  personBoxes: number;
  largestFace: number;
}

/** How many people a photo shows: the faces, or the person boxes where people face away or are small. */
export const peopleCount = (e: PeopleEvidence) => Math.max(e.faces, e.personBoxes);

/** 0 when the photo does not answer the word; otherwise a score, higher for more (or larger) faces. */
export function peopleScore(word: PeopleWord, e: PeopleEvidence): number {
  if (word.kind === 'selfie') return e.faces >= 1 && e.faces <= 2 && e.largestFace >= SELFIE_FACE_SHARE ? e.largestFace : 0;
  const n = peopleCount(e);
  return n >= word.min ? n / (n + 1) : 0;
}

export function peopleWhy(word: PeopleWord, e: PeopleEvidence): string {
  if (word.kind === 'selfie') return `selfie (face ${Math.round(e.largestFace * 100)}% of the photo)`;
  const n = peopleCount(e);
  return n === 1 ? '1 person' : `${n} people`;
}
