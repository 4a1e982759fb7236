import type * as tf from '@tensorflow/tfjs';
import { faceApi, asFaceInput, type FaceDetection } from './faceApi';

/** face-api's TinyFaceDetector (YOLOv2-style, 190 KB): the fast mode's detector and SSD's second opinion. */
let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.tinyFaceDetector.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** Faces in an int32 H×W×3 tensor, boxes in its pixels; inputSize is the square the net sees (multiple of 32). */
export async function run(image: tf.Tensor3D, opts: { inputSize: number; minScore: number }): Promise<FaceDetection[]> {
  const faceapi = faceApi();
  return faceapi.nets.tinyFaceDetector.locateFaces(asFaceInput(image), new faceapi.TinyFaceDetectorOptions({ inputSize: opts.inputSize, scoreThreshold: opts.minScore }));
}
