#!/usr/bin/env node
// `npm run bench:places [-- --lookups N]`: the cost of naming a photo's place and the size of the place data.
// Loads the app's own geocoder modules (through Vite, as TypeScript) in Node, on the file the app serves.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { iso1A2Code } from '@rapideditor/country-coder';
import { buildPlaces, PLACES_FILE } from './build-places.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const lookups = Number(arg('lookups', 20000));

const vite = await createServer({ root, logLevel: 'error', server: { middlewareMode: true, hmr: false }, appType: 'custom' });
try {
  const { decodePlaces } = await vite.ssrLoadModule('/src/library/places/placeData.ts');
  const { Geocoder } = await vite.ssrLoadModule('/src/library/places/geocoder.ts');
  const bytes = existsSync(PLACES_FILE) ? readFileSync(PLACES_FILE) : buildPlaces();
  const t0 = performance.now();
  const data = decodePlaces(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const geocoder = new Geocoder(data, (lon, lat) => iso1A2Code([lon, lat], { level: 'territory' }));
  const loadMs = performance.now() - t0;

  // Photos are taken where people are: positions within ~10 km of towns, bigger towns more often; and anywhere.
  let seed = 1;
  const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const nearTowns = [];
  while (nearTowns.length < lookups) {
    const i = Math.floor(rand() * data.count);
    if (rand() * 1e5 > data.population[i]) continue;
    nearTowns.push([data.lat[i] / 1e5 + (rand() - 0.5) * 0.2, data.lon[i] / 1e5 + (rand() - 0.5) * 0.2]);
  }
  const anywhere = Array.from({ length: lookups }, () => [Math.asin(rand() * 2 - 1) * (180 / Math.PI), rand() * 360 - 180]);
  const time = (points) => {
    for (const [lat, lon] of points.slice(0, 1000)) geocoder.lookup(lat, lon); // warm-up
    const each = points.map(([lat, lon]) => {
      const t = performance.now();
      geocoder.lookup(lat, lon);
      return performance.now() - t;
    });
    each.sort((a, b) => a - b);
    const q = (p) => +each[Math.min(each.length - 1, Math.floor(p * each.length))].toFixed(4);
    return { meanMs: +(each.reduce((a, b) => a + b, 0) / each.length).toFixed(4), p50Ms: q(0.5), p95Ms: q(0.95), maxMs: q(1) };
  };
  const coder = readFileSync(join(root, 'node_modules/@rapideditor/country-coder/dist/country-coder.mjs'));
  const result = {
    cities: data.count,
    loadMs: Math.round(loadMs),
    lookups,
    nearTowns: time(nearTowns),
    anywhere: time(anywhere),
    placeFile: {
      bytes: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    },
    countryBordersChunk: { bytes: coder.length, gzip: gzipSync(coder, { level: 9 }).length },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await vite.close();
}
