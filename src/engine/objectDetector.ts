import * as tf from '@tensorflow/tfjs';
import type { Pixels } from './image';
import type { Box, ObjectResult } from './types';

/**
 * CenterNet (MobileNetV3) on COCO's 80 classes, the graph model that @vladmandic/human ships.
 * Picked over NanoDet by recall and false hits on the test photos (see the search issue's report).
 */
export const MODEL_FILE = 'objects/centernet.json';
/**
 * The input's long side. The graph ships for a 512² square, into which every photo used to be squeezed; the
 * photo at its own aspect ratio, 448 px long, found the ImageNet photos' COCO objects more often (70% against
 * 60%) for 41% less time (docs/BENCHMARKS.md, "Objects at the photo's aspect ratio").
 */
export const LONG_SIDE = 448;
/** CenterNet's coarsest feature map is 1/32 of its input. */
const STRIDE = 32;

export interface ObjectOptions {
  minScore: number;
  maxObjects: number;
  /** Same-class boxes overlapping more than this (IoU) are one object. */
  maxOverlap: number;
}

export const OBJECT_DEFAULTS: ObjectOptions = { minScore: 0.3, maxObjects: 20, maxOverlap: 0.5 };

/** The input size for a photo: `longSide` on its long side, both sides a multiple of STRIDE. */
export function inputSize(width: number, height: number, longSide = LONG_SIDE): { width: number; height: number } {
  const fit = (side: number) => Math.max(STRIDE, Math.ceil((longSide * side) / Math.max(width, height) / STRIDE) * STRIDE);
  return { width: fit(width), height: fit(height) };
}

const IMAGES = 'tower_0/images';
// Constants that the graph froze for its 512² input (feature map sizes, the output grid's width): they become
// inputs, fed for each photo's size.
const UPSAMPLE_16 = 'tower_0/CenternetHead/c5_upsample/up_sampling2d/mul';
const UPSAMPLE_8 = 'tower_0/CenternetHead/c4_upsample/up_sampling2d_1/mul';
const UPSAMPLE_4 = 'tower_0/CenternetHead/c3_upsample/up_sampling2d_2/mul';
const GRID_BOXES = 'tower_0/BatchGather/concat';
const GRID_WIDTH = 'tower_0/strided_slice_6';
const SIZED = [UPSAMPLE_16, UPSAMPLE_8, UPSAMPLE_4, GRID_BOXES, GRID_WIDTH];

interface GraphNode {
  name: string;
  op: string;
  attr?: Record<string, unknown>;
}

/** The graph with any input size: the image's placeholder unsized, the size constants made placeholders. */
export function unfreezeSize(topology: { node: GraphNode[] }): void {
  for (const node of topology.node) {
    if (node.name === IMAGES) node.attr = { ...node.attr, shape: { shape: { dim: [{ size: '1' }, { size: '-1' }, { size: '-1' }, { size: '3' }] } } };
    else if (SIZED.includes(node.name)) {
      node.op = 'Placeholder';
      node.attr = { dtype: { type: 'DT_INT32' }, shape: { shape: { dim: node.name === GRID_WIDTH ? [] : [{ size: '2' }] } } };
    }
  }
  if (topology.node.filter((n) => n.name === IMAGES || SIZED.includes(n.name)).length !== SIZED.length + 1) throw new Error('object detector: unexpected graph');
}

let model: tf.GraphModel | null = null;
let loading: Promise<tf.GraphModel> | null = null;

/** The graph from its files' contents, taking any input size (see `unfreezeSize`). */
export function fromArtifacts(artifacts: tf.io.ModelArtifacts): Promise<tf.GraphModel> {
  unfreezeSize(artifacts.modelTopology as { node: GraphNode[] });
  return tf.loadGraphModel(tf.io.fromMemory(artifacts));
}

const fetchArtifacts = (url: string) => tf.io.http(url).load!();

export function load(modelsUrl: string): Promise<tf.GraphModel> {
  loading ??= fetchArtifacts(`${modelsUrl}/${MODEL_FILE}`)
    .then(fromArtifacts)
    .then((m) => (model = m));
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
 * Objects in an RGBA image of the whole photo at `inputSize`; boxes are fractions of the photo's width and
 * height, best score first.
 */
export async function run(pixels: Pixels, opts: Partial<ObjectOptions> = {}): Promise<ObjectResult[]> {
  if (!model) throw new Error('object detector not loaded');
  const image = tf.browser.fromPixels(pixels);
  try {
    return await detect(model, image, opts);
  } finally {
    image.dispose();
  }
}

/** `run` on an H×W×3 tensor of 0..255 values, with the graph from `fromArtifacts`. */
export async function detect(graph: tf.GraphModel, image: tf.Tensor3D, opts: Partial<ObjectOptions> = {}): Promise<ObjectResult[]> {
  const { minScore, maxObjects, maxOverlap } = { ...OBJECT_DEFAULTS, ...opts };
  // The graph normalises internally: it takes 0..255 floats. Its output is the 100 best peaks:
  // x1, y1, x2, y2 (input pixels), score, class.
  const [h, w] = image.shape;
  if (w % STRIDE || h % STRIDE) throw new Error(`object detector: ${w}×${h} is not a multiple of ${STRIDE}`);
  const out = tf.tidy(
    () =>
      graph.execute(
        {
          [IMAGES]: tf.cast(image, 'float32').expandDims(0),
          [UPSAMPLE_16]: tf.tensor1d([h / 16, w / 16], 'int32'),
          [UPSAMPLE_8]: tf.tensor1d([h / 8, w / 8], 'int32'),
          [UPSAMPLE_4]: tf.tensor1d([h / 4, w / 4], 'int32'),
          [GRID_BOXES]: tf.tensor1d([(h / 4) * (w / 4), 4], 'int32'),
          [GRID_WIDTH]: tf.scalar(w / 4, 'int32'),
        },
        'tower_0/detections',
      ) as tf.Tensor,
  );
  const rows = await out.data();
  out.dispose();
  const found: ObjectResult[] = [];
  for (let i = 0; i + 5 < rows.length; i += 6) {
    const score = rows[i + 4];
    const classIndex = rows[i + 5];
    if (!(score >= minScore) || !Number.isInteger(classIndex) || classIndex < 0 || classIndex >= 80) continue;
    const clamp = (v: number, side: number) => Math.min(1, Math.max(0, v / side));
    const [x1, y1, x2, y2] = [clamp(rows[i], w), clamp(rows[i + 1], h), clamp(rows[i + 2], w), clamp(rows[i + 3], h)];
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
