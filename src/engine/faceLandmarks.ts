import type * as tf from '@tensorflow/tfjs';
import { faceApi, asFaceInput, type FaceDetection, type FaceLandmarks68 } from './faceApi';

let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.faceLandmark68Net.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** 68 landmarks per detected face, in the image tensor's pixels (one batched forward pass). */
export async function run(image: tf.Tensor3D, faces: FaceDetection[]): Promise<FaceLandmarks68[]> {
  if (!faces.length) return [];
  const faceapi = faceApi();
  const crops = await faceapi.extractFaceTensors(asFaceInput(image), faces);
  try {
    const found = await faceapi.nets.faceLandmark68Net.detectLandmarks(crops);
    const list = (Array.isArray(found) ? found : [found]) as FaceLandmarks68[];
    return list.map((lm, i) => lm.shiftBy<FaceLandmarks68>(faces[i].box.x, faces[i].box.y));
  } finally {
    crops.forEach((t) => t.dispose());
  }
}
