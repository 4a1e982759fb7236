import type { BackendName } from '../engine/backend';
import type { AnalyzeOptions, AnalyzePass } from '../engine/analyze';
import type { FaceResult, PhotoAnalysis } from '../engine/types';

export interface InitOptions {
  backend?: BackendName;
  /** Absolute URL of public/models. */
  modelsUrl: string;
  /** Absolute URL prefix of the WASM binaries (…/wasm/). */
  wasmUrl: string;
  threads: number;
  analyze?: Partial<AnalyzeOptions>;
}

export interface InitResult {
  backend: BackendName;
  gpu: boolean;
  renderer: string | null;
  simd: boolean;
  threads: number;
  modelLoadMs: number;
  /** Null when labels work; otherwise why they are unavailable (e.g. the model file is missing). */
  labelsError: string | null;
  /** Null when the image embedder works (similar photos, duplicates); otherwise why not. */
  similarError?: string | null;
  /** Null when object detection works or is switched off; otherwise why it is unavailable. */
  objectsError?: string | null;
  /** Null when text reading works or is switched off; otherwise why it is unavailable. */
  textError?: string | null;
}

/** The one API the engine worker exposes through comlink. */
export interface EngineApi {
  init(opts: InitOptions): Promise<InitResult>;
  /** Changes analysis options for the next photos (e.g. objects or text on/off); resolves to objectsError, else textError. */
  configure(analyze: Partial<AnalyzeOptions>): Promise<string | null>;
  /** `pass`: staged indexing's first pass or later stages; everything when absent. */
  analyze(blob: Blob, opts?: { path?: string; pass?: AnalyzePass }): Promise<PhotoAnalysis>;
  /** Faces of a photo from outside the library (search by a dropped photo). */
  facesOf(blob: Blob): Promise<FaceResult[]>;
  /** tfjs' live tensors and the WASM backend's heap size (null on other backends). */
  memory(): { numTensors: number; numBytes: number; wasmHeapBytes: number | null };
}
