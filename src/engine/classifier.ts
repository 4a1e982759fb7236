import * as tf from '@tensorflow/tfjs';
import { loadTFLite, type TFLiteModel } from './tflite';
import type { Pixels } from './image';
import type { LabelScore } from './types';

/** MobileNetV2 1.0 224, uint8-quantised, 1001 classes (0 = background). */
export const CLASSIFIER_FILE = 'mobilenet_v2_1.0_224_quant.tflite';
export const INPUT_SIZE = 224;
// The output tensor is uint8 with scale 1/256 and zero point 0 (from the model's quantisation params).
const OUTPUT_SCALE = 1 / 256;

let model: TFLiteModel | null = null;
let loading: Promise<TFLiteModel> | null = null;

export function load(modelsUrl: string, wasmPath: string, numThreads = 1): Promise<TFLiteModel> {
  loading ??= loadTFLite(`${modelsUrl}/imagenet/${CLASSIFIER_FILE}`, wasmPath, numThreads).then((m) => (model = m));
  loading.catch(() => (loading = null));
  return loading;
}

export function isLoaded(): boolean {
  return model !== null;
}

/** Top-k ImageNet labels for a 224×224 RGBA image; background (class 0) is never returned. */
export function run(pixels: Pixels, k = 10): LabelScore[] {
  if (!model) throw new Error('classifier not loaded');
  const scores = tf.tidy(() => {
    const input = tf.browser.fromPixels(pixels).expandDims(0);
    const out = model!.predict(input) as tf.Tensor;
    return out.dataSync().slice();
  });
  return topK(scores, k, OUTPUT_SCALE);
}

export function topK(scores: ArrayLike<number>, k: number, scale: number): LabelScore[] {
  const idx: number[] = [];
  for (let i = 1; i < scores.length; i++) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a]);
  // A uint8 model scores most classes exactly 0; those are not labels.
  return idx
    .slice(0, k)
    .filter((i) => scores[i] > 0)
    .map((classIndex) => ({ classIndex, score: Math.round(scores[classIndex] * scale * 1e4) / 1e4 }));
}
