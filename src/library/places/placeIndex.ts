import { normalizePlaceName, placeNames, type PhotoPlace, type PlaceKind } from './place';

export interface PlaceEntry {
  /** As first seen: "Paris", "Île-de-France", "France". */
  text: string;
  kind: PlaceKind;
  /** Photo ids. */
  photos: Set<number>;
}

/** A city of the Places page, with the photos there. */
export interface PlaceCity {
  city: string;
  region: string | null;
  photos: number[];
}

/** A country of the Places page; `photos` includes those with no town near them (country only). */
export interface PlaceCountryGroup {
  country: string;
  cc: string | null;
  photos: number[];
  cities: PlaceCity[];
}

/**
 * Photos by place name, kept in step with the search index (which calls add/remove as photos come and go).
 * A name is found whole ("paris", "new york", "ile de france"), never by a prefix: "cat" is not Catania.
 */
export class PlaceIndex {
  private readonly byName = new Map<string, PlaceEntry>();
  private readonly byPhoto = new Map<number, PhotoPlace>();
  private longestName = 0;
  /** Bumped on every change. */
  version = 0;

  add(id: number, place: PhotoPlace | undefined | null): void {
    if (!place) return;
    this.byPhoto.set(id, place);
    for (const [name, kind] of placeNames(place)) {
      const key = normalizePlaceName(name);
      if (!key) continue;
      let entry = this.byName.get(key);
      if (!entry) {
        this.byName.set(key, (entry = { text: name, kind, photos: new Set() }));
        this.longestName = Math.max(this.longestName, key.split(' ').length);
      }
      entry.photos.add(id);
    }
    this.version++;
  }

  remove(id: number): void {
    const place = this.byPhoto.get(id);
    if (!place) return;
    this.byPhoto.delete(id);
    for (const [name] of placeNames(place)) {
      const key = normalizePlaceName(name);
      const entry = this.byName.get(key);
      entry?.photos.delete(id);
      if (entry?.photos.size === 0) this.byName.delete(key);
    }
    this.version++;
  }

  get(id: number): PhotoPlace | undefined {
    return this.byPhoto.get(id);
  }

  /** Photos whose city, region or country is called this (any case, accents optional). */
  named(text: string): PlaceEntry | undefined {
    return this.byName.get(normalizePlaceName(text));
  }

  /** Most words in a place name here: how far the query evaluator looks to join bare words ("new york"). */
  get maxWords(): number {
    return this.longestName;
  }

  /** Names that start with the typed text (or have a word that does), most photos first. */
  suggest(prefix: string, limit = 8): PlaceEntry[] {
    const p = normalizePlaceName(prefix);
    if (!p) return [];
    const out: PlaceEntry[] = [];
    for (const [key, entry] of this.byName) if (key.startsWith(p) || key.includes(` ${p}`)) out.push(entry);
    return out.sort((a, b) => b.photos.size - a.photos.size || a.text.localeCompare(b.text)).slice(0, limit);
  }

  /** Countries and their cities, most photos first; photos in `order` order (newest first), so [0] is a cover. */
  countries(order: readonly number[]): PlaceCountryGroup[] {
    const groups = new Map<string, PlaceCountryGroup & { cityMap: Map<string, PlaceCity> }>();
    for (const id of order) {
      const p = this.byPhoto.get(id);
      if (!p?.country) continue;
      let g = groups.get(p.country);
      if (!g) groups.set(p.country, (g = { country: p.country, cc: p.cc, photos: [], cities: [], cityMap: new Map() }));
      g.photos.push(id);
      if (!p.city) continue;
      const key = `${p.city}\u0000${p.region ?? ''}`;
      let c = g.cityMap.get(key);
      if (!c) g.cityMap.set(key, (c = { city: p.city, region: p.region, photos: [] }));
      c.photos.push(id);
    }
    const bySize = <T extends { photos: number[] }>(a: T, b: T) => b.photos.length - a.photos.length;
    return [...groups.values()]
      .map(({ cityMap, ...g }) => ({ ...g, cities: [...cityMap.values()].sort((a, b) => bySize(a, b) || a.city.localeCompare(b.city)) }))
      .sort((a, b) => bySize(a, b) || a.country.localeCompare(b.country));
  }
}
