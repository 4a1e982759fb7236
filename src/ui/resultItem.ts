import type { SearchIndex } from '../library/searchIndex';
import type { ResultItem } from './library.svelte';

/**
 * A grid item that looks up its path and reason only when read: a query can match 50k photos, and the grid
 * shows a few dozen of them.
 */
export class LazyResultItem implements ResultItem {
  constructor(
    readonly id: number,
    private readonly search: SearchIndex,
    private readonly reason: string | null | { get(id: number): string | undefined },
    readonly distance?: number,
  ) {}

  get path(): string {
    return this.search.get(this.id)?.path ?? '';
  }

  get why(): string | null {
    const r = this.reason;
    return r === null || typeof r === 'string' ? r : (r.get(this.id) ?? null);
  }
}
