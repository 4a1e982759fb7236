import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { faceApi, asFaceTensors, type FaceLandmarks68 } from './faceApi';
import { cropFaces, type RgbaPixels } from './faceCrops';
import { forwardRecognition, fuseRecognition, type FusedRecognition, type RecognitionParams } from './recognitionFused';

type Descriptors = ReturnType<faceapi.FaceRecognitionNet['forwardInput']>;

/**
 * face-api's FaceRecognitionNet with the fused forward pass (recognitionFused.ts); its input handling is
 * face-api's own.
 */
class FusedFaceRecognitionNet extends faceapi.FaceRecognitionNet {
  fused: FusedRecognition | null = null;

  async loadFused(url: string) {
    await this.loadFromUri(url);
    this.fused = fuseRecognition(this.params as unknown as RecognitionParams);
    this.dispose(); // the unfused weights
  }

  override forwardInput(input: faceapi.NetInput): Descriptors {
    if (!this.fused) throw new Error('face recognition not loaded');
    const fused = this.fused;
    return tf.tidy(() => forwardRecognition(fused, tf.cast(input.toBatchTensor(150, true) as unknown as tf.Tensor4D, 'float32'))) as unknown as Descriptors;
  }
}

let net: FusedFaceRecognitionNet | null = null;
let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  faceApi();
  loading ??= (net = new FusedFaceRecognitionNet()).loadFused(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** 128-d descriptors of faces aligned by their landmarks (dlib alignment, as face-api does), batched. */
export async function run(pixels: RgbaPixels, landmarks: FaceLandmarks68[]): Promise<Float32Array[]> {
  if (!landmarks.length) return [];
  if (!net) throw new Error('face recognition not loaded');
  const rects = landmarks.map((lm) => lm.align(null, { useDlibAlignment: true }));
  const crops = cropFaces(pixels, rects, 'center');
  try {
    const out = await net.computeFaceDescriptor(asFaceTensors(crops.map((c) => c.tensor)));
    return Array.isArray(out) ? out : [out];
  } finally {
    crops.forEach((c) => c.tensor.dispose());
  }
}
