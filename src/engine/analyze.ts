import * as tf from '@tensorflow/tfjs';
import * as classifier from './classifier';
import * as faceDetector from './faceDetector';
import * as faceLandmarks from './faceLandmarks';
import * as faceEmbedder from './faceEmbedder';
import * as embedder from './embedder';
import * as objectDetector from './objectDetector';
import * as textReader from './textReader';
import { decode, thumbnail, toPixels, toSize, toSquare, type Pixels } from './image';
import { readExif } from './exif';
import { plausibleFace } from './faceCheck';
import * as faceVerifier from './faceVerifier';
import * as tinyFaceDetector from './tinyFaceDetector';
import type { FaceDetection } from './faceApi';
import { MODEL_VERSION, type Box, type FaceResult, type ObjectResult, type PhotoAnalysis, type TextLine } from './types';

export interface AnalyzeOptions {
  labels: boolean;
  faces: boolean;
  /** COCO objects with boxes: the costliest stage after faces, so a setting turns it off. */
  objects: boolean;
  /** The image embedding for similar photos and duplicates. */
  embedding: boolean;
  /** Text in photos (OCR): detection on a small copy, recognition only on the boxes found. */
  text: boolean;
  /** Longest side of the copy the face models see; SSD itself works at 512 px. */
  faceMaxSide: number;
  minFaceScore: number;
  thumbSize: number;
  /** 'fast' detects with TinyFaceDetector on a smaller input: several times faster, at a measured recall cost. */
  faceMode: 'accurate' | 'fast';
  /** The thumbnail and EXIF (the first pass makes them; later passes need neither). */
  thumbnail: boolean;
}

/** Which stages one call runs: the first pass (labels, thumbnail, EXIF) or the named later ones. */
export type AnalyzePass = { pass: 'all' } | { pass: 'first' } | { pass: 'later'; stages: string[] };

/** The options of one pass: a stage runs when its pass asks for it and the settings have it on. */
export function optionsForPass(opts: AnalyzeOptions, request: AnalyzePass): AnalyzeOptions {
  if (request.pass === 'all') return opts;
  if (request.pass === 'first') return { ...opts, faces: false, objects: false, embedding: false, text: false };
  const has = (s: string) => request.stages.includes(s);
  return { ...opts, labels: false, thumbnail: false, faces: opts.faces && has('faces'), objects: opts.objects && has('objects'), embedding: opts.embedding && has('embedding'), text: opts.text && has('text') };
}

export const ANALYZE_DEFAULTS: AnalyzeOptions = { labels: true, faces: true, objects: true, embedding: true, text: true, faceMaxSide: 1280, minFaceScore: 0.5, thumbSize: 256, faceMode: 'accurate', thumbnail: true };
/** The fast mode's TinyFaceDetector input square (a multiple of 32). */
export const FAST_INPUT_SIZE = 416;

const MIN_VERIFY_SCORE = 0.15;

class Stopwatch {
  stages: Record<string, number> = {};
  private t = performance.now();
  lap(name: string) {
    const now = performance.now();
    this.stages[name] = Math.round((this.stages[name] ?? 0) + now - this.t);
    this.t = now;
  }
}

/** The faces of an already-decoded photo, in that image's pixels scaled by `scale`. */
export async function detectFaces(pixels: ImageData, scale: number, opts: Pick<AnalyzeOptions, 'minFaceScore' | 'faceMode'>, watch = new Stopwatch()): Promise<FaceResult[]> {
  // Only the detector needs the whole photo as a tensor; the other face models see crops cut from `pixels`.
  const image = tf.browser.fromPixels(pixels);
  let found: FaceDetection[];
  try {
    found =
      opts.faceMode === 'fast'
        ? await tinyFaceDetector.run(image, { inputSize: FAST_INPUT_SIZE, minScore: opts.minFaceScore })
        : await faceDetector.run(image, { minScore: opts.minFaceScore });
  } finally {
    image.dispose();
  }
  watch.lap('detect');
  if (!found.length) return [];
  const marks = await faceLandmarks.run(pixels, found);
  watch.lap('landmarks');
  // SSD takes some animal faces for human ones (skimage's cat at 0.93): a second detector and the
  // landmarks' geometry must agree. Tuned on the shared and face-api demo photos: at a 128 px crop real faces score ≥ 0.21, the cat 0.
  // The landmarks' geometry is checked first: a face it rejects needs no second detector.
  const plausible = found.map((det, i) => plausibleFace(marks[i].positions, det.box));
  const second = await faceVerifier.run(pixels, found.filter((_, i) => plausible[i]));
  watch.lap('verify');
  let checked = 0;
  const keep = plausible.map((ok) => ok && second[checked++] >= MIN_VERIFY_SCORE);
  const faces = found.filter((_, i) => keep[i]);
  const kept = marks.filter((_, i) => keep[i]);
  const descriptors = await faceEmbedder.run(pixels, kept);
  watch.lap('descriptors');
  return faces.map((det, i) => {
    const b = det.box;
    const box: Box = [b.x * scale, b.y * scale, b.width * scale, b.height * scale].map((v) => Math.round(v * 10) / 10) as Box;
    const landmarks = new Int16Array(136);
    kept[i].positions.forEach((p, j) => {
      landmarks[2 * j] = Math.round(p.x * scale);
      landmarks[2 * j + 1] = Math.round(p.y * scale);
    });
    return { box, score: Math.round(det.score * 1e4) / 1e4, landmarks, descriptor: descriptors[i] };
  });
}

/** The whole per-photo pipeline: one decode shared by every model. */
export async function analyze(blob: Blob, options: Partial<AnalyzeOptions> = {}): Promise<PhotoAnalysis> {
  const opts = { ...ANALYZE_DEFAULTS, ...options };
  const watch = new Stopwatch();
  const exif = opts.thumbnail ? readExif(blob) : Promise.resolve({ takenAt: null, camera: null, gps: null });
  const { bitmap, width, height } = await decode(blob);
  watch.lap('decode');
  try {
    // The classifier and the embedder both take the whole photo at 224²: one resize serves both.
    const square = (opts.labels && classifier.isLoaded()) || (opts.embedding && embedder.isLoaded()) ? toSquare(bitmap, classifier.INPUT_SIZE) : null;
    const labels = square && opts.labels && classifier.isLoaded() ? classifier.run(square) : [];
    watch.lap('classify');
    const embedding = square && opts.embedding && embedder.isLoaded() ? embedder.run(square) : null;
    watch.lap('embed');
    let objects: ObjectResult[] | undefined;
    if (opts.objects && objectDetector.isLoaded()) {
      const size = objectDetector.inputSize(width, height);
      objects = (await objectDetector.run(toSize(bitmap, size.width, size.height))).map((o) => ({
        ...o,
        score: Math.round(o.score * 1e4) / 1e4,
        box: o.box.map((v) => Math.round(v * 1e4) / 1e4) as Box,
      }));
      watch.lap('objects');
    }
    let faces: FaceResult[] = [];
    // The ≤ faceMaxSide copy serves the faces and, when text was found, its recognition.
    let pixels: Pixels | null = null;
    const facePixels = () => (pixels ??= toPixels(bitmap, opts.faceMaxSide));
    if (opts.faces) {
      facePixels();
      watch.lap('resize');
      faces = await detectFaces(facePixels(), width / facePixels().width, opts, watch);
    }
    let text: TextLine[] | undefined;
    if (opts.text && textReader.isLoaded()) {
      const detCopy = (side: number) => {
        const size = textReader.detSize(width, height, side);
        return toSize(bitmap, size.width, size.height);
      };
      // Stages ocr (the text gate), ocrFine (detection where the gate saw print) and ocrRead (recognition).
      text = await textReader.run(detCopy, facePixels, {}, (stage) => watch.lap(stage));
    }
    const thumb = opts.thumbnail ? await thumbnail(bitmap, opts.thumbSize) : null;
    if (opts.thumbnail) watch.lap('thumb');
    const { takenAt, camera, gps } = await exif;
    if (opts.thumbnail) watch.lap('exif');
    const result: PhotoAnalysis = { width, height, labels, faces, thumb, takenAt, camera, gps, stages: watch.stages, modelVersion: MODEL_VERSION, embedding };
    if (objects) result.objects = objects;
    if (text) result.text = text;
    return result;
  } finally {
    bitmap.close();
  }
}
