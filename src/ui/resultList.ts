import type { SearchIndex } from '../library/search/searchIndex';

export interface ResultItem {
  id: number;
  path: string;
  /** Why it matched: "tabby 71%", or a face distance. */
  why: string | null;
  distance?: number;
}

/** Why a photo matched, asked only for the photos on screen. */
export type Reason = string | null | { get(id: number): string | undefined } | ((index: number) => string);

/**
 * The grid's photos as ids, with items made only for the rows on screen: a query can match 70k of 100k photos,
 * and an object per photo made each query was most of a large answer's time and the garbage that set off
 * collections mid-search.
 */
export class ResultList {
  static readonly empty = new ResultList([], null, null);

  constructor(
    /** The photo ids in order; the same array while the answer is the same (the grid's layout keys on it). */
    readonly ids: readonly number[],
    private readonly search: SearchIndex | null,
    private readonly reason: Reason,
    private readonly distances?: readonly number[],
  ) {}

  get length(): number {
    return this.ids.length;
  }

  idAt(index: number): number | undefined {
    return this.ids[index];
  }

  indexOf(id: number): number {
    return this.ids.indexOf(id);
  }

  at(index: number): ResultItem | undefined {
    const id = this.ids[index];
    if (id === undefined) return undefined;
    const r = this.reason;
    const why = r === null || typeof r === 'string' ? r : typeof r === 'function' ? r(index) : (r.get(id) ?? null);
    return { id, path: this.search?.get(id)?.path ?? '', why, distance: this.distances?.[index] };
  }

  /** Items from..to (exclusive), as one grid row shows them. */
  slice(from: number, to: number): ResultItem[] {
    const out: ResultItem[] = [];
    for (let i = from; i < Math.min(to, this.ids.length); i++) out.push(this.at(i)!);
    return out;
  }
}
