/** Plain, structured-cloneable results of the engine. */

/** [x, y, width, height] in the original photo's pixels, after EXIF orientation. */
export type Box = [number, number, number, number];

/** An ImageNet class (1..1000; 0 "background" is never returned) and its score in 0..1. */
export interface LabelScore {
  classIndex: number;
  score: number;
}

export interface FaceResult {
  box: Box;
  score: number;
  /** 68 points as x0,y0,x1,y1… in the photo's pixels. */
  landmarks: Int16Array;
  /** 128-d face descriptor; faces closer than faceMatchThreshold (Euclidean) are the same person. */
  descriptor: Float32Array;
}

export interface PhotoAnalysis {
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  /** Top 10 labels, best first; empty when the classifier is unavailable. */
  labels: LabelScore[];
  faces: FaceResult[];
  /** Small WebP thumbnail (longest side 256 px). */
  thumb: Blob | null;
  /** EXIF DateTimeOriginal as epoch ms. */
  takenAt: number | null;
  camera: string | null;
  gps: [number, number] | null;
  /** Milliseconds per stage: decode, resize, classify, detect, landmarks, descriptors, thumb. */
  stages: Record<string, number>;
  modelVersion: number;
}

/** Bump when a model or preprocessing change makes older results stale: those photos get re-indexed. */
export const MODEL_VERSION = 1;

/** Euclidean distance under which two descriptors are treated as the same person. */
export const FACE_MATCH_THRESHOLD = 0.5;
