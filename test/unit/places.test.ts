import { describe, expect, it } from 'vitest';
import { libraryQueryContext } from '../../src/library/search/libraryQuery';
import { formatQuery, parseQuery, runQuery } from '../../src/library/search/queryParser';
import { SearchIndex, type PhotoMeta } from '../../src/library/search/searchIndex';
import { suggest } from '../../src/library/search/suggest';
import { packCatalog, unpackCatalog } from '../../src/library/store/snapshots';
import { photosWithoutPlace } from '../../src/library/places/backfill';
import { placeText, type PhotoPlace } from '../../src/library/places/place';
import { withMoreHits } from '../../src/library/search/combineHits';
import type { PhotoRecord } from '../../src/library/types';

const PARIS: PhotoPlace = { city: 'Paris', region: 'Île-de-France', country: 'France', cc: 'FR', v: 1 };
const LYON: PhotoPlace = { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', country: 'France', cc: 'FR', v: 1 };
const NYC: PhotoPlace = { city: 'New York City', region: 'New York', country: 'United States of America', cc: 'US', aka: ['United States', 'USA'], v: 1 };
const SF: PhotoPlace = { city: 'San Francisco', region: 'California', country: 'United States of America', cc: 'US', aka: ['United States', 'USA'], v: 1 };
const TOKYO: PhotoPlace = { city: 'Tokyo', region: 'Tokyo', country: 'Japan', cc: 'JP', v: 1 };
const PARIS_TX: PhotoPlace = { city: 'Paris', region: 'Texas', country: 'United States of America', cc: 'US', aka: ['United States', 'USA'], v: 1 };
const SEA: PhotoPlace = { city: null, region: null, country: null, cc: null, v: 1 };

const DOG = 208; // golden retriever: "dog" finds it
const SHORE = 979; // seashore, coast

function record(id: number, place: PhotoPlace | null, labels: [number, number][] = [], year = 2019): PhotoRecord & { id: number } {
  return {
    id, path: `p/${id}.jpg`, size: 1, lastModified: 1, width: 10, height: 10, takenAt: new Date(year, 5, 1).getTime(), camera: null,
    gps: place ? [1, 2] : null, thumb: null, labels, faceCount: 0, modelVersion: 1, indexedAt: 0, ...(place ? { place } : {}),
  };
}

function library() {
  const search = new SearchIndex();
  search.upsertPhoto(record(1, PARIS, [[DOG, 0.9]]));
  search.upsertPhoto(record(2, PARIS, [[SHORE, 0.8]], 2021));
  search.upsertPhoto(record(3, LYON, [[DOG, 0.7]]));
  search.upsertPhoto(record(4, NYC, [[DOG, 0.6]]));
  search.upsertPhoto(record(5, SF, [[SHORE, 0.9]]));
  search.upsertPhoto(record(6, TOKYO));
  search.upsertPhoto(record(7, PARIS_TX));
  search.upsertPhoto(record(8, SEA, [[SHORE, 0.5]]));
  search.upsertPhoto(record(9, null, [[DOG, 0.9], [SHORE, 0.9]])); // no GPS: never found by a place
  return search;
}

const find = (search: SearchIndex, q: string) => [...runQuery(q, libraryQueryContext(search, null)).ranked].sort((a, b) => a - b);

describe('places in search', () => {
  it('plain words find a city, a region, a country (accents optional), never a photo without GPS', () => {
    const s = library();
    expect(find(s, 'paris')).toEqual([1, 2, 7]);
    expect(find(s, 'france')).toEqual([1, 2, 3]);
    expect(find(s, 'california')).toEqual([5]);
    expect(find(s, 'ile-de-france')).toEqual([1, 2]);
    expect(find(s, 'japan')).toEqual([6]);
    expect(find(s, 'usa')).toEqual([4, 5, 7]);
    expect(find(s, 'Tokyo')).toEqual([6]);
  });

  it('a place of several words, quoted or not, and a prefix is not a place', () => {
    const s = library();
    expect(find(s, 'new york')).toEqual([4]);
    expect(find(s, '"new york"')).toEqual([4]);
    expect(find(s, 'san francisco')).toEqual([5]);
    expect(find(s, 'united states')).toEqual([4, 5, 7]);
    expect(find(s, 'new york dog')).toEqual([4]);
    expect(find(s, 'par')).toEqual([]);
  });

  it('combines with labels, negation, OR and year', () => {
    const s = library();
    expect(find(s, 'dog paris')).toEqual([1]);
    expect(find(s, 'seashore -france')).toEqual([5, 8, 9]);
    expect(find(s, 'dog france year:2019')).toEqual([1, 3]);
    expect(find(s, 'paris year:2021')).toEqual([2]);
    expect(find(s, 'tokyo OR lyon')).toEqual([3, 6]);
    const r = runQuery('dog paris', libraryQueryContext(s, null));
    expect(r.why.get(1)).toMatch(/Paris, Île-de-France, France/);
  });

  it('a place named whole beats a completion of the word, and joins a whole label of the same name', () => {
    const s = library();
    const places = runQuery('japan', libraryQueryContext(s, null));
    expect([...places.ranked]).toEqual([6]);
    const hits = (ids: number[]) => new Map(ids.map((id) => [id, { score: 0.5, why: 'china cabinet 50%' }]));
    const place = { size: 1, ids: () => [6], has: (id: number) => id === 6, score: () => 1, why: () => 'Tokyo, Japan' };
    const completion = withMoreHits({ hits: hits([1, 2]), note: 'no label called japan; showing japanese spaniel' }, place)!;
    expect([completion.note, [...(completion.hits as { ids(): Iterable<number> }).ids()]]).toEqual([undefined, [6]]);
    const both = withMoreHits({ hits: hits([1, 2]) }, place)!.hits as { ids(): Iterable<number>; why(id: number): string; score(id: number): number };
    expect([[...both.ids()].sort(), both.why(6), both.why(1), both.score(6)]).toEqual([[1, 2, 6], 'Tokyo, Japan', 'china cabinet 50%', 1]);
    expect(withMoreHits(null, place)!.hits).toBe(place);
    expect(withMoreHits(null, null)).toBeNull();
  });

  it('place: and country: filters; place: parts narrow a name shared by two cities', () => {
    const s = library();
    expect(find(s, 'place:"san francisco"')).toEqual([5]);
    expect(find(s, 'place:paris')).toEqual([1, 2, 7]);
    expect(find(s, 'place:"paris, france"')).toEqual([1, 2]);
    expect(find(s, 'place:"Paris, Texas"')).toEqual([7]);
    expect(find(s, 'country:japan')).toEqual([6]);
    expect(find(s, 'country:jp')).toEqual([6]);
    expect(find(s, 'country:"united states" seashore')).toEqual([5]);
    expect(find(s, 'country:paris')).toEqual([]);
    expect(find(s, 'dog -country:france')).toEqual([4, 9]);
    expect(find(s, 'city:tokyo')).toEqual([6]);
  });

  it('parses and prints the filters, and says what a bare key needs', () => {
    expect(formatQuery(parseQuery('place:"san francisco" country:japan').ast)).toBe('(place:"san francisco" AND country:japan)');
    expect(parseQuery('country:').messages).toEqual(['country: expects a country, like country:japan']);
  });

  it('removing or changing a photo updates its place postings', () => {
    const s = library();
    s.removePhoto(6);
    expect(find(s, 'japan')).toEqual([]);
    s.upsertPhoto(record(1, TOKYO, [[DOG, 0.9]]));
    expect(find(s, 'paris')).toEqual([2, 7]);
    expect(find(s, 'tokyo')).toEqual([1]);
  });

  it('the place index is built on first use and sees changes made before it', () => {
    const s = library();
    s.removePhoto(6);
    s.upsertPhoto(record(3, TOKYO));
    expect(find(s, 'lyon')).toEqual([]);
    expect(find(s, 'japan')).toEqual([3]);
  });

  it('the autocomplete suggests places with their photo counts', () => {
    const s = library();
    const sources = { terms: () => [], people: [], folders: [], places: (p: string) => s.places.suggest(p).map((e) => ({ text: e.text, kind: e.kind, count: e.size })) };
    expect(suggest('dog par', sources)).toEqual([{ kind: 'place', text: 'Paris', count: 3, query: 'dog Paris ' }]);
    expect(suggest('new y', sources).map((x) => [x.text, x.count, x.query])).toEqual([['New York', 1, '"New York" '], ['New York City', 1, '"New York City" ']]);
    expect(suggest('dog new y', sources)[0].query).toBe('dog "New York" ');
    expect(suggest('country:fr', sources)).toEqual([{ kind: 'place', text: 'France', count: 3, query: 'country:France ' }]);
    expect(suggest('country:to', sources)).toEqual([]); // Tokyo is a city
    expect(suggest('place:san', sources).map((x) => x.query)).toEqual(['place:"San Francisco" ']);
  });

  it('the Places page groups countries and cities, most photos first, newest photo as cover', () => {
    const s = library();
    const groups = s.places.countries(s.newestFirst());
    expect(groups.map((g) => [g.country, g.photos.length])).toEqual([['France', 3], ['United States of America', 3], ['Japan', 1]]);
    expect(groups[0].cities.map((c) => [c.city, c.photos.length])).toEqual([['Paris', 2], ['Lyon', 1]]);
    expect(groups[0].cities[0].photos[0]).toBe(2); // 2021, the newest
    expect(placeText(PARIS)).toBe('Paris, Île-de-France, France');
    expect(placeText(TOKYO)).toBe('Tokyo, Japan');
    expect(placeText(SEA)).toBe('unknown place');
  });

  it('the catalog snapshot keeps each photo’s place', () => {
    const s = library();
    const back = SearchIndex.fromMetas(unpackCatalog(packCatalog(s.metas(), 1)));
    const placesById = (metas: Iterable<PhotoMeta>) => [...metas].map((m) => [m.id, m.place ?? null]).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(placesById(back.metas())).toEqual(placesById(s.metas()));
    expect(find(back, 'new york')).toEqual([4]);
    // A snapshot packed before places (no place column) still reads.
    const { place: _p, placeList: _l, ...old } = packCatalog(s.metas(), 1);
    expect([...unpackCatalog(old)].every((m) => m.place === undefined)).toBe(true);
  });

  it('photos with GPS and no place (or another data version) are the ones left to name', () => {
    const s = library();
    s.upsertPhoto({ ...record(10, null), gps: [48.85, 2.35] });
    expect(photosWithoutPlace(s.metas(), null)).toEqual([10]);
    expect(photosWithoutPlace(s.metas(), 2).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10]);
  });
});
