import type * as tf from '@tensorflow/tfjs';
import { faceApi, asFaceInput, type FaceDetection } from './faceApi';

export interface DetectOptions {
  minScore: number;
  maxFaces: number;
}

export const DETECT_DEFAULTS: DetectOptions = { minScore: 0.5, maxFaces: 100 };

let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.ssdMobilenetv1.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** SSD MobileNetV1 on an int32 H×W×3 image tensor; boxes are in that tensor's pixels. */
export async function run(image: tf.Tensor3D, opts: Partial<DetectOptions> = {}): Promise<FaceDetection[]> {
  const { minScore, maxFaces } = { ...DETECT_DEFAULTS, ...opts };
  const faceapi = faceApi();
  return faceapi.nets.ssdMobilenetv1.locateFaces(asFaceInput(image), new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: maxFaces }));
}
