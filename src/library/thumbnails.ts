import type { LibraryDb } from './db';

/**
 * Frees the space thumbnails take (most of the library's size) and keeps everything else; the grid then
 * shows the original photos while the folder is open, and re-indexing a photo makes its thumbnail again.
 * Returns how many thumbnails were removed.
 */
export async function removeThumbnails(db: LibraryDb): Promise<number> {
  const tx = db.transaction('thumbs', 'readwrite');
  const [removed] = await Promise.all([tx.store.count(), tx.store.clear(), tx.done]);
  return removed;
}
