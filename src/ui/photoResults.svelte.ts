import type { SearchIndex } from '../library/search/searchIndex';
import type { FaceIndex } from '../library/people/faceIndex';
import type { SimilarIndex } from '../library/search/similarIndex';
import type { People } from '../library/people/people';
import { runQuery, type QueryContext } from '../library/search/queryParser';
import { libraryQueryContext } from '../library/search/libraryQuery';
import { RecentAnswers } from '../library/search/recentAnswers';
import { FACE_MATCH_THRESHOLD } from '../engine/types';
import { ResultList } from './resultList';
import type { Page } from './route';

/** The photos of one person (a People page click, or the person of a dropped photo's face). */
export interface PersonSearch {
  personId: number;
  /** Shown on each photo, e.g. "Grace · distance 0.21". */
  why: string;
}

export interface FaceSearch {
  faceId: number;
  threshold: number;
}

/** What the results are computed from: the loaded indexes (libraryIndexes.svelte.ts); `version` says when they changed. */
export interface ResultSource {
  readonly search: SearchIndex | null;
  readonly faces: FaceIndex | null;
  readonly similar: SimilarIndex | null;
  readonly people: People | null;
  readonly version: number;
}

const MAX_SIMILAR = 60;
/** Recent queries whose grid items are kept (most recently used last). */
const QUERY_ITEMS_KEPT = 4;
/** Unrelated photos score about 0.45 (the median of the test photos' pairs); below this they are not "like" it. */
const MIN_SIMILARITY = 0.55;

/**
 * The grid's contents for the page on screen: a face search, "more like this", a person's photos, a query, or every
 * photo newest first. Derived from the page (the URL) and the indexes; nothing here is set by hand.
 */
export class PhotoResults {
  constructor(
    private readonly page: () => Page,
    private readonly source: ResultSource,
  ) {}

  /** The search box's text (empty on pages other than the photos). */
  get query(): string {
    const p = this.page();
    return p.kind === 'photos' ? p.q : '';
  }

  get faceSearch(): FaceSearch | null {
    const p = this.page();
    return p.kind === 'face' ? { faceId: p.faceId, threshold: Number.isFinite(p.threshold) ? p.threshold : FACE_MATCH_THRESHOLD } : null;
  }

  /** "More like this": the photo whose nearest photos the grid shows. */
  get similarTo(): number | null {
    const p = this.page();
    return p.kind === 'similar' ? p.photoId : null;
  }

  get personSearch(): PersonSearch | null {
    const p = this.page();
    if (p.kind !== 'person-photos') return null;
    return { personId: p.personId, why: p.why ?? this.source.people?.nameOf(p.personId) ?? 'Unnamed person' };
  }

  results = $derived.by((): { items: ResultList; messages: string[] } => {
    void this.source.version;
    const { search, faces, similar, people } = this.source;
    if (!search) return { items: ResultList.empty, messages: [] };
    const faceSearch = this.faceSearch;
    if (faceSearch && faces) {
      const q = faces.descriptorOf(faceSearch.faceId);
      if (!q) return { items: ResultList.empty, messages: ['That face is no longer in the library'] };
      const best = new Map<number, number>();
      for (const hit of faces.search(q, faceSearch.threshold)) if (!best.has(hit.photoId)) best.set(hit.photoId, hit.distance);
      const distances = [...best.values()];
      return { items: new ResultList([...best.keys()], search, (i) => `face distance ${distances[i].toFixed(2)}`, distances), messages: [] };
    }
    const similarTo = this.similarTo;
    if (similarTo !== null && similar) {
      const hits = similar.nearest(similarTo, MAX_SIMILAR, MIN_SIMILARITY).filter((h) => search.get(h.photoId));
      const items = new ResultList(hits.map((h) => h.photoId), search, (i) => `${Math.round(hits[i].similarity * 100)}% similar`);
      return { items, messages: hits.length ? [] : ['No similar photos'] };
    }
    const personSearch = this.personSearch;
    if (personSearch && people) {
      const ids = new Set(people.photosOf(personSearch.personId));
      const items = new ResultList(search.newestFirst().filter((id) => ids.has(id)), search, personSearch.why);
      return { items, messages: items.length ? [] : ['No photos of this person are left'] };
    }
    const text = this.query.trim();
    if (!text) return { items: new ResultList(search.newestFirst(), search, null), messages: [] };
    // Retyping a query or coming back to it reuses its answer.
    return this.queryItems.get(this.source.version, text, () => {
      const r = runQuery(text, this.queryContext(search));
      return { items: new ResultList(r.ranked, search, r.why), messages: r.messages };
    });
  });
  private readonly queryItems = new RecentAnswers<{ items: ResultList; messages: string[] }>(QUERY_ITEMS_KEPT);

  /** How many photos a query finds and its best photo: Explore's rows, without changing the view. */
  preview(text: string): { count: number; cover: number | undefined } {
    const search = this.source.search;
    if (!search) return { count: 0, cover: undefined };
    const r = runQuery(text, this.queryContext(search));
    return { count: r.ranked.length, cover: r.ranked[0] };
  }

  counts = $derived.by(() => {
    void this.source.version;
    return this.source.search?.counts ?? { photos: 0, faces: 0, skipped: 0 };
  });

  skipped = $derived.by(() => {
    void this.source.version;
    return this.source.search?.skipped() ?? [];
  });

  private queryContext(search: SearchIndex): QueryContext {
    return libraryQueryContext(search, this.source.people);
  }
}
