import type { Box } from '../engine/types';
import type { Library } from './library.svelte';
import { readThumb } from '../library/store/db';

/** Share of the face box's longer side shown around it: a little hair and chin, like a passport photo. */
const CONTEXT = 1.45;
const MAX_CACHED = 600;
const cache = new Map<string, Promise<ImageBitmap | null>>();

/** Draws the square around `box` (in `photoWidth` pixels) from `source` onto a new size × size bitmap. */
export function cropFace(source: ImageBitmap, photoWidth: number, box: Box, size: number): ImageBitmap {
  const [x, y, w, h] = box;
  const side = Math.max(w, h) * CONTEXT;
  const k = source.width / photoWidth;
  const c = new OffscreenCanvas(size, size);
  c.getContext('2d')!.drawImage(source, (x + w / 2 - side / 2) * k, (y + h / 2 - side / 2) * k, side * k, side * k, 0, 0, size, size);
  return c.transferToImageBitmap();
}

/**
 * A face's crop, size × size: from the stored thumbnail, or from the original file when the thumbnail holds
 * too few pixels of a small face (and the folder is still readable). Cached by face id; faces never change.
 */
export function faceCrop(lib: Library, face: { id: number; photoId: number; box: Box }, size: number): Promise<ImageBitmap | null> {
  const key = `${face.id}:${size}`;
  let crop = cache.get(key);
  if (!crop) {
    crop = makeCrop(lib, face, size).catch(() => null);
    cache.set(key, crop);
    if (cache.size > MAX_CACHED) {
      const [oldest, old] = cache.entries().next().value!;
      cache.delete(oldest);
      old.then((b) => b?.close());
    }
  }
  return crop;
}

async function makeCrop(lib: Library, face: { photoId: number; box: Box }, size: number): Promise<ImageBitmap | null> {
  const photo = lib.search?.get(face.photoId);
  if (!photo) return null;
  const tx = lib.db?.transaction(['thumbs', 'photos']);
  const thumb = tx && (await readThumb({ thumbs: tx.objectStore('thumbs'), photos: tx.objectStore('photos') }, face.photoId));
  let source = thumb ? await createImageBitmap(thumb) : null;
  const side = Math.max(face.box[2], face.box[3]) * CONTEXT;
  // Thumbnails are 256 px: a small face in a big photo is a handful of pixels there.
  if (!source || (side * source.width) / photo.width < size * 0.75) {
    const file = await lib.originalFile(photo.path);
    if (file) {
      const original = await createImageBitmap(file).catch(() => null);
      if (original) {
        source?.close();
        source = original;
      }
    }
  }
  if (!source) return null;
  const out = cropFace(source, photo.width, face.box, size);
  source.close();
  return out;
}
