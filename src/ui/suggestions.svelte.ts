import type { Library } from './library.svelte';
import { labelSuggestions } from '../library/search/libraryQuery';
import { folderCounts, suggest, type Suggestion, type SuggestSources } from '../library/search/suggest';

/** Terms checked per keystroke: a one-letter prefix can match hundreds in a big library. */
const MAX_TERMS = 10;

/** Suggestions for the search box from this library's labels, objects, people and folders, with counts. */
export class Suggestions {
  private people = $state<{ name: string; count: number }[]>([]);

  constructor(private lib: Library) {}

  /** Named people and how many photos each is in; read when the search box gets focus (names change elsewhere). */
  async refreshPeople(): Promise<void> {
    const db = this.lib.db;
    if (!db) return;
    const named = (await db.getAll('people')).filter((p) => p.name && !p.hidden && p.id !== undefined);
    this.people = await Promise.all(
      named.map(async (p) => {
        const faces = await db.getAllFromIndex('faces', 'personId', p.id!);
        return { name: p.name!, count: new Set(faces.map((f) => f.photoId)).size };
      }),
    );
  }

  private folders = $derived.by(() => {
    void this.lib.version;
    const search = this.lib.search;
    if (!search) return [];
    return folderCounts(search.allPhotos().map((id) => search.get(id)!.path));
  });

  private sources(): SuggestSources {
    const search = this.lib.search;
    return {
      terms: (prefix) => (search ? labelSuggestions(search, prefix, MAX_TERMS) : []),
      people: this.people,
      folders: this.folders,
      // Places hook
      places: (prefix) => (search ? search.places.suggest(prefix).map((e) => ({ text: e.text, kind: e.kind, count: e.size })) : []),
    };
  }

  for(query: string): Suggestion[] {
    void this.lib.version;
    return suggest(query, this.sources());
  }
}
