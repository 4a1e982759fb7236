import { normalizePlaceName, placeNames, type PhotoPlace, type PlaceKind } from './place';

/** The photos taken at one place (same town, region and country): photos share few places. */
interface PlaceGroup {
  place: PhotoPlace;
  ids: Set<number>;
  /** Normalised names it is found by. */
  keys: string[];
}

/** A place name and the photos it finds. */
export interface PlaceEntry {
  /** As first seen: "Paris", "Île-de-France", "France". */
  text: string;
  kind: PlaceKind;
  readonly size: number;
  has(id: number): boolean;
  ids(): Iterable<number>;
}

class NameEntry implements PlaceEntry {
  readonly groups = new Set<PlaceGroup>();
  constructor(
    readonly text: string,
    readonly kind: PlaceKind,
    private readonly groupOf: Map<number, PlaceGroup>,
  ) {}
  get size(): number {
    let n = 0;
    for (const g of this.groups) n += g.ids.size;
    return n;
  }
  has(id: number): boolean {
    const g = this.groupOf.get(id);
    return !!g && this.groups.has(g);
  }
  *ids(): Iterable<number> {
    for (const g of this.groups) yield* g.ids;
  }
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

const groupKey = (p: PhotoPlace) => `${p.city}\u0000${p.region}\u0000${p.country}\u0000${p.cc}\u0000${p.v}`;

/**
 * Photos by place name, kept in step with the photo catalog (which calls add/remove as photos come and go).
 * A name is found whole ("paris", "new york", "ile de france"), never by a prefix: "cat" is not Catania.
 * Built from the photos on first use, then kept in step: a cold open lists 100k photos before the grid paints,
 * and most sessions never search a place. Photos are grouped by place, so adding one is two map operations.
 */
export class PlaceIndex {
  private built = false;

  /** `photos`: every photo's id and place, read when the index is first needed. */
  constructor(private readonly photos: () => Iterable<{ id: number; place?: PhotoPlace }>) {}

  private ensure(): void {
    if (this.built) return;
    this.built = true;
    for (const p of this.photos()) this.add(p.id, p.place);
  }

  private readonly groups = new Map<string, PlaceGroup>();
  private readonly groupOf = new Map<number, PlaceGroup>();
  private readonly byName = new Map<string, NameEntry>();

  /** Photos from a snapshot share their place objects: their group is found without making a key. */
  private readonly groupOfPlace = new WeakMap<PhotoPlace, PlaceGroup>();

  add(id: number, place: PhotoPlace | undefined | null): void {
    if (!place || !this.built) return;
    let g = this.groupOfPlace.get(place);
    if (!g) g = this.group(place);
    g.ids.add(id);
    this.groupOf.set(id, g);
  }

  private group(place: PhotoPlace): PlaceGroup {
    const key = groupKey(place);
    let g = this.groups.get(key);
    if (!g) {
      g = { place, ids: new Set(), keys: [] };
      this.groups.set(key, g);
      for (const [name, kind] of placeNames(place)) {
        const k = normalizePlaceName(name);
        if (!k || g.keys.includes(k)) continue;
        g.keys.push(k);
        let entry = this.byName.get(k);
        if (!entry) this.byName.set(k, (entry = new NameEntry(name, kind, this.groupOf)));
        entry.groups.add(g);
      }
    }
    this.groupOfPlace.set(place, g);
    return g;
  }

  remove(id: number): void {
    if (!this.built) return;
    const g = this.groupOf.get(id);
    if (!g) return;
    this.groupOf.delete(id);
    g.ids.delete(id);
    if (g.ids.size) return;
    this.groups.delete(groupKey(g.place));
    for (const k of g.keys) {
      const entry = this.byName.get(k);
      entry?.groups.delete(g);
      if (entry?.groups.size === 0) this.byName.delete(k);
    }
  }

  get(id: number): PhotoPlace | undefined {
    this.ensure();
    return this.groupOf.get(id)?.place;
  }

  /** Photos whose city, region or country is called this (any case, accents optional). */
  named(text: string): PlaceEntry | undefined {
    this.ensure();
    return this.byName.get(normalizePlaceName(text));
  }

  /** Names that start with the typed text (or have a word that does), most photos first. */
  suggest(prefix: string, limit = 8): PlaceEntry[] {
    const p = normalizePlaceName(prefix);
    if (!p) return [];
    this.ensure();
    const out: PlaceEntry[] = [];
    for (const [key, entry] of this.byName) if (key.startsWith(p) || key.includes(` ${p}`)) out.push(entry);
    return out
      .map((e) => [e, e.size] as const)
      .sort((a, b) => b[1] - a[1] || a[0].text.localeCompare(b[0].text))
      .slice(0, limit)
      .map(([e]) => e);
  }

  /** Countries and their cities, most photos first; photos in `order` order (newest first), so [0] is a cover. */
  countries(order: readonly number[]): PlaceCountryGroup[] {
    this.ensure();
    const groups = new Map<string, PlaceCountryGroup & { cityMap: Map<string, PlaceCity> }>();
    for (const id of order) {
      const p = this.groupOf.get(id)?.place;
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
