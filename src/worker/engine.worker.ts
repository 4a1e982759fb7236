/// <reference lib="webworker" />
import { expose, transfer } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../engine/backend';
import * as classifier from '../engine/classifier';
import * as faceDetector from '../engine/faceDetector';
import * as faceLandmarks from '../engine/faceLandmarks';
import * as faceEmbedder from '../engine/faceEmbedder';
import * as faceVerifier from '../engine/faceVerifier';
import * as embedder from '../engine/embedder';
import * as objectDetector from '../engine/objectDetector';
import * as textReader from '../engine/textReader';
import { analyze, detectFaces, optionsForPass, ANALYZE_DEFAULTS, type AnalyzeOptions } from '../engine/analyze';
import { decode, toPixels } from '../engine/image';
import type { EngineApi, InitOptions, InitResult } from './api';
import type { PhotoAnalysis } from '../engine/types';

let options: AnalyzeOptions = ANALYZE_DEFAULTS;
let ready: Promise<InitResult> | null = null;
let modelsUrl = '';

const unavailable = (what: string) => (err: unknown) => `${what} unavailable: ${err instanceof Error ? err.message : String(err)}`;

/** Optional models: a missing one turns its feature off, never the engine. */
function loadObjects(): Promise<string | null> {
  return options.objects ? objectDetector.load(modelsUrl).then(() => null, unavailable('objects')) : Promise.resolve(null);
}

function loadText(): Promise<string | null> {
  return options.text ? textReader.load(modelsUrl).then(() => null, unavailable('text in photos')) : Promise.resolve(null);
}

async function init(opts: InitOptions): Promise<InitResult> {
  const t0 = performance.now();
  options = { ...ANALYZE_DEFAULTS, ...opts.analyze };
  modelsUrl = opts.modelsUrl;
  const info = await initBackend({ prefer: opts.backend, wasmPath: `${opts.wasmUrl}tfjs/`, threads: opts.threads });
  // One thread: TFLite's single-threaded runtime (see scripts/fetch-models.mjs), without its 8 idle pthreads.
  const tflitePath = `${opts.wasmUrl}${opts.threads <= 1 ? 'tflite-single' : 'tflite'}/`;
  const labels = classifier.load(opts.modelsUrl, tflitePath, opts.threads).then(
    () => null,
    (err: unknown) => `labels unavailable: ${err instanceof Error ? err.message : String(err)}`,
  );
  const similar = embedder.load(opts.modelsUrl, tflitePath, opts.threads).then(() => null, unavailable('similar photos'));
  const objects = loadObjects();
  const text = loadText();
  await Promise.all([faceDetector.load(opts.modelsUrl), faceLandmarks.load(opts.modelsUrl), faceEmbedder.load(opts.modelsUrl), faceVerifier.load(opts.modelsUrl)]);
  const [labelsError, similarError, objectsError, textError] = await Promise.all([labels, similar, objects, text]);
  await warmUp();
  return { ...info, modelLoadMs: Math.round(performance.now() - t0), labelsError, similarError, objectsError, textError };
}

/** A first pass on a blank image: the first photo then does not pay for the classifier's and WebP encoder's first call. */
async function warmUp(): Promise<void> {
  try {
    const canvas = new OffscreenCanvas(64, 64);
    canvas.getContext('2d')!.fillRect(0, 0, 64, 64);
    await analyze(await canvas.convertToBlob({ type: 'image/jpeg' }), optionsForPass(options, { pass: 'first' }));
  } catch {
    /* a failed warm-up only costs the first photo its speed */
  }
}

function transferables(a: PhotoAnalysis): Transferable[] {
  const buffers = a.faces.flatMap((f) => [f.landmarks.buffer, f.descriptor.buffer]);
  if (a.embedding) buffers.push(a.embedding.buffer);
  return [...new Set(buffers)] as Transferable[];
}

const api: EngineApi = {
  init(opts) {
    ready ??= init(opts);
    ready.catch(() => (ready = null));
    return ready;
  },
  async configure(analyze) {
    options = { ...options, ...analyze };
    // Each switch reports its own model's error.
    const [objectsError, textError] = await Promise.all([loadObjects(), loadText()]);
    return 'text' in analyze && !('objects' in analyze) ? textError : objectsError;
  },
  async analyze(blob, opts) {
    const result = await analyze(blob, optionsForPass(options, opts?.pass ?? { pass: 'all' }));
    return transfer(result, transferables(result));
  },
  async facesOf(blob) {
    const { bitmap, width } = await decode(blob);
    try {
      const pixels = toPixels(bitmap, options.faceMaxSide);
      return await detectFaces(pixels, width / pixels.width, options);
    } finally {
      bitmap.close();
    }
  },
  memory() {
    const m = tf.memory();
    // A WASM heap never shrinks, so its size is a high-water mark: flat over a long run means no leak there.
    const wasm = (tf.backend() as { wasm?: { HEAPU8: Uint8Array } }).wasm;
    return { numTensors: m.numTensors, numBytes: m.numBytes, wasmHeapBytes: wasm ? wasm.HEAPU8.buffer.byteLength : null };
  },
};

expose(api);
