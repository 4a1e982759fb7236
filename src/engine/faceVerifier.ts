import * as tf from '@tensorflow/tfjs';
import { faceApi, asFaceTensors, type FaceDetection } from './faceApi';
import { cropFaces, type RgbaPixels } from './faceCrops';
import * as tinyFaceDetector from './tinyFaceDetector';

/**
 * A second opinion on an SSD detection from a different detector (TinyFaceDetector) run on a padded crop:
 * SSD takes some animal faces for human ones, and two unrelated detectors rarely make the same mistake.
 */
export const load = tinyFaceDetector.load;

// TinyFaceDetector's own floor: a crop where no cell scores above it counts as "no face" (0).
const MIN_SCORE = 0.1;
// Per cell and anchor: 4 box values, then the face score's logit.
const BOX_ENCODING = 5;

/**
 * The best TinyFaceDetector score inside a padded crop around each detection (0 when it sees no face). All
 * crops go through the net as one batch; the best score of a crop is the best cell's, which is what
 * face-api's `locateFaces` would keep after its box decoding and non-max suppression.
 */
export async function run(pixels: RgbaPixels, faces: FaceDetection[], inputSize = 128): Promise<number[]> {
  if (!faces.length) return [];
  const { width: w, height: h } = pixels;
  const pad = 0.35;
  const boxes = faces.map((f) => {
    const x0 = Math.max(0, Math.floor(f.box.x - f.box.width * pad));
    const y0 = Math.max(0, Math.floor(f.box.y - f.box.height * pad));
    const x1 = Math.min(w, Math.ceil(f.box.x + f.box.width * (1 + pad)));
    const y1 = Math.min(h, Math.ceil(f.box.y + f.box.height * (1 + pad)));
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  });
  const faceapi = faceApi();
  const crops = cropFaces(pixels, boxes, 'end');
  try {
    const input = await faceapi.toNetInput(asFaceTensors(crops.map((c) => c.tensor)));
    const best = tf.tidy(() => {
      const out = faceapi.nets.tinyFaceDetector.forwardInput(input, inputSize) as unknown as tf.Tensor4D;
      const logits = tf.slice(tf.reshape(out, [crops.length, -1, BOX_ENCODING]), [0, 0, 4], [-1, -1, 1]);
      return tf.sigmoid(tf.max(logits, [1, 2]));
    });
    const scores = Array.from(await best.data());
    best.dispose();
    return scores.map((s) => (s > MIN_SCORE ? s : 0));
  } finally {
    crops.forEach((c) => c.tensor.dispose());
  }
}
