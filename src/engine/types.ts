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

/** A COCO object (classIndex 0..79, 0 = person) found by the object detector. */
export interface ObjectResult {
  classIndex: number;
  score: number;
  /** Fractions of the photo's width and height: [x, y, width, height] in 0..1. */
  box: Box;
}

/** A line of text read in a photo. */
export interface TextLine {
  text: string;
  /** Mean probability of its characters. */
  score: number;
  /** Corners top-left, top-right, bottom-right, bottom-left as x0,y0…x3,y3 in fractions of the photo's width and height. */
  quad: number[];
}

export interface PhotoAnalysis {
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  /** Top 10 labels, best first; empty when the classifier is unavailable. */
  labels: LabelScore[];
  faces: FaceResult[];
  /** COCO objects, best first; absent when object detection is off or unavailable. */
  objects?: ObjectResult[];
  /** Lines of text in reading order; absent when text reading is off or unavailable. */
  text?: TextLine[];
  /** 1024-d image embedding (the model's uint8 activations); absent when the embedder is unavailable. */
  embedding?: Uint8Array | null;
  /** Small WebP thumbnail (longest side 256 px). */
  thumb: Blob | null;
  /** EXIF DateTimeOriginal as epoch ms. */
  takenAt: number | null;
  camera: string | null;
  gps: [number, number] | null;
  /** Milliseconds per stage: decode, classify, embed, objects, resize, detect, landmarks, verify, descriptors, ocr, ocrFine, ocrRead, thumb, exif. */
  stages: Record<string, number>;
  modelVersion: number;
}

/** Bump when a model or preprocessing change makes older results stale: those photos get re-indexed. */
// 2: object detection and image embeddings. 3: text in photos.
export const MODEL_VERSION = 3;

/** Euclidean distance under which two descriptors are treated as the same person. */
export const FACE_MATCH_THRESHOLD = 0.5;
