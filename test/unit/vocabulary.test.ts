import { describe, expect, it } from 'vitest';
import { baseForms, conceptClasses, conceptName, editDistance, meaningOf, namesStartingWith, relatedConcepts } from '../../src/library/search/vocabulary';
import { labelName } from '../../src/engine/labels';
import { OBJECT_CLASS_BASE } from '../../src/library/search/searchIndex';

/** The ImageNet class names (and COCO objects, as "coco:name") a word finds. */
function classesOf(word: string): string[] {
  const m = meaningOf(word);
  if (!m) return [];
  const out = new Set<string>();
  for (const k of m.concepts) for (const c of conceptClasses(k)) out.add(c >= OBJECT_CLASS_BASE ? `coco:${c - OBJECT_CLASS_BASE}` : labelName(c));
  return [...out];
}

describe('whole names, not fragments', () => {
  it('a word names a class, or one of its WordNet ancestors', () => {
    expect(classesOf('golden retriever')).toEqual(['golden retriever']);
    expect(classesOf('dog')).toEqual(expect.arrayContaining(['golden retriever', 'malamute', 'Chihuahua', 'coco:16']));
    expect(classesOf('animal')).toEqual(expect.arrayContaining(['tabby', 'goldfish', 'coco:16']));
  });

  it('a word inside a longer name does not match on its own', () => {
    expect(classesOf('dog')).not.toContain('hotdog');
    expect(classesOf('truck').some((c) => ['head cabbage', 'broccoli', 'cauliflower'].includes(c))).toBe(false);
    expect(classesOf('truck')).toEqual(expect.arrayContaining(['fire engine', 'garbage truck', 'pickup']));
    const cat = classesOf('cat');
    for (const c of ['oscilloscope', 'catamaran', 'cardigan', 'carousel']) expect(cat).not.toContain(c);
    expect(cat).toEqual(expect.arrayContaining(['tabby', 'Siamese cat']));
    const car = classesOf('car');
    for (const c of ['cardigan', 'carton', 'carousel', 'tabby', 'golden retriever']) expect(car).not.toContain(c);
    expect(car).toEqual(expect.arrayContaining(['sports car', 'cab', 'convertible']));
  });

  it('a phrase is one name', () => {
    expect(classesOf('hot dog')).toEqual(['hotdog', 'coco:52']);
    expect(classesOf('teddy bear')).toEqual(expect.arrayContaining(['teddy']));
    expect(classesOf('sports car')).toEqual(['sports car']);
  });

  it('picks common senses: "car" is the automobile, not the railcar; "plant" is flora', () => {
    expect(classesOf('car')).not.toContain('passenger car');
    expect(classesOf('plant')).toEqual(expect.arrayContaining(['daisy']));
  });

  it('keeps a rarer sense of the same kind: "food" is solid food too, "table" the dining table; not the data table', () => {
    expect(classesOf('food')).toEqual(expect.arrayContaining(['hotdog', 'broccoli', 'banana']));
    expect(classesOf('table')).toEqual(expect.arrayContaining(['desk', 'dining table']));
    expect(classesOf('car')).not.toContain('passenger car');
  });
});

describe("WordNet's morphology", () => {
  it('plurals and irregular forms reach the singular', () => {
    expect(baseForms('dogs')).toContain('dog');
    expect(baseForms('puppies')).toContain('puppy');
    expect(baseForms('boxes')).toContain('box');
    expect(baseForms('golden retrievers')).toContain('golden retriever');
    expect(meaningOf('geese')?.lemma).toBe('goose');
    expect(meaningOf('mice')?.lemma).toBe('mouse');
    expect(classesOf('dogs')).toEqual(classesOf('dog'));
  });
});

describe('query-side WordNet', () => {
  it('finds a concept for a word that names none: a kind of it, a synonym, or named by its definition', () => {
    expect(meaningOf('puppy')).toMatchObject({ source: 'wordnet' });
    expect(classesOf('puppy')).toEqual(classesOf('dog'));
    expect(classesOf('kitten')).toEqual(expect.arrayContaining(['tabby', 'Persian cat']));
    expect(classesOf('kitten')).not.toContain('lion');
    expect(classesOf('automobile')).toEqual(classesOf('car'));
    expect(classesOf('sea')).toContain('seashore');
    expect(classesOf('ocean')).toContain('seashore');
    expect(classesOf('plane')).toContain('airliner');
  });

  it('leaves a rare word that would only reach a broad concept unanswered, with neighbours to suggest', () => {
    expect(meaningOf('beach')).toBeNull();
    expect(relatedConcepts('beach').map(conceptName)).toContain('cliff');
    expect(meaningOf('xyzzy')).toBeNull();
  });
});

describe('typing', () => {
  it('completes a prefix to names', () => {
    expect(namesStartingWith('tabb')).toEqual(['tabby', 'tabby cat']);
    expect(namesStartingWith('')).toEqual([]);
  });

  it('measures spelling distance with transpositions, stopping past the limit', () => {
    expect(editDistance('dgo', 'dog', 2)).toBe(1);
    expect(editDistance('kitten', 'sitting', 3)).toBe(3);
    expect(editDistance('cat', 'elephant', 2)).toBe(3);
  });
});
