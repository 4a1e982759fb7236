import { normalizeWords } from '../search/words';
/**
 * A photo's place, resolved offline from its GPS (geocoder.ts) and stored with its record (schema 3).
 * Every name null is "unknown place" (mid-ocean): resolved, so it is not tried again.
 */
export interface PhotoPlace {
  /** The city or town a person would name ("Paris", not one of its suburbs), or null beyond 50 km of any. */
  city: string | null;
  /** Admin-1 region ("Île-de-France", "California"), when GeoNames names one. */
  region: string | null;
  country: string | null;
  /** ISO 3166-1 alpha-2, upper case. */
  cc: string | null;
  /** Other names of the country a person types ("USA", "Great Britain"); absent when none. */
  aka?: string[];
  /** The place data's version (PLACES_DATA_VERSION): records resolved with another are resolved again. */
  v: number;
}

export type PlaceKind = 'city' | 'region' | 'country';

/** Lower case, no accents, words joined by one space: "Île-de-France" → "ile de france" (the search index's words). */
export function normalizePlaceName(text: string): string {
  return normalizeWords(text).join(' ');
}

/** "Paris, Île-de-France, France"; "unknown place" when nothing is known. */
export function placeText(p: PhotoPlace): string {
  return [p.city, p.region, p.country].filter((s, i, all) => s && all.indexOf(s) === i).join(', ') || 'unknown place';
}

/** Each name a photo's place is found by, with its kind: city, region, country and the country's aliases. */
export function placeNames(p: PhotoPlace): [name: string, kind: PlaceKind][] {
  const out: [string, PlaceKind][] = [];
  if (p.city) out.push([p.city, 'city']);
  if (p.region) out.push([p.region, 'region']);
  if (p.country) out.push([p.country, 'country']);
  for (const a of p.aka ?? []) out.push([a, 'country']);
  return out;
}

/** An imported place is kept only if it has this shape; otherwise the photo's GPS is named again after import. */
export function isPhotoPlace(x: unknown): x is PhotoPlace {
  if (!x || typeof x !== 'object') return false;
  const p = x as Record<string, unknown>;
  const name = (v: unknown) => v === null || typeof v === 'string';
  return name(p.city) && name(p.region) && name(p.country) && name(p.cc) && typeof p.v === 'number'
    && (p.aka === undefined || (Array.isArray(p.aka) && p.aka.every((a) => typeof a === 'string')));
}
