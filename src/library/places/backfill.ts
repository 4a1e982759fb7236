import type { LibraryDb } from '../store/db';
import { bumpGenerations, type Generations } from '../store/generations';
import type { PhotoMeta } from '../search/searchIndex';
import type { PhotoRecord } from '../types';
import type { PhotoPlace } from './place';

/**
 * Photos with GPS whose place is missing (indexed before schema 3, or before the place data had loaded) or, when
 * `version` is given, named by other place data.
 */
export function photosWithoutPlace(metas: Iterable<PhotoMeta>, version: number | null): number[] {
  const out: number[] = [];
  for (const m of metas) if (m.gps && m.error == null && (!m.place || (version !== null && m.place.v !== version))) out.push(m.id);
  return out;
}

/**
 * Names the places of these photos, one transaction per batch: each record is read and written back in the same
 * transaction, so a concurrent indexing commit is never overwritten with an old copy. Returns after every batch
 * has committed; `onBatch` gets each batch's updated records (to update the search index) and generations.
 */
export async function resolvePlaces(
  db: LibraryDb,
  ids: readonly number[],
  place: (gps: [number, number]) => PhotoPlace,
  onBatch: (records: (PhotoRecord & { id: number })[], generations: Generations) => void,
  batch = 500,
): Promise<number> {
  let done = 0;
  for (let i = 0; i < ids.length; i += batch) {
    const tx = db.transaction(['photos', 'meta'], 'readwrite');
    const photos = tx.objectStore('photos');
    const updated: (PhotoRecord & { id: number })[] = [];
    await Promise.all(
      ids.slice(i, i + batch).map(async (id) => {
        const r = await photos.get(id);
        if (!r?.gps) return;
        const p = place(r.gps);
        if (r.place && JSON.stringify(r.place) === JSON.stringify(p)) return;
        // Written back whole: a schema-1 record keeps its own thumbnail.
        const next = { ...r, place: p, id };
        await photos.put(next);
        updated.push(next);
      }),
    );
    const generations = updated.length ? await bumpGenerations(tx.objectStore('meta'), ['photos']) : {};
    await tx.done;
    done += updated.length;
    if (updated.length) onBatch(updated, generations);
  }
  return done;
}
