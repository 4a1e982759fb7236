import type { LibraryDb } from './db';

/**
 * Frees the space thumbnails take (most of the library's size) and keeps everything else; the grid then
 * shows the original photos while the folder is open, and re-indexing a photo makes its thumbnail again.
 * Returns how many thumbnails were removed.
 */
export async function removeThumbnails(db: LibraryDb): Promise<number> {
  const tx = db.transaction(['thumbs', 'photos'], 'readwrite');
  let removed = await tx.objectStore('thumbs').count();
  await tx.objectStore('thumbs').clear();
  // Records written by schema 1 hold their own.
  let cursor = await tx.objectStore('photos').openCursor();
  while (cursor) {
    if (cursor.value.thumb) {
      const { thumb: _, ...rest } = cursor.value;
      await cursor.update(rest);
      removed++;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return removed;
}
