import type { Library } from './library.svelte';
import type { Geocoder } from '../library/places/geocoder';
import type { PhotoPlace } from '../library/places/place';
import { loadGeocoder } from '../library/places/loadGeocoder';
import { photosWithoutPlace, resolvePlaces } from '../library/places/backfill';

/**
 * The app's side of Places: loads the place data when a photo needs naming (indexing, or photos with GPS and
 * no place after load) and names them. Lookups are synchronous, so the writer names new photos as it stores them.
 */
export class Places {
  error = $state<string | null>(null);
  private geocoder: Geocoder | null = null;
  private loading: Promise<Geocoder | null> | null = null;
  private filling = false;
  private again = false;

  constructor(
    private readonly lib: Library,
    private readonly url: string,
  ) {}

  /** Loads the place data once (about 0.2 s of decoding and indexing); null when it is not installed. */
  load(): Promise<Geocoder | null> {
    this.loading ??= loadGeocoder(this.url).then(
      (g) => (this.geocoder = g),
      (err) => {
        this.error = `Places are unavailable (${err instanceof Error ? err.message : String(err)}).`;
        return null;
      },
    );
    return this.loading;
  }

  /** For the writer: names a GPS position once the data is loaded (starting the load now); undefined before. */
  resolver(): (gps: [number, number]) => PhotoPlace | undefined {
    void this.load();
    return (gps) => this.geocoder?.lookup(gps[0], gps[1]);
  }

  /** Names, in an idle moment, the photos with GPS but no place (older records, or written before the data loaded). */
  fillSoon(): void {
    const search = this.lib.search;
    // A cheap look first: a library without GPS photos, or with all of them named, never fetches the data.
    if (!search || !photosWithoutPlace(search.metas(), this.geocoder?.version ?? null).length) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = true;
    const idle = globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 200));
    idle(() => void this.fill().finally(() => {
      this.filling = false;
      if (this.again) {
        this.again = false;
        this.fillSoon();
      }
    }), { timeout: 2000 });
  }

  private async fill(): Promise<void> {
    const g = await this.load();
    const db = this.lib.db;
    const search = this.lib.search;
    // An indexing run names its own photos, and calls again when it ends.
    if (!g || !db || !search || this.lib.indexing || this.lib.otherTab) return;
    const ids = photosWithoutPlace(search.metas(), g.version);
    try {
      const named = await resolvePlaces(db, ids, (gps) => g.lookup(gps[0], gps[1]), (records, generations) => this.lib.applyRewritten(records, generations));
      // For the library benchmark: a background job that rewrites records (and then the snapshots) after load.
      performance.mark('shoebox:places-filled', { detail: { photos: named } });
    } catch (err) {
      this.error = `Could not save the photos' places: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
