import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { iso1A2Code } from '@rapideditor/country-coder';
import { decodePlaces } from '../../src/library/places/placeData';
import { Geocoder } from '../../src/library/places/geocoder';
// @ts-expect-error: a plain .mjs script, without types
import { buildPlaces, PLACES_FILE } from '../../scripts/build-places.mjs';

// The real place file (GeoNames cities of 1,000+ people) and the real country borders, as the app loads them.
let geocoder: Geocoder;
beforeAll(() => {
  const bytes: Buffer = existsSync(PLACES_FILE) ? readFileSync(PLACES_FILE) : buildPlaces();
  const data = decodePlaces(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
  geocoder = new Geocoder(data, (lon, lat) => iso1A2Code([lon, lat], { level: 'territory' }));
});

const at = (lat: number, lon: number) => {
  const { city, region, country, cc } = geocoder.lookup(lat, lon);
  return { city, region, country, cc };
};

describe('offline places from GPS', () => {
  it('a district or suburb of a big city is in that city', () => {
    // The Eiffel Tower, in the 7th arrondissement: Neuilly-sur-Seine (61k) is nearer than Paris's centre point.
    expect(at(48.8584, 2.2945)).toEqual({ city: 'Paris', region: 'Île-de-France', country: 'France', cc: 'FR' });
    // Tokyo Tower in Minato, and Shibuya: both Tokyo, 6 km from its centre point.
    expect(at(35.6586, 139.7454)).toMatchObject({ city: 'Tokyo', country: 'Japan' });
    expect(at(35.6595, 139.7005)).toMatchObject({ city: 'Tokyo', country: 'Japan' });
    // Brooklyn (a GeoNames place of 2.5M of its own) is New York City.
    expect(at(40.6782, -73.9442)).toMatchObject({ city: 'New York City', region: 'New York', cc: 'US' });
  });

  it('a big city next to a bigger one keeps its own name, as does a town outside a city', () => {
    expect(at(35.4437, 139.638)).toMatchObject({ city: 'Yokohama', region: 'Kanagawa' }); // 28 km from Tokyo
    expect(at(34.0195, -118.4912)).toMatchObject({ city: 'Santa Monica', region: 'California' });
    expect(at(37.7749, -122.4194)).toMatchObject({ city: 'San Francisco', region: 'California' });
  });

  it('a small remote town, and a point 30 km from the nearest town', () => {
    expect(at(78.2232, 15.6267)).toMatchObject({ city: 'Longyearbyen', cc: 'SJ' }); // about 2,000 people
    const outback = at(-23.9, 134.2); // south-east of Alice Springs, near nothing bigger
    expect(outback).toMatchObject({ region: 'Northern Territory', country: 'Australia' });
    expect(outback.city).not.toBeNull();
  });

  it('near a border: the town on the photo’s own side, even when a bigger one across is nearer its reach', () => {
    // Kehl (DE, 34k) faces Strasbourg (FR, 275k) across the Rhine; El Paso (US) faces Ciudad Juárez (MX, 1.5M).
    expect(at(48.5729, 7.8152)).toMatchObject({ city: 'Kehl', country: 'Germany' });
    expect(at(48.5839, 7.7455)).toMatchObject({ city: 'Strasbourg', country: 'France' });
    expect(at(31.7587, -106.4869)).toMatchObject({ city: 'El Paso', region: 'Texas', cc: 'US' });
    expect(at(31.72, -106.46)).toMatchObject({ city: 'Juárez', cc: 'MX' });
  });

  it('across the antimeridian: Chukotka and Fiji, Kiribati east of it', () => {
    // Egvekinot (RU) is at 179.12°W: a point at 179.99°E is 40 km from it, across the line.
    expect(at(66.32, 179.99)).toMatchObject({ city: 'Egvekinot', cc: 'RU' });
    // East of the line in Fiji's waters, 60 km from the nearest town: the country only.
    expect(at(-16.8, -179.99)).toEqual({ city: null, region: null, country: 'Fiji', cc: 'FJ' });
    expect(at(-16.8, 179.99)).toEqual({ city: null, region: null, country: 'Fiji', cc: 'FJ' });
    expect(at(1.87, -157.4)).toMatchObject({ cc: 'KI', country: 'Kiribati' });
    // Longitudes past ±180 (some writers) wrap.
    expect(at(66.32, -180.01)).toMatchObject({ city: 'Egvekinot' });
  });

  it('beyond 50 km of any town: the country when there is one, else an unknown place', () => {
    expect(at(25, 22)).toEqual({ city: null, region: null, country: 'Libya', cc: 'LY' }); // the Libyan desert
    expect(at(-90, 0)).toEqual({ city: null, region: null, country: 'Antarctica', cc: 'AQ' });
    expect(at(90, 0)).toEqual({ city: null, region: null, country: null, cc: null }); // the North Pole, at sea
    expect(at(0, 0)).toEqual({ city: null, region: null, country: null, cc: null }); // Gulf of Guinea
    expect(at(-30, -140)).toEqual({ city: null, region: null, country: null, cc: null }); // the South Pacific
  });

  it('an impossible position is an unknown place, not an error', () => {
    expect(at(NaN, 2)).toEqual({ city: null, region: null, country: null, cc: null });
    expect(at(91, 0)).toEqual({ city: null, region: null, country: null, cc: null });
  });

  it('country aliases a person types come with the place', () => {
    expect(geocoder.lookup(37.7749, -122.4194).aka).toEqual(expect.arrayContaining(['USA', 'United States']));
    expect(geocoder.lookup(48.8584, 2.2945).aka).toBeUndefined();
  });

  it('costs well under 1 ms a lookup (a spatial index, not a scan)', () => {
    const n = 5000;
    const t = performance.now();
    for (let i = 0; i < n; i++) geocoder.lookup(35 + (i % 100) * 0.2, -10 + (i % 77) * 0.5);
    // Noisy on a shared CPU; the real figure is reported by `npm run bench:places`.
    expect((performance.now() - t) / n).toBeLessThan(1);
  });
});
