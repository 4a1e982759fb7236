import { describe, expect, it } from 'vitest';
import { libraryQueryContext } from '../../src/library/search/libraryQuery';
import { parseQuery, formatQuery, runQuery } from '../../src/library/search/queryParser';
import { SearchIndex } from '../../src/library/search/searchIndex';
import { packCatalog, unpackCatalog } from '../../src/library/store/snapshots';
import { TEXT_INSIDE_FACTOR, TEXT_SCORE, TextIndex, textTokens } from '../../src/library/search/textTerms';
import type { PhotoRecord } from '../../src/library/types';

const ESPRESSO = 968;
const line = (text: string) => ({ text, score: 0.95, quad: [0, 0, 1, 0, 1, 0.1, 0, 0.1] });
function photo(id: number, text: string[] | null, labels: [number, number][] = []): PhotoRecord {
  const r: PhotoRecord = {
    id, path: `p/${id}.jpg`, size: 1, lastModified: 1000 + id, width: 10, height: 10, takenAt: null, camera: null, gps: null,
    thumb: null, labels, faceCount: 0, modelVersion: 3, indexedAt: 0,
  };
  if (text) r.text = text.map(line);
  return r;
}

describe('text tokens', () => {
  it('normalise case, accents and punctuation, and split letters from digits', () => {
    expect(textTokens('ESPRESSO2.50  Café-Crème!')).toEqual(['espresso', '2', '50', 'cafe', 'creme']);
    expect(textTokens("Ladies' room")).toEqual(['ladies', 'room']);
    expect(textTokens('营业时间 9:00')).toEqual(['营业时间', '9', '00']);
  });
});

describe('TextIndex', () => {
  const index = new TextIndex();
  index.set(1, 'OPENING HOURS\nMon-Fri 9-17');
  index.set(2, 'Thankyou\nTOTAL 12.40');
  index.set(3, 'hours of opening');

  it('matches whole words, phrases in order, and words run together', () => {
    expect([...index.search('hours').keys()].sort()).toEqual([1, 3]);
    expect([...index.search('opening hours').keys()]).toEqual([1]);
    expect(index.search('total').get(2)).toEqual({ score: TEXT_SCORE, token: 'total' });
    // "Thankyou": the recogniser dropped the space.
    expect(index.search('thank').get(2)).toEqual({ score: TEXT_SCORE * TEXT_INSIDE_FACTOR, token: 'thankyou' });
    expect(index.search('thank you').get(2)?.token).toBe('thankyou');
    // Short words never match inside others.
    expect(index.search('ope').size).toBe(0);
    expect(index.search('espresso').size).toBe(0);
  });

  it('forgets a photo that is removed or re-read', () => {
    const i = new TextIndex();
    i.set(1, 'exit');
    expect(i.search('exit').size).toBe(1);
    i.set(1, 'entrance');
    expect(i.search('exit').size).toBe(0);
    i.remove(1);
    expect(i.search('entrance').size).toBe(0);
    expect(i.size).toBe(0);
  });
});

describe('text in queries', () => {
  const search = new SearchIndex();
  search.upsertPhoto(photo(1, ['CAFE ROMA', 'Espresso 2.50', 'Opening hours 8-18']));
  search.upsertPhoto(photo(2, null, [[ESPRESSO, 0.6]]));
  search.upsertPhoto(photo(3, ['EXIT']));
  search.upsertPhoto(photo(4, null, [[ESPRESSO, 0.95]]));
  const ctx = libraryQueryContext(search, null);
  const ids = (q: string) => runQuery(q, ctx).ranked;

  it('a plain word finds photos holding it, ranked with the label answers', () => {
    expect(ids('espresso')).toEqual([4, 1, 2]);
    expect(runQuery('espresso', ctx).why.get(1)).toBe('text “espresso”');
    expect(ids('exit')).toEqual([3]);
    expect(ids('cafe roma')).toEqual([1]);
  });

  it('text:"…" searches the text only, as a phrase; has:text any text', () => {
    expect(ids('text:espresso')).toEqual([1]);
    expect(ids('text:"opening hours"')).toEqual([1]);
    expect(ids('text:"hours opening"')).toEqual([]);
    expect(runQuery('text:"hours opening"', ctx).messages).toEqual(['no photo with the text “hours opening”']);
    expect([...ids('has:text')].sort()).toEqual([1, 3]);
    expect(ids('espresso -has:text')).toEqual([4, 2]);
    expect(formatQuery(parseQuery('text:"opening hours" has:text').ast)).toBe('(text:"opening hours" AND has:text)');
  });

  it('stop words in a plain query do not have to be written in the photo', () => {
    expect(ids('the exit')).toEqual([3]);
  });

  it('survives the catalog snapshot, and a photo re-read without text loses it', () => {
    const again = SearchIndex.fromSnapshot(unpackCatalog(packCatalog(search.metas(), 1)));
    expect(runQuery('text:"opening hours"', libraryQueryContext(again, null)).ranked).toEqual([1]);
    again.upsertPhoto(photo(1, null));
    expect(runQuery('has:text', libraryQueryContext(again, null)).ranked).toEqual([3]);
  });
});
