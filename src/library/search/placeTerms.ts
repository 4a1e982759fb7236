/**
 * Places in the query language: plain words and phrases find photos by city, region or country ("paris",
 * "new york", "france"), `place:` finds only places (`place:"paris, france"`: every comma part must name the
 * photo's place) and `country:` only countries (by name, alias or ISO code). Kept apart from syntax.ts,
 * evaluation.ts and libraryQuery.ts, which call in through a few marked hooks.
 */
import { normalizePlaceName, placeNames, placeText, type PhotoPlace } from '../places/place';
import type { PlaceIndex } from '../places/placeIndex';
import type { QueryWordHits } from './queryParser';

export type PlaceFilter = { key: 'place' | 'country'; text: string };

export const PLACE_FILTER_KEYS = ['place', 'country'] as const;
export const PLACE_KEY_ALIASES = { city: 'place', where: 'place' } as const;

/** A place found by a word ranks like a sure label: places are facts, not guesses. */
export const PLACE_SCORE = 1;

export function parsePlaceFilter(key: PlaceFilter['key'], value: string, bad: (m: string) => null): PlaceFilter | null {
  if (!normalizePlaceName(value)) return bad(key === 'country' ? 'country: expects a country, like country:japan' : 'place: expects a place, like place:"san francisco"');
  return { key, text: value };
}

/** Whether a photo's place meets a place: or country: filter. */
export function placeMatches(place: PhotoPlace | null | undefined, f: PlaceFilter): boolean {
  if (!place) return false;
  if (f.key === 'country') {
    const want = normalizePlaceName(f.text);
    return [place.country, ...(place.aka ?? []), place.cc].some((n) => n && normalizePlaceName(n) === want);
  }
  const names = new Set(placeNames(place).map(([n]) => normalizePlaceName(n)));
  const parts = f.text.split(',').map(normalizePlaceName).filter(Boolean);
  return parts.length > 0 && parts.every((p) => names.has(p));
}

/** The photos a word or phrase names as a place, as query hits; null when it names none here. */
export function placeWordHits(places: PlaceIndex, term: string): QueryWordHits | null {
  const entry = places.named(term);
  const size = entry?.size ?? 0;
  if (!entry || size === 0) return null;
  return {
    size,
    ids: () => entry.ids(),
    has: (id) => entry.has(id),
    score: () => PLACE_SCORE,
    why: (id) => {
      const p = places.get(id);
      return p ? placeText(p) : entry.text;
    },
  };
}

export type PlaceSource = (prefix: string) => { text: string; kind: 'city' | 'region' | 'country'; count: number }[];

/**
 * Place suggestions for the token being typed: null when its key is not about places. Picking one writes the
 * name as a plain word or phrase (or after its key), which finds every photo taken there.
 */
export function placeSuggestions(
  key: string | null,
  text: string,
  head: string,
  places: PlaceSource,
  quote: (s: string) => string,
): { kind: 'place'; text: string; count: number; query: string }[] | null {
  const placeKey = key === null ? null : ((PLACE_FILTER_KEYS as readonly string[]).includes(key) ? key : (PLACE_KEY_ALIASES as Record<string, string>)[key]);
  if (key !== null && !placeKey) return null;
  if (!text) return [];
  // "new y": the bare words before the token may begin the name, and are then replaced with it.
  if (key === null) {
    const before = /(?:^|\s)((?:[^\s"():-][^\s"():]*\s+){1,3})$/u.exec(head);
    const words = before ? before[1].trim().split(/\s+/) : [];
    for (let k = words.length; k >= 1; k--) {
      const phrase = `${words.slice(-k).join(' ')} ${text}`;
      const start = normalizePlaceName(phrase);
      const found = places(phrase).filter((p) => p.count > 0 && normalizePlaceName(p.text).startsWith(start));
      if (!found.length) continue;
      const rest = head.slice(0, head.length - before![1].length) + words.slice(0, words.length - k).map((w) => `${w} `).join('');
      return found.map((p) => ({ kind: 'place' as const, text: p.text, count: p.count, query: `${rest}${quote(p.text)} ` }));
    }
  }
  return places(text)
    .filter((p) => p.count > 0 && (placeKey !== 'country' || p.kind === 'country'))
    .map((p) => ({ kind: 'place' as const, text: p.text, count: p.count, query: `${head}${placeKey ? `${placeKey}:` : ''}${quote(p.text)} ` }));
}
