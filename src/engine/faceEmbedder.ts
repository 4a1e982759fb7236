import { faceApi, asFaceTensors, type FaceLandmarks68 } from './faceApi';
import { cropFaces, type RgbaPixels } from './faceCrops';

let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.faceRecognitionNet.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** 128-d descriptors of faces aligned by their landmarks (dlib alignment, as face-api does), batched. */
export async function run(pixels: RgbaPixels, landmarks: FaceLandmarks68[]): Promise<Float32Array[]> {
  if (!landmarks.length) return [];
  const faceapi = faceApi();
  const rects = landmarks.map((lm) => lm.align(null, { useDlibAlignment: true }));
  const crops = cropFaces(pixels, rects, 'center');
  try {
    const out = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(asFaceTensors(crops.map((c) => c.tensor)));
    return Array.isArray(out) ? out : [out];
  } finally {
    crops.forEach((c) => c.tensor.dispose());
  }
}
