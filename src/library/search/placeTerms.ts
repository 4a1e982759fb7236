/**
 * Places in the query language: plain words and phrases find photos by city, region or country ("paris",
 * "new york", "france"), `place:` finds only places (`place:"paris, france"`: every comma part must name the
 * photo's place) and `country:` only countries (by name, alias or ISO code). Kept apart from syntax.ts,
 * evaluation.ts and libraryQuery.ts, which call in through a few marked hooks.
 */
import { normalizePlaceName, placeNames, placeText, type PhotoPlace } from '../places/place';
import type { PlaceIndex } from '../places/placeIndex';
import type { QueryWordHit, QueryWordHits, WordAnswer } from './queryParser';

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

/** A word's answer as the evaluator takes it: its hits, as a map or as packed hits. */
function asHits(hits: WordAnswer['hits']): QueryWordHits {
  if (!(hits instanceof Map)) return hits as QueryWordHits;
  const map = hits as ReadonlyMap<number, QueryWordHit>;
  return { size: map.size, ids: () => map.keys(), has: (id) => map.has(id), score: (id) => map.get(id)?.score ?? 0, why: (id) => map.get(id)?.why ?? '' };
}

/**
 * A word's other answer (labels, people words) and its place hits as one (either may be null): "china" is a
 * cabinet and a country. A place named whole beats a reading of the word as something else (a completion).
 */
export function withPlaceAnswer(answer: WordAnswer | null, places: QueryWordHits | null): WordAnswer | null {
  if (!places) return answer;
  if (!answer || answer.note || answer.hits.size === 0) return { hits: places };
  const labels = asHits(answer.hits);
  const all = new Set([...labels.ids(), ...places.ids()]);
  return {
    hits: {
      size: all.size,
      ids: () => all,
      has: (id) => all.has(id),
      score: (id) => Math.max(labels.has(id) ? labels.score(id) : 0, places.has(id) ? places.score(id) : 0),
      why: (id) => [labels.has(id) ? labels.why(id) : '', places.has(id) ? places.why(id) : ''].filter(Boolean).join(' · '),
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
