import { describe, expect, it } from 'vitest';
import { folderCounts, lastToken, suggest, type SuggestSources } from '../../src/library/search/suggest';

const sources: SuggestSources = {
  terms: (prefix) =>
    [
      { term: 'dog', count: 3 },
      { term: 'domestic dog', count: 2 },
      { term: 'dome', count: 0 },
      { term: 'tabby cat', count: 1 },
    ].filter((t) => t.term.split(' ').some((w) => w.startsWith(prefix))),
  people: [
    { name: 'Anna Berg', count: 4 },
    { name: 'Dora', count: 2 },
    { name: 'Nobody', count: 0 },
  ],
  folders: folderCounts(['trips/2019/a.jpg', 'trips/2019/b.jpg', 'trips/dogs/c.jpg', 'd.jpg', 'Documents/x.png']),
};

describe('suggest', () => {
  it('completes the last word from labels, people and folders, most photos first, with counts', () => {
    expect(suggest('do', sources)).toEqual([
      { kind: 'label', text: 'dog', count: 3, query: 'dog ' },
      { kind: 'label', text: 'domestic dog', count: 2, query: '"domestic dog" ' },
      { kind: 'person', text: 'Dora', count: 2, query: 'Dora ' },
      { kind: 'folder', text: 'Documents', count: 1, query: 'folder:Documents ' },
      { kind: 'folder', text: 'trips/dogs', count: 1, query: 'folder:trips/dogs ' },
    ]);
  });

  it('keeps the rest of the query, a minus, and quotes what has spaces', () => {
    expect(suggest('beach -tab', sources)).toEqual([{ kind: 'label', text: 'tabby cat', count: 1, query: 'beach -"tabby cat" ' }]);
    expect(suggest('year:2019 ber', sources).map((s) => s.query)).toEqual(['year:2019 "Anna Berg" ']);
  });

  it('suggests only folders after folder:, only people after person:, nothing for other filters', () => {
    expect(suggest('folder:20', sources)).toEqual([{ kind: 'folder', text: 'trips/2019', count: 2, query: 'folder:trips/2019 ' }]);
    expect(suggest('person:an', sources).map((s) => s.query)).toEqual(['person:"Anna Berg" ']);
    expect(suggest('year:20', sources)).toEqual([]);
  });

  it('never suggests what finds nothing, or anything for an empty word', () => {
    expect(suggest('dom', sources).map((s) => s.text)).toEqual(['domestic dog']);
    expect(suggest('nob', sources)).toEqual([]);
    expect(suggest('', sources)).toEqual([]);
    expect(suggest('dog ', sources)).toEqual([]);
  });

  it('finds the last token outside quotes', () => {
    expect(lastToken('"hot dog" fo')).toEqual({ start: 10, key: null, text: 'fo', negated: false });
    expect(lastToken('"hot do')).toEqual({ start: 0, key: null, text: 'hot do', negated: false });
    expect(lastToken('(cat OR -folder:Tri')).toEqual({ start: 8, key: 'folder', text: 'tri', negated: true });
  });

  it('counts photos in every folder and its parents', () => {
    expect(folderCounts(['a/b/1.jpg', 'a/2.jpg', '3.jpg']).sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'a', count: 2 },
      { path: 'a/b', count: 1 },
    ]);
  });
});
