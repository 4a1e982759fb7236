import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/library/search/searchIndex';
import type { PhotoRecord } from '../../src/library/types';
import { ResultList } from '../../src/ui/resultList';

function index(n: number) {
  const search = new SearchIndex();
  for (let id = 1; id <= n; id++) {
    const r: PhotoRecord & { id: number } = {
      id, path: `dir/p${id}.jpg`, size: 1, lastModified: id, width: 10, height: 10, takenAt: null, camera: null,
      gps: null, thumb: null, labels: [], faceCount: 0, modelVersion: 1, indexedAt: 0,
    };
    search.upsertPhoto(r);
  }
  return search;
}

describe('ResultList', () => {
  const search = index(12);

  it('makes the items of a row, with path and reason, from ids alone', () => {
    const why = new Map([[5, 'tabby 71%'], [9, 'cat 40%']]);
    const list = new ResultList([9, 5, 3], search, why);
    expect(list.length).toBe(3);
    expect(list.slice(0, 2)).toEqual([
      { id: 9, path: 'dir/p9.jpg', why: 'cat 40%', distance: undefined },
      { id: 5, path: 'dir/p5.jpg', why: 'tabby 71%', distance: undefined },
    ]);
    expect(list.at(2)!.why).toBeNull();
    expect(list.slice(2, 10).map((i) => i.id)).toEqual([3]);
    expect(list.at(3)).toBeUndefined();
    expect(list.indexOf(5)).toBe(1);
    expect(list.indexOf(4)).toBe(-1);
    expect(list.idAt(2)).toBe(3);
  });

  it('gives each item its own reason and distance by position, or one reason for all', () => {
    const distances = [0.31, 0.42];
    const faces = new ResultList([7, 2], search, (i) => `face distance ${distances[i].toFixed(2)}`, distances);
    expect(faces.slice(0, 2).map((i) => [i.id, i.why, i.distance])).toEqual([[7, 'face distance 0.31', 0.31], [2, 'face distance 0.42', 0.42]]);
    const person = new ResultList([1, 2], search, 'Ada');
    expect(person.slice(0, 2).map((i) => i.why)).toEqual(['Ada', 'Ada']);
    expect(ResultList.empty.length).toBe(0);
    expect(ResultList.empty.slice(0, 5)).toEqual([]);
  });
});
