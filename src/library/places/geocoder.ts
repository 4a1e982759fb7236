import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import { NO_REGION, type PlaceData } from './placeData';
import type { PhotoPlace } from './place';

/** A photo further than this from every town is named by its country only. */
export const PLACE_RADIUS_KM = 50;
/**
 * A city's built-up radius, taken to grow with the square root of its people (constant density): 14 km for
 * Tokyo's 8.3M, 7 km for Paris's 2.1M, 1.6 km for a town of 100k. A photo inside the footprint of a larger city
 * is in that city ("Paris" for a suburb 4 km from its centre), else in the nearest town.
 */
export const FOOTPRINT_KM_PER_SQRT_PEOPLE = 0.005;
/** Towns of this many people or more have an index of their own, searched out to the largest one's reach. */
const BIG_TOWN = 50_000;
/** Towns looked at around a point; more when none of them is in the point's country (near a border). */
const NEAREST = 64;
const NEAREST_AT_BORDER = 4096;

/** ISO 3166-1 alpha-2 of the country (or territory) a point lies in, its waters included; null at high sea. */
export type CountryAt = (lon: number, lat: number) => string | null;

export class Geocoder {
  private readonly index: KDBush;
  private readonly big: KDBush;
  /** big's ids → data rows. */
  private readonly bigIds: Uint32Array;
  private readonly countryIndex: Map<string, number>;
  /** Cities further than this cannot cover a point with their footprint. */
  private readonly maxFootprintKm: number;

  constructor(
    private readonly data: PlaceData,
    private readonly countryAt: CountryAt,
  ) {
    const index = new KDBush(data.count);
    const bigIds: number[] = [];
    let maxPeople = 0;
    for (let i = 0; i < data.count; i++) {
      index.add(data.lon[i] / 1e5, data.lat[i] / 1e5);
      if (data.population[i] >= BIG_TOWN) bigIds.push(i);
      if (data.population[i] > maxPeople) maxPeople = data.population[i];
    }
    this.index = index.finish();
    this.bigIds = Uint32Array.from(bigIds);
    const big = new KDBush(bigIds.length);
    for (const i of bigIds) big.add(data.lon[i] / 1e5, data.lat[i] / 1e5);
    this.big = big.finish();
    this.countryIndex = new Map(data.countries.map((c, i) => [c.code, i]));
    this.maxFootprintKm = Math.min(PLACE_RADIUS_KM, FOOTPRINT_KM_PER_SQRT_PEOPLE * Math.sqrt(maxPeople));
  }

  get version(): number {
    return this.data.version;
  }

  /** The place of a point (degrees); an impossible point is an unknown place. */
  lookup(lat: number, lon: number): PhotoPlace {
    const unknown: PhotoPlace = { city: null, region: null, country: null, cc: null, v: this.data.version };
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90) return unknown;
    lon = ((((lon + 180) % 360) + 360) % 360) - 180;
    const { data } = this;
    const code = this.countryAt(lon, lat);
    const country = code === null ? undefined : this.countryIndex.get(code);
    // Inside a known country only its own towns count: across a border the nearest town is the wrong country.
    // (Filtered here, not by geokdbush's predicate: with one, a search stops at the radius only once a passing
    // point lies beyond it, so a country with few towns walked the whole tree.)
    const ours = (i: number) => country === undefined || data.country[i] === country;
    const near = around(this.index, lon, lat, NEAREST, PLACE_RADIUS_KM);
    let nearest = near.find(ours) ?? -1;
    if (nearest < 0 && near.length === NEAREST) nearest = around(this.index, lon, lat, NEAREST_AT_BORDER, PLACE_RADIUS_KM).find(ours) ?? -1;
    // A smaller town reaches 1.1 km at most (0.005 × √50,000): only the nearest towns and the big ones can cover the point.
    let best = -1;
    const check = (i: number) => {
      if (!ours(i) || (best >= 0 && data.population[i] <= data.population[best])) return;
      if (distance(lon, lat, data.lon[i] / 1e5, data.lat[i] / 1e5) <= FOOTPRINT_KM_PER_SQRT_PEOPLE * Math.sqrt(data.population[i])) best = i;
    };
    for (const i of near) check(i);
    if (this.bigIds.length) for (const j of around(this.big, lon, lat, Infinity, this.maxFootprintKm)) check(this.bigIds[j]);
    if (best < 0) best = nearest;
    if (best >= 0) {
      const c = data.countries[data.country[best]];
      const region = data.region[best] === NO_REGION ? null : data.regions[data.region[best]];
      return this.named({ city: data.names[best], region, country: c.name, cc: c.code, v: data.version }, c.aliases);
    }
    if (country === undefined) return unknown;
    const c = data.countries[country];
    return this.named({ ...unknown, country: c.name, cc: c.code }, c.aliases);
  }

  private named(place: PhotoPlace, aliases: string[]): PhotoPlace {
    if (aliases.length) place.aka = aliases;
    return place;
  }
}
