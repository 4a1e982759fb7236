import { faceApi, asFaceTensors, type FaceDetection, type FaceLandmarks68 } from './faceApi';
import { cropFaces, type RgbaPixels } from './faceCrops';

let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  loading ??= faceApi().nets.faceLandmark68Net.loadFromUri(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** 68 landmarks per detected face, in the image's pixels (one batched forward pass). */
export async function run(pixels: RgbaPixels, faces: FaceDetection[]): Promise<FaceLandmarks68[]> {
  if (!faces.length) return [];
  const faceapi = faceApi();
  const crops = cropFaces(pixels, faces.map((f) => f.box), 'center');
  try {
    const found = await faceapi.nets.faceLandmark68Net.detectLandmarks(asFaceTensors(crops.map((c) => c.tensor)));
    const list = (Array.isArray(found) ? found : [found]) as FaceLandmarks68[];
    return list.map((lm, i) => lm.shiftBy<FaceLandmarks68>(crops[i].x, crops[i].y));
  } finally {
    crops.forEach((c) => c.tensor.dispose());
  }
}
