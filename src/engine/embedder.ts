import * as tf from '@tensorflow/tfjs';
import { loadTFLite, type TFLiteModel } from './tflite';
import type { Pixels } from './image';

/** MobileNetV1 1.0 224, uint8-quantised, cut before the classifier: a 1024-d image embedding. */
export const EMBEDDER_FILE = 'mobilenet_v1_1.0_224_quant_embedding_extractor.tflite';
export const INPUT_SIZE = 224;
export const EMBEDDING_SIZE = 1024;

let model: TFLiteModel | null = null;
let loading: Promise<TFLiteModel> | null = null;

export function load(modelsUrl: string, wasmPath: string, numThreads = 1): Promise<TFLiteModel> {
  loading ??= loadTFLite(`${modelsUrl}/imagenet/${EMBEDDER_FILE}`, wasmPath, numThreads).then((m) => (model = m));
  loading.catch(() => (loading = null));
  return loading;
}

export function isLoaded(): boolean {
  return model !== null;
}

/**
 * The embedding of a 224×224 RGBA image, as the model's own uint8 activations (1 KiB, stored as is).
 * Their zero point is 0 (pooled ReLU6 outputs), so cosine similarity works on the raw values.
 */
export function run(pixels: Pixels): Uint8Array {
  if (!model) throw new Error('embedder not loaded');
  const values = tf.tidy(() => {
    const input = tf.browser.fromPixels(pixels).expandDims(0);
    return (model!.predict(input) as tf.Tensor).dataSync();
  });
  if (values.length !== EMBEDDING_SIZE) throw new Error(`embedder returned ${values.length} values, expected ${EMBEDDING_SIZE}`);
  return Uint8Array.from(values);
}
