import { describe, expect, it } from 'vitest';
import { prng } from '../../src/bench/syntheticLibrary';
import { labelSuggestions, libraryQueryContext } from '../../src/library/search/libraryQuery';
import { runQuery, type QueryContext, type QueryWordHit } from '../../src/library/search/queryParser';
import { SearchIndex } from '../../src/library/search/searchIndex';
import type { PhotoRecord } from '../../src/library/types';

const TABBY = 282;
const GOLDEN_RETRIEVER = 208;
const HOTDOG = 935;
const SPORTS_CAR = 818;
const CARDIGAN = 475;
const CAROUSEL = 477;
const OSCILLOSCOPE = 689;
const TIMBER_WOLF = 270;
const SEASHORE = 979;
const SCUBA_DIVER = 984;
const CLIFF = 973;

function photo(id: number, labels: [number, number][], over: Partial<PhotoRecord> = {}): PhotoRecord {
  return {
    id, path: `p/${id}.jpg`, size: 1, lastModified: 1000 + id, width: 10, height: 10, takenAt: id * 86_400_000, camera: null,
    gps: null, thumb: null, labels, faceCount: 0, modelVersion: 1, indexedAt: 0, ...over,
  };
}

/** The shared sample photos, as the classifier and detectors see them (scores rounded). */
function library() {
  const search = new SearchIndex();
  const photos = {
    dogs: photo(1, [[GOLDEN_RETRIEVER, 0.76], [TIMBER_WOLF, 0.05]], { objects: [{ classIndex: 16, score: 0.9, box: [0, 0, 1, 1] }] }),
    hotdog: photo(2, [[HOTDOG, 0.95]]),
    cat: photo(3, [[TABBY, 0.7]], { objects: [{ classIndex: 16, score: 0.48, box: [0, 0, 1, 1] }] }),
    car: photo(4, [[SPORTS_CAR, 0.8]]),
    notCars: photo(5, [[CARDIGAN, 0.5], [CAROUSEL, 0.4]]),
    scope: photo(6, [[OSCILLOSCOPE, 0.9]]),
    group: photo(7, [[SEASHORE, 0.3], [CLIFF, 0.3]], { faceCount: 4, largestFace: 0.01 }),
    selfie: photo(8, [], { faceCount: 1, largestFace: 0.2 }),
    diver: photo(9, [[SCUBA_DIVER, 0.9]]),
    boxes: photo(10, [], { objects: [0.9, 0.85, 0.8, 0.82, 0.9, 0.95].map((score) => ({ classIndex: 0, score, box: [0, 0, 1, 1] as [number, number, number, number] })) }),
  };
  for (const p of Object.values(photos)) search.upsertPhoto(p);
  return { search, photos, ctx: libraryQueryContext(search, null) };
}

const ids = (q: string, ctx: QueryContext) => {
  const r = runQuery(q, ctx);
  return r.ids === 'all' ? 'all' : [...r.ids].sort((a, b) => a - b);
};

describe('words as a person means them', () => {
  const { ctx, photos } = library();

  it('"dog" gives the dogs, not the hot dog nor the cat a detector half took for a dog', () => {
    expect(ids('dog', ctx)).toEqual([photos.dogs.id]);
    expect(runQuery('dog', ctx).why.get(photos.dogs.id!)).toBe('dog 98%');
  });

  it('"hot dog" is read as one name, first', () => {
    expect(ids('hot dog', ctx)).toEqual([photos.hotdog.id]);
    expect(runQuery('hot dog', ctx).messages).toEqual([]);
  });

  it('"car" gives no cardigan, carousel or animal; "cat" no oscilloscope', () => {
    expect(ids('car', ctx)).toEqual([photos.car.id]);
    expect(ids('cat', ctx)).toEqual([photos.cat.id]);
  });

  it('plurals and query-side WordNet: "dogs", "puppies", "kitten", "automobile", "sea"', () => {
    expect(ids('dogs', ctx)).toEqual([photos.dogs.id]);
    expect(ids('puppies', ctx)).toEqual([photos.dogs.id]);
    expect(ids('kitten', ctx)).toEqual([photos.cat.id]);
    expect(ids('automobile', ctx)).toEqual([photos.car.id]);
    expect(ids('sea', ctx)).toEqual([photos.group.id]);
  });

  it('people words come from faces and person boxes', () => {
    expect(ids('people', ctx)).toEqual([photos.group.id, photos.selfie.id, photos.diver.id, photos.boxes.id]);
    expect(ids('group', ctx)).toEqual([photos.group.id, photos.boxes.id]);
    expect(ids('crowd', ctx)).toEqual([photos.boxes.id]);
    expect(ids('selfie', ctx)).toEqual([photos.selfie.id]);
    expect(runQuery('group', ctx).why.get(photos.boxes.id!)).toBe('6 people');
  });

  it('a prefix runs only when no whole word matches, and says so', () => {
    const r = runQuery('tabb', ctx);
    expect([...(r.ids as Set<number>)]).toEqual([photos.cat.id]);
    expect(r.messages).toEqual(['no label called tabb; showing tabby']);
    expect(runQuery('cat', ctx).messages).toEqual([]);
  });

  it('an unknown word says so, with the nearest words by spelling, else by WordNet', () => {
    expect(runQuery('dgo', ctx).messages).toEqual(['no label or person called dgo; did you mean dog?']);
    // A real word is no typo of one two letters away ("beast"): WordNet's neighbours say more.
    expect(runQuery('beach', ctx).messages).toEqual(['no label or person called beach; related: cliff']);
    expect(runQuery('retreiver', ctx).messages).toEqual(['no label or person called retreiver; did you mean retriever?']);
    expect(runQuery('xyzzy', ctx).messages).toEqual(['no label or person called xyzzy']);
  });

  it('a known word with no photo here says that instead', () => {
    expect(runQuery('zebra', ctx).messages).toEqual(['no photo here shows zebra']);
  });

  it('suggests whole names first, then completions, with their photo counts', () => {
    const { search } = library();
    expect(labelSuggestions(search, 'tabb', 5)).toEqual([{ term: 'tabby', count: 1 }, { term: 'tabby cat', count: 1 }]);
    expect(labelSuggestions(search, 'dog', 1)).toEqual([{ term: 'dog', count: 1 }]);
  });
});

/** The evaluator's plain path: every hit an object, ranked by comparing dates. */
function referenceContext(search: SearchIndex): QueryContext {
  const fast = libraryQueryContext(search, null);
  return {
    ...fast,
    newestRank: undefined,
    word: (term) => {
      const answer = fast.word(term);
      if (!answer) return null;
      if (answer.hits instanceof Map) return answer;
      const hits = answer.hits as Exclude<typeof answer.hits, ReadonlyMap<number, QueryWordHit>>;
      return { note: answer.note, hits: new Map<number, QueryWordHit>([...hits.ids()].map((id) => [id, { score: hits.score(id), why: hits.why(id) }])) };
    },
  };
}

describe('queries over the library index', () => {
  it('rank and explain exactly as the plain evaluation does', () => {
    const rand = prng(3);
    const search = new SearchIndex();
    for (let id = 1; id <= 4000; id++) {
      const labels = new Map<number, number>();
      // Popular classes far more often, and scores from a small set, so ties are common.
      while (labels.size < 4) labels.set(1 + Math.floor(Math.pow(rand(), 2) * 1000), [0.02, 0.05, 0.2, 0.3][Math.floor(rand() * 4)]);
      const takenAt = rand() < 0.1 ? null : Math.floor(rand() * 300) * 86_400_000;
      const objects = rand() < 0.2 ? [{ classIndex: Math.floor(rand() * 80), score: 0.9, box: [0, 0, 1, 1] as [number, number, number, number] }] : undefined;
      search.upsertPhoto({ ...photo(id, [...labels], { takenAt, objects }), lastModified: 1000 + (id % 7) });
    }
    const fast = libraryQueryContext(search, null);
    const plain = referenceContext(search);
    for (const q of ['dog', 'cat', 'tabb', 'golden retriever', 'dog OR cat', 'dog -cat', 'dog cat', 'vehicle OR food', 'xyzzy', '-dog', 'the', 'people']) {
      const a = runQuery(q, plain);
      const b = runQuery(q, fast);
      expect(b.ranked, q).toEqual(a.ranked);
      expect(b.ranked.map((id) => b.why.get(id)), q).toEqual(a.ranked.map((id) => a.why.get(id)));
      expect(b.messages, q).toEqual(a.messages);
    }
    expect(runQuery('dog', fast).ranked.length).toBeGreaterThan(100);
  });

  it('a repeated word reuses its ranking until the index changes, and then ranks the new photo in', () => {
    const search = new SearchIndex();
    const dog = (id: number, score: number, takenAt: number) => photo(id, [[GOLDEN_RETRIEVER, score]], { takenAt });
    for (let id = 1; id <= 50; id++) search.upsertPhoto(dog(id, 0.5, id * 86_400_000));
    const ctx = () => libraryQueryContext(search, null);
    const first = runQuery('golden retriever', ctx());
    expect(first.ranked).toHaveLength(50);
    expect(first.ranked[0]).toBe(50); // equal scores: newest first
    const again = runQuery('golden retriever', ctx());
    expect(again.ranked).toBe(first.ranked);
    search.upsertPhoto(dog(51, 0.9, 1));
    const after = runQuery('golden retriever', ctx());
    expect(after.ranked).not.toBe(first.ranked);
    expect(after.ranked).toHaveLength(51);
    expect(after.ranked[0]).toBe(51); // the best score comes first, however old
    expect(first.ranked).toHaveLength(50); // an earlier answer is never changed in place
  });
});
