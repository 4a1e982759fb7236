import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** RGBA pixels of one of ../shared's 24-bit bottom-up BMPs: real photos without an image decoder. */
export function readBmp(file: string): { data: Uint8ClampedArray; width: number; height: number } {
  const b = readFileSync(join(import.meta.dirname, '../photos/shared', file));
  if (b.readUInt16LE(28) !== 24) throw new Error(`${file}: not a 24-bit BMP`);
  const offset = b.readUInt32LE(10);
  const width = b.readInt32LE(18);
  const height = b.readInt32LE(22);
  const stride = Math.ceil((width * 3) / 4) * 4;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      data[o] = b[row + x * 3 + 2];
      data[o + 1] = b[row + x * 3 + 1];
      data[o + 2] = b[row + x * 3];
      data[o + 3] = 255;
    }
  }
  return { data, width, height };
}

/** The int32 H×W×3 tensor values `tf.browser.fromPixels` makes of those pixels. */
export function rgbOf(px: { data: Uint8ClampedArray; width: number; height: number }): Int32Array {
  const rgb = new Int32Array(px.width * px.height * 3);
  for (let i = 0, o = 0; i < px.data.length; i += 4) {
    rgb[o++] = px.data[i];
    rgb[o++] = px.data[i + 1];
    rgb[o++] = px.data[i + 2];
  }
  return rgb;
}
