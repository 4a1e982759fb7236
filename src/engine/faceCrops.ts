import * as tf from '@tensorflow/tfjs';

/** ImageData, or anything laid out like it. */
export interface RgbaPixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A region clipped to the image and floored, as face-api's `extractFaceTensors` cuts it; never empty, so
 * crops stay in step with the faces they belong to.
 */
export function clipBox(box: CropBox, width: number, height: number): CropBox {
  const x = Math.max(box.x, 0);
  const y = Math.max(box.y, 0);
  const w = Math.min(box.x + box.width - x, width - x);
  const h = Math.min(box.y + box.height - y, height - y);
  const fx = Math.min(Math.floor(x), width - 1);
  const fy = Math.min(Math.floor(y), height - 1);
  return { x: fx, y: fy, width: Math.max(1, Math.min(Math.floor(w), width - fx)), height: Math.max(1, Math.min(Math.floor(h), height - fy)) };
}

export interface Crop {
  tensor: tf.Tensor3D;
  /** Where the crop's top-left pixel lies in the image (negative where padding comes first). */
  x: number;
  y: number;
}

/**
 * int32 H×W×3 tensors of image regions, cut straight from the decoded RGBA pixels: the same values as
 * `tf.slice` on `tf.browser.fromPixels`, but tfjs-wasm's Slice first copies its whole input out of the WASM
 * heap (13 MB for a 1280 px photo) for every face.
 *
 * `square` pads the short side with zeros as face-api's `padToSquare` would inside the net ('center': split
 * as face-api does, 'end': all after), so the nets skip that step: tfjs-wasm's Concat is slow on small rows.
 */
export function cropFaces(pixels: RgbaPixels, boxes: CropBox[], square?: 'center' | 'end'): Crop[] {
  const { data, width, height } = pixels;
  return boxes.map((box) => {
    const { x, y, width: w, height: h } = clipBox(box, width, height);
    const side = square ? Math.max(w, h) : 0;
    const diff = Math.abs(w - h);
    const before = square === 'center' ? diff - Math.round(diff * 0.5) : 0;
    const [cw, ch] = square ? [side, side] : [w, h];
    const [left, top] = w < h ? [before, 0] : [0, before];
    const out = new Int32Array(cw * ch * 3);
    for (let row = 0; row < h; row++) {
      let i = ((y + row) * width + x) * 4;
      let o = ((top + row) * cw + left) * 3;
      for (let col = 0; col < w; col++, i += 4) {
        out[o++] = data[i];
        out[o++] = data[i + 1];
        out[o++] = data[i + 2];
      }
    }
    return { tensor: tf.tensor3d(out, [ch, cw, 3], 'int32'), x: x - left, y: y - top };
  });
}
