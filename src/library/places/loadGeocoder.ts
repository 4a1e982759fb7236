import { Geocoder } from './geocoder';
import { decodePlaces } from './placeData';

/**
 * The app's geocoder: the place file from the app's own origin (precached by the service worker) and the
 * country borders of country-coder, a chunk of its own loaded only now. No request leaves the origin.
 */
export async function loadGeocoder(url: string): Promise<Geocoder> {
  const [buffer, borders] = await Promise.all([
    fetch(url).then((r) => {
      if (!r.ok) throw new Error(`the place names are not installed (${r.status}; run npm run places)`);
      return r.arrayBuffer();
    }),
    import('@rapideditor/country-coder'),
  ]);
  return new Geocoder(decodePlaces(buffer), (lon, lat) => borders.iso1A2Code([lon, lat], { level: 'territory' }));
}
