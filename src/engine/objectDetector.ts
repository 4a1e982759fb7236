import * as tf from '@tensorflow/tfjs';
import type { Pixels } from './image';
import type { Box, ObjectResult } from './types';

/**
 * CenterNet (MobileNetV3) on COCO's 80 classes, the graph model that @vladmandic/human ships.
 * Picked over NanoDet by recall and false hits on the test photos (see the search issue's report).
 */
export const MODEL_FILE = 'objects/centernet.json';
export const INPUT_SIZE = 512;

export interface ObjectOptions {
  minScore: number;
  maxObjects: number;
  /** Same-class boxes overlapping more than this (IoU) are one object. */
  maxOverlap: number;
}

export const OBJECT_DEFAULTS: ObjectOptions = { minScore: 0.3, maxObjects: 20, maxOverlap: 0.5 };

let model: tf.GraphModel | null = null;
let loading: Promise<tf.GraphModel> | null = null;

export function load(modelsUrl: string): Promise<tf.GraphModel> {
  loading ??= tf.loadGraphModel(`${modelsUrl}/${MODEL_FILE}`).then((m) => (model = m));
  loading.catch(() => (loading = null));
  return loading;
}

export function isLoaded(): boolean {
  return model !== null;
}

function iou(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const y = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  const inter = x * y;
  return inter / (a[2] * a[3] + b[2] * b[3] - inter || 1);
}

/**
 * Objects in an INPUT_SIZE² RGBA image (the whole photo squeezed, like the classifier's input);
 * boxes are fractions of the photo's width and height, best score first.
 */
export async function run(pixels: Pixels, opts: Partial<ObjectOptions> = {}): Promise<ObjectResult[]> {
  if (!model) throw new Error('object detector not loaded');
  const { minScore, maxObjects, maxOverlap } = { ...OBJECT_DEFAULTS, ...opts };
  // The graph normalises internally: it takes 0..255 floats. Its output is the 100 best peaks:
  // x1, y1, x2, y2 (input pixels), score, class.
  const out = tf.tidy(() => model!.execute(tf.browser.fromPixels(pixels).toFloat().expandDims(0), 'tower_0/detections') as tf.Tensor);
  const rows = await out.data();
  out.dispose();
  const found: ObjectResult[] = [];
  for (let i = 0; i + 5 < rows.length; i += 6) {
    const score = rows[i + 4];
    const classIndex = rows[i + 5];
    if (!(score >= minScore) || !Number.isInteger(classIndex) || classIndex < 0 || classIndex >= 80) continue;
    const clamp = (v: number) => Math.min(1, Math.max(0, v / INPUT_SIZE));
    const [x1, y1, x2, y2] = [clamp(rows[i]), clamp(rows[i + 1]), clamp(rows[i + 2]), clamp(rows[i + 3])];
    if (x2 <= x1 || y2 <= y1) continue;
    found.push({ classIndex, score, box: [x1, y1, x2 - x1, y2 - y1] });
  }
  found.sort((a, b) => b.score - a.score);
  const kept: ObjectResult[] = [];
  for (const o of found) {
    if (kept.length >= maxObjects) break;
    if (!kept.some((k) => k.classIndex === o.classIndex && iou(k.box, o.box) > maxOverlap)) kept.push(o);
  }
  return kept;
}
