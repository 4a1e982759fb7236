import type * as tf from '@tensorflow/tfjs';
import { faceApi, asFaceInput, type FaceLandmarks68 } from './faceApi';

let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.faceRecognitionNet.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** 128-d descriptors of faces aligned by their landmarks (dlib alignment, as face-api does), batched. */
export async function run(image: tf.Tensor3D, landmarks: FaceLandmarks68[]): Promise<Float32Array[]> {
  if (!landmarks.length) return [];
  const faceapi = faceApi();
  const rects = landmarks.map((lm) => lm.align(null, { useDlibAlignment: true }));
  const crops = await faceapi.extractFaceTensors(asFaceInput(image), rects);
  try {
    const out = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(crops);
    return Array.isArray(out) ? out : [out];
  } finally {
    crops.forEach((t) => t.dispose());
  }
}
