import * as tf from '@tensorflow/tfjs';
import type { FaceDetection } from './faceApi';
import * as tinyFaceDetector from './tinyFaceDetector';

/**
 * A second opinion on an SSD detection from a different detector (TinyFaceDetector) run on a padded crop:
 * SSD takes some animal faces for human ones, and two unrelated detectors rarely make the same mistake.
 */
export const load = tinyFaceDetector.load;

/** The best TinyFaceDetector score inside a padded crop around each detection (0 when it sees no face). */
export async function run(image: tf.Tensor3D, faces: FaceDetection[], inputSize = 128): Promise<number[]> {
  const [h, w] = image.shape;
  const scores: number[] = [];
  for (const f of faces) {
    const pad = 0.35;
    const x0 = Math.max(0, Math.floor(f.box.x - f.box.width * pad));
    const y0 = Math.max(0, Math.floor(f.box.y - f.box.height * pad));
    const x1 = Math.min(w, Math.ceil(f.box.x + f.box.width * (1 + pad)));
    const y1 = Math.min(h, Math.ceil(f.box.y + f.box.height * (1 + pad)));
    const crop = tf.slice(image, [y0, x0, 0], [y1 - y0, x1 - x0, 3]);
    try {
      const found = await tinyFaceDetector.run(crop, { inputSize, minScore: 0.1 });
      scores.push(Math.max(0, ...found.map((d) => d.score)));
    } finally {
      crop.dispose();
    }
  }
  return scores;
}
