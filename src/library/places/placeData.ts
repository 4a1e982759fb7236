/** Reads public/places/places.bin (written by scripts/build-places.mjs; the layout is described there). */

export interface PlaceCountry {
  code: string;
  name: string;
  aliases: string[];
}

export interface PlaceData {
  version: number;
  count: number;
  /** Degrees × 1e5. */
  lat: Int32Array;
  lon: Int32Array;
  population: Uint32Array;
  /** Index into `countries`. */
  country: Uint16Array;
  /** Index into `regions`, NO_REGION when none. */
  region: Uint16Array;
  names: string[];
  countries: PlaceCountry[];
  regions: string[];
}

export const NO_REGION = 0xffff;

export function decodePlaces(buffer: ArrayBuffer): PlaceData {
  const bytes = new Uint8Array(buffer);
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== 'SBPL') throw new Error('not a Shoebox places file');
  const headerBytes = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes))) as {
    version: number;
    count: number;
    namesBytes: number;
    countries: PlaceCountry[];
    regions: string[];
  };
  const n = header.count;
  const pad4 = (x: number) => (x + 3) & ~3;
  const at = pad4(8 + headerBytes);
  const namesAt = at + n * 12 + pad4(n * 4);
  return {
    version: header.version,
    count: n,
    lat: new Int32Array(buffer, at, n),
    lon: new Int32Array(buffer, at + n * 4, n),
    population: new Uint32Array(buffer, at + n * 8, n),
    country: new Uint16Array(buffer, at + n * 12, n),
    region: new Uint16Array(buffer, at + n * 14, n),
    names: new TextDecoder().decode(bytes.subarray(namesAt, namesAt + header.namesBytes)).split('\n'),
    countries: header.countries,
    regions: header.regions,
  };
}
