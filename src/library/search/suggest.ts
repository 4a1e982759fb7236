/** Autocomplete for the search box: the word being typed, completed from what this library holds. */
import { placeSuggestions, type PlaceSource } from './placeTerms';

export type SuggestionKind = 'label' | 'person' | 'folder' | 'place';

export interface Suggestion {
  kind: SuggestionKind;
  /** What the user reads: "tabby cat", "Anna Berg", "trips/2019". */
  text: string;
  /** Photos it finds. */
  count: number;
  /** The whole query once this suggestion is picked. */
  query: string;
}

export interface SuggestSources {
  /** Label and object terms that prefix-match `prefix`, with the photos each finds. */
  terms(prefix: string): { term: string; count: number }[];
  people: readonly { name: string; count: number }[];
  folders: readonly { path: string; count: number }[];
  /** Places hook: place names (city, region, country) that match the typed text, with their photo counts. */
  places?: PlaceSource;
}

/** The token under the cursor at the end of the query: its start, its filter key if any, its text, a leading "-". */
export function lastToken(query: string): { start: number; key: string | null; text: string; negated: boolean } {
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (/\s/.test(c) || c === '(' || c === ')')) start = i + 1;
  }
  let token = query.slice(start);
  const negated = token.startsWith('-');
  if (negated) token = token.slice(1);
  const m = /^([a-z]+):/i.exec(token);
  const key = m ? m[1].toLowerCase() : null;
  if (m) token = token.slice(m[0].length);
  return { start, key, text: token.replace(/"/g, '').toLowerCase(), negated };
}

const quote = (s: string) => (/[\s()"|]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);

/** Up to `limit` suggestions for the last token, most photos first; nothing for an empty token. */
export function suggest(query: string, sources: SuggestSources, limit = 8): Suggestion[] {
  const { start, key, text, negated } = lastToken(query);
  if (!text && !key) return [];
  const head = query.slice(0, start) + (negated ? '-' : '');
  const out: Suggestion[] = [];
  const folderKey = key === 'folder' || key === 'dir';
  const personKey = key === 'person' || key === 'people' || key === 'who';
  // Places hook: place:/country: suggest only places; a plain word gets places among the rest.
  const places = sources.places ? placeSuggestions(key, text, head, sources.places, quote) : null;
  if (places && key) return places.slice(0, limit);
  if (places) out.push(...places);
  if (key && !folderKey && !personKey) return [];

  if (!key) {
    for (const { term, count } of sources.terms(text)) {
      if (count > 0) out.push({ kind: 'label', text: term, count, query: `${head}${quote(term)} ` });
    }
  }
  if (!folderKey) {
    for (const p of sources.people) {
      const name = p.name.toLowerCase();
      if (p.count > 0 && (name.startsWith(text) || name.includes(` ${text}`))) {
        out.push({ kind: 'person', text: p.name, count: p.count, query: `${head}${personKey ? 'person:' : ''}${quote(p.name)} ` });
      }
    }
  }
  if (!personKey) {
    for (const f of sources.folders) {
      const path = f.path.toLowerCase();
      if (path.split('/').some((part) => part.startsWith(text))) {
        out.push({ kind: 'folder', text: f.path, count: f.count, query: `${head}folder:${quote(f.path)} ` });
      }
    }
  }
  const rank = (s: Suggestion) => (s.text.toLowerCase() === text ? 0 : s.text.toLowerCase().startsWith(text) ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b) || b.count - a.count || a.text.localeCompare(b.text)).slice(0, limit);
}

/** Every folder (and parent folder) of these paths with the number of photos under it. */
export function folderCounts(paths: Iterable<string>): { path: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const parts = p.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      counts.set(folder, (counts.get(folder) ?? 0) + 1);
    }
  }
  return [...counts].map(([path, count]) => ({ path, count }));
}
