import * as tf from '@tensorflow/tfjs';
import { faceApi, asFaceInput, type FaceDetection } from './faceApi';

/**
 * A second opinion on an SSD detection from a different detector (TinyFaceDetector, a YOLOv2-style net):
 * SSD takes some animal faces for human ones, and two unrelated detectors rarely make the same mistake.
 */
let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.tinyFaceDetector.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** The best TinyFaceDetector score inside a padded crop around each detection (0 when it sees no face). */
export async function run(image: tf.Tensor3D, faces: FaceDetection[], inputSize = 160): Promise<number[]> {
  const faceapi = faceApi();
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
      const found = await faceapi.nets.tinyFaceDetector.locateFaces(asFaceInput(crop), new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.1 }));
      scores.push(Math.max(0, ...found.map((d) => d.score)));
    } finally {
      crop.dispose();
    }
  }
  return scores;
}
