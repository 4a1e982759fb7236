// face-api's no-bundle build shares our one copy of tfjs. Its environment must be set by hand in a worker,
// where there is no document: OffscreenCanvas stands in for <canvas>, and we always hand it tensors.
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';

let envSet = false;

export function faceApi(): typeof faceapi {
  if (!envSet) {
    const unsupported = () => {
      throw new Error('not available in Shoebox engine');
    };
    const env = {
      Canvas: OffscreenCanvas,
      CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D,
      Image: class {},
      ImageData,
      Video: class {},
      createCanvasElement: () => new OffscreenCanvas(1, 1),
      createImageElement: unsupported,
      createVideoElement: unsupported,
      fetch: (url: string, init?: RequestInit) => fetch(url, init),
      readFile: unsupported,
    };
    faceapi.env.setEnv(env as unknown as Parameters<typeof faceapi.env.setEnv>[0]);
    envSet = true;
  }
  return faceapi;
}

export type FaceApi = typeof faceapi;
export type FaceDetection = faceapi.FaceDetection;
export type FaceLandmarks68 = faceapi.FaceLandmarks68;

/** face-api's types name its own bundled copy of tfjs; at run time it is ours, so the cast is sound. */
export type FaceInput = Parameters<typeof faceapi.extractFaceTensors>[0] & Parameters<typeof faceapi.nets.ssdMobilenetv1.locateFaces>[0];
export const asFaceInput = (t: unknown) => t as FaceInput;
export const asFaceTensors = (t: unknown) => t as Parameters<typeof faceapi.nets.faceRecognitionNet.computeFaceDescriptor>[0] & Parameters<typeof faceapi.nets.faceLandmark68Net.detectLandmarks>[0];
export const fromFaceTensors = <T>(t: unknown) => t as T;
