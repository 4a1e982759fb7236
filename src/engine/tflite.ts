// The package's ESM entry does not resolve under Vite; its flat ESM bundle does. It loads its WASM runtime
// with importScripts, so it only works in a classic worker (or a page).
// @ts-expect-error no types for the flat bundle; they are the package's own, re-typed below.
import * as bundle from '@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js';
import type * as TFLite from '@tensorflow/tfjs-tflite';

const tflite = bundle as typeof TFLite;
export type TFLiteModel = TFLite.TFLiteModel;

let wasmPathSet = '';

/** Loads a .tflite model from a URL, with its runtime from wasmPath. */
export async function loadTFLite(url: string, wasmPath: string, numThreads: number): Promise<TFLiteModel> {
  if (wasmPathSet !== wasmPath) {
    tflite.setWasmPath(wasmPath);
    wasmPathSet = wasmPath;
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.split('/').pop()} is missing (HTTP ${res.status})`);
  return tflite.loadTFLiteModel(await res.arrayBuffer(), { numThreads });
}
