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

/** ISO 3166-1 alpha-2 of the country (or territory) a point lies in, its waters included; null at high sea. */
export type CountryAt = (lon: number, lat: number) => string | null;

export class Geocoder {
  private readonly index: KDBush;
  private readonly countryIndex: Map<string, number>;
  /** Cities further than this cannot cover a point with their footprint. */
  private readonly maxFootprintKm: number;

  constructor(
    private readonly data: PlaceData,
    private readonly countryAt: CountryAt,
  ) {
    const index = new KDBush(data.count);
    let maxPeople = 0;
    for (let i = 0; i < data.count; i++) {
      index.add(data.lon[i] / 1e5, data.lat[i] / 1e5);
      if (data.population[i] > maxPeople) maxPeople = data.population[i];
    }
    this.index = index.finish();
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
    const sameCountry = country === undefined ? undefined : (i: number) => data.country[i] === country;
    const near = around(this.index, lon, lat, Infinity, this.maxFootprintKm, sameCountry);
    let best = -1;
    for (const i of near) {
      const people = data.population[i];
      if (best >= 0 && people <= data.population[best]) continue;
      const d = distance(lon, lat, data.lon[i] / 1e5, data.lat[i] / 1e5);
      if (d <= FOOTPRINT_KM_PER_SQRT_PEOPLE * Math.sqrt(people)) best = i;
    }
    if (best < 0) best = near.length ? near[0] : (around(this.index, lon, lat, 1, PLACE_RADIUS_KM, sameCountry)[0] ?? -1);
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
