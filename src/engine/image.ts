/** Decoding and resizing with OffscreenCanvas; runs in a worker or a page, never touches the DOM. */

export type Pixels = ImageData;

/** What a file really is, from its first bytes; extensions lie. */
export type SniffedFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'heic' | 'svg' | 'tiff' | 'unknown';

export function sniffFormat(head: Uint8Array): SniffedFormat {
  const b = head;
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)) return 'tiff';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (/^avi[fs]$/.test(brand)) return 'avif';
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) return 'heic';
  }
  const text = new TextDecoder().decode(b.subarray(0, 256)).trimStart().toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg'))) return 'svg';
  return 'unknown';
}

/**
 * True when a JPEG ends before its end-of-image marker: a half-copied or half-downloaded file. Segments are
 * walked by their lengths up to the scan, so an EXIF thumbnail's own end marker does not count.
 */
export function jpegIsCutShort(b: Uint8Array): boolean {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return false;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xda) break;
    at += 2 + ((b[at + 2] << 8) | b[at + 3]);
  }
  if (at + 4 > b.length) return true;
  // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so FF D9 is the real end.
  for (let i = at; i + 1 < b.length; i++) if (b[i] === 0xff && b[i + 1] === 0xd9) return false;
  return true;
}

/** A user-facing reason a file cannot be indexed. */
export class UnreadableImage extends Error {
  override name = 'UnreadableImage';
}

const MAX_DECODE_PIXELS = 4096 * 4096;

/** Decodes with EXIF orientation applied; huge images are decoded downscaled so a 50 MP photo fits in memory. */
export async function decode(blob: Blob): Promise<{ bitmap: ImageBitmap; width: number; height: number; format: SniffedFormat }> {
  if (blob.size === 0) throw new UnreadableImage('empty file');
  const format = sniffFormat(new Uint8Array(await blob.slice(0, 512).arrayBuffer()));
  if (format === 'heic') throw new UnreadableImage('HEIC not supported by this browser');
  if (format === 'svg') throw new UnreadableImage('SVG drawings are not indexed');
  if (format === 'tiff') throw new UnreadableImage('TIFF not supported by this browser');
  if (format === 'unknown') throw new UnreadableImage('not an image');
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    if (bitmap.width * bitmap.height > MAX_DECODE_PIXELS) {
      const scale = Math.sqrt(MAX_DECODE_PIXELS / (bitmap.width * bitmap.height));
      const [w, h] = [Math.round(bitmap.width * scale), Math.round(bitmap.height * scale)];
      const full = { width: bitmap.width, height: bitmap.height };
      bitmap.close();
      bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
      return { bitmap, ...full, format };
    }
  } catch {
    const name = format === 'jpeg' ? 'JPEG' : format.toUpperCase();
    const cut = format === 'jpeg' && jpegIsCutShort(new Uint8Array(await blob.arrayBuffer()));
    throw new UnreadableImage(cut ? `corrupt ${name} (truncated: the file is cut short)` : `corrupt ${name}`);
  }
  if (bitmap.width < 2 || bitmap.height < 2) {
    // close() zeroes the size, so read it first.
    const size = `${bitmap.width}×${bitmap.height} px`;
    bitmap.close();
    throw new UnreadableImage(`too small (${size})`);
  }
  return { bitmap, width: bitmap.width, height: bitmap.height, format };
}

function canvas2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2D is not available');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return ctx;
}

/** Scale so the longest side is at most maxSide (never upscales). */
export function fitScale(width: number, height: number, maxSide: number): number {
  return Math.min(1, maxSide / Math.max(width, height));
}

/** The bitmap scaled so its longest side is at most maxSide. */
export function toPixels(bitmap: ImageBitmap, maxSide: number): Pixels {
  const s = fitScale(bitmap.width, bitmap.height, maxSide);
  const w = Math.max(1, Math.round(bitmap.width * s));
  const h = Math.max(1, Math.round(bitmap.height * s));
  const ctx = canvas2d(w, h);
  ctx.drawImage(bitmap, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

/** The whole bitmap stretched to width×height (the text detector's copy: sides multiples of 32). */
export function toSize(bitmap: ImageBitmap, width: number, height: number): Pixels {
  const ctx = canvas2d(width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}

/** The whole bitmap squeezed to size×size, as the classifier was trained (no crop, so nothing at the edges is lost). */
export function toSquare(bitmap: ImageBitmap, size: number): Pixels {
  const ctx = canvas2d(size, size);
  ctx.drawImage(bitmap, 0, 0, size, size);
  return ctx.getImageData(0, 0, size, size);
}

export async function thumbnail(bitmap: ImageBitmap, maxSide = 256): Promise<Blob> {
  const s = fitScale(bitmap.width, bitmap.height, maxSide);
  const w = Math.max(1, Math.round(bitmap.width * s));
  const h = Math.max(1, Math.round(bitmap.height * s));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, w, h);
  return canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
}
