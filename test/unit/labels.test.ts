import { describe, expect, it } from 'vitest';
import {
  NUM_CLASSES,
  labelAncestors,
  labelName,
  labelSynonyms,
  normalizeTerm,
  NUM_OBJECT_CLASSES,
  objectName,
  termsForObject,
  termsForClass,
} from '../../src/engine/labels';

const all = Array.from({ length: NUM_CLASSES }, (_, i) => i);
const weightOf = (c: number, term: string) => termsForClass(c).find((t) => t.term === term)?.weight;
const hasTerm = (c: number, term: string) => weightOf(c, term) !== undefined;
const byName = (name: string) => {
  const hits = all.filter((c) => labelSynonyms(c).includes(name));
  expect(hits, name).toHaveLength(1);
  return hits[0];
};

describe('labels', () => {
  it('names classes', () => {
    expect(NUM_CLASSES).toBe(1001);
    expect(labelName(282)).toBe('tabby');
    expect(labelSynonyms(282)).toEqual(['tabby', 'tabby cat']);
    expect(labelName(0)).toBe('background');
    expect(labelName(1001)).toBe('');
    expect(labelSynonyms(-1)).toEqual([]);
    expect(all.filter((c) => labelName(c) === '')).toEqual([]);
  });

  it('gives own names weight 1 and ancestors less', () => {
    expect(weightOf(282, 'tabby cat')).toBe(1);
    expect(weightOf(282, 'tabby')).toBe(1);
    const cat = weightOf(282, 'cat')!;
    expect(cat).toBeGreaterThanOrEqual(0.5);
    expect(cat).toBeLessThan(1);
    const bad = all.flatMap((c) =>
      termsForClass(c)
        .filter(({ term, weight }) => term !== normalizeTerm(term) || weight < 0.5 || weight > 1)
        .map((t) => `${c} ${t.term} ${t.weight}`),
    );
    expect(bad).toEqual([]);
  });

  it('never uses "background" as a term', () => {
    expect(all.filter((c) => hasTerm(c, 'background'))).toEqual([]);
    expect(termsForClass(0)).toEqual([]);
  });

  it('finds every dog breed under "dog"', () => {
    const domestic = all.filter((c) => labelAncestors(c).some((a) => a.words.includes('domestic dog')));
    expect(domestic.length).toBeGreaterThanOrEqual(118);
    // ILSVRC's 118 breeds sit at 152..269; the wolves, foxes and wild dogs after them are canines only.
    expect(domestic).toEqual(Array.from({ length: 118 }, (_, i) => 152 + i));
    for (const c of domestic) expect(hasTerm(c, 'dog'), labelName(c)).toBe(true);
    expect(hasTerm(byName('timber wolf'), 'canine')).toBe(true);
    expect(hasTerm(byName('timber wolf'), 'domestic dog')).toBe(false);
  });

  it('finds cats, birds, food and vehicles', () => {
    for (const n of ['tabby', 'tiger cat', 'Persian cat', 'Siamese cat', 'Egyptian cat']) {
      expect(hasTerm(byName(n), 'cat'), n).toBe(true);
    }
    for (const n of ['macaw', 'great grey owl']) expect(hasTerm(byName(n), 'bird'), n).toBe(true);
    expect(hasTerm(byName('hotdog'), 'food')).toBe(true);
    for (const n of ['sports car', 'minivan', 'cab']) expect(hasTerm(byName(n), 'vehicle'), n).toBe(true);
    expect(hasTerm(byName('tabby'), 'vehicle')).toBe(false);
  });

  it('tells the two cranes apart', () => {
    const cranes = all.filter((c) => labelName(c) === 'crane');
    expect(cranes).toEqual([135, 518]);
    expect(hasTerm(135, 'bird')).toBe(true);
    expect(hasTerm(135, 'device')).toBe(false);
    expect(hasTerm(518, 'device')).toBe(true);
    expect(hasTerm(518, 'bird')).toBe(false);
    expect(termsForClass(135)).not.toEqual(termsForClass(518));
  });

  it('tells other same-named classes apart', () => {
    // maillot: dancer's tights vs swimsuit; cardigan: corgi vs sweater.
    expect(hasTerm(639, 'tights')).toBe(true);
    expect(hasTerm(640, 'swimsuit')).toBe(true);
    expect(hasTerm(byName('Cardigan'), 'dog')).toBe(true);
    expect(hasTerm(byName('cardigan'), 'sweater')).toBe(true);
    expect(hasTerm(byName('cardigan'), 'dog')).toBe(false);
  });

  it('normalizes terms', () => {
    expect(normalizeTerm('  Tabby,   Cat! ')).toBe('tabby cat');
    expect(normalizeTerm("Yellow Lady's-Slipper")).toBe('yellow ladys-slipper');
    expect(normalizeTerm('Café/crème')).toBe('cafe creme');
    expect(normalizeTerm('')).toBe('');
  });
});

describe('COCO object classes', () => {
  const objectTerms = (name: string) => {
    const i = Array.from({ length: NUM_OBJECT_CLASSES }, (_, k) => k).find((k) => objectName(k) === name);
    expect(i, name).toBeDefined();
    return new Map(termsForObject(i!).map((t) => [t.term, t.weight]));
  };

  it('names the 80 classes in the detector’s order', () => {
    expect(NUM_OBJECT_CLASSES).toBe(80);
    expect(objectName(0)).toBe('person');
    expect(objectName(16)).toBe('dog');
    expect(objectName(79)).toBe('toothbrush');
    expect(objectName(80)).toBe('');
    expect(termsForObject(-1)).toEqual([]);
  });

  it('maps objects into the same WordNet words as the labels, own names above ancestors', () => {
    const dog = objectTerms('dog');
    expect(dog.get('dog')).toBe(1);
    expect(dog.get('domestic dog')).toBe(1);
    expect(dog.get('canine')).toBeLessThan(1);
    expect(dog.get('animal')).toBeGreaterThanOrEqual(0.5);
    expect(objectTerms('person').get('person')).toBe(1);
    expect(objectTerms('car').get('vehicle')).toBeLessThan(1);
    expect(objectTerms('hot dog').get('food')).toBeLessThan(1);
    expect(objectTerms('cat').has('feline')).toBe(true);
  });

  it('picks the sense a photo means', () => {
    expect(objectTerms('kite').has('bird')).toBe(false);
    expect(objectTerms('kite').has('toy')).toBe(true);
    expect(objectTerms('mouse').has('rodent')).toBe(false);
    expect(objectTerms('mouse').has('device')).toBe(true);
    expect(objectTerms('orange').has('fruit')).toBe(true);
    expect(objectTerms('cake').has('baked goods')).toBe(true);
    expect(objectTerms('bird').has('bird')).toBe(true);
  });
});
