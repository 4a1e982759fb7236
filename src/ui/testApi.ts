import type { Library } from './library.svelte';
import type { InitResult, InitOptions } from '../worker/api';
import type { FaceResult, PhotoAnalysis } from '../engine/types';
import type { FaceRecord, PhotoRecord } from '../library/types';
import { labelName } from '../engine/labels';
import { FACE_MATCH_THRESHOLD } from '../engine/types';

/** A face as it crosses into a test: typed arrays as plain arrays. */
export type FaceJson = Omit<FaceResult, 'descriptor' | 'landmarks'> & { descriptor: number[]; landmarks: number[] };

/** An engine result as it crosses into a test: no thumbnail, typed arrays as plain arrays. */
export type AnalysisJson = Omit<PhotoAnalysis, 'thumb' | 'faces' | 'embedding'> & { faces: FaceJson[]; embedding: number[] | null };

/** One call of the engine's analyze: the photo's path, and whatever else the indexer asked for (JSON). */
export interface AnalyzeCall {
  path: string;
  request?: unknown;
}

/** A photo as the library stored it, with its faces (no thumbnail). */
export interface StoredPhoto {
  photo: Omit<PhotoRecord, 'thumb'>;
  faces: (Omit<FaceRecord, 'descriptor'> & { id: number })[];
}

/**
 * What e2e tests need to see or do that a person cannot through the UI: whether the library has loaded, the engine
 * on its own (a photo analysed without indexing it, tensors held), and what was stored for a photo. Everything
 * else the tests do through the UI. `window.shoeboxTest`; test/e2e/testApi.ts wraps it in typed functions.
 */
export interface ShoeboxTestApi {
  /** The library's database is open and its photos are loaded (the grid can paint). */
  readonly opened: boolean;
  /** Faces and people have loaded too (they load behind the grid). */
  readonly peopleLoaded: boolean;
  /** Resolves once every change to the people so far is stored (a reload right after a click may precede it). */
  peopleSaved(): Promise<void>;
  /** Starts the engine now (the app otherwise starts it when something needs it); rejects with the reason it cannot start. */
  startEngine(): Promise<InitResult>;
  /** What the engine reported when the app started it; null before. */
  readonly engineInfo: InitResult | null;
  /** Analyses a photo on the app's engine pool without indexing it. */
  analyze(blob: Blob, path: string): Promise<AnalysisJson>;
  /** Only the face detection and descriptors of a photo. */
  facesOf(blob: Blob): Promise<FaceJson[]>;
  /** Changes what the engine runs (the Settings do this for photos indexed from now on); the error, if any. */
  configureEngine(analyze: NonNullable<InitOptions['analyze']>): Promise<string | null>;
  /** Tensors each engine worker holds (a leak shows as growth). */
  tensorCounts(): Promise<number[]>;
  /** From now on, records every call of the engine's analyze (indexing included); starts a new record. */
  recordAnalyses(): void;
  /** The calls recorded since recordAnalyses(), in order. */
  readonly analyzed: AnalyzeCall[];
  /** The stored record and faces of the photo at `path`; null when the library has no such photo. */
  photoByPath(path: string): Promise<StoredPhoto | null>;
}

const faceJson = (f: FaceResult): FaceJson => ({ ...f, descriptor: Array.from(f.descriptor), landmarks: Array.from(f.landmarks) });

export function createTestApi(lib: Library): ShoeboxTestApi {
  const analyzed: AnalyzeCall[] = [];
  let recording = false;
  return {
    get opened() {
      return !!lib.db && !!lib.search;
    },
    get peopleLoaded() {
      return !!lib.people;
    },
    peopleSaved: async () => lib.people?.saved(),
    async startEngine() {
      const info = await lib.startEngine();
      if (!info) throw new Error(lib.engineError ?? 'The engine did not start');
      return info;
    },
    get engineInfo() {
      return lib.engine;
    },
    async analyze(blob, path) {
      const { thumb: _, embedding, faces, ...rest } = await lib.pool.analyze(blob, path);
      return { ...rest, faces: faces.map(faceJson), embedding: embedding ? Array.from(embedding) : null };
    },
    async facesOf(blob) {
      return (await lib.pool.facesOf(blob)).map(faceJson);
    },
    configureEngine: (analyze) => lib.pool.configure(analyze),
    tensorCounts: async () => (await lib.pool.memory()).map((m) => m.numTensors),
    recordAnalyses() {
      analyzed.length = 0;
      if (recording) return;
      recording = true;
      const pool = lib.pool;
      const original = pool.analyze.bind(pool);
      // Every argument passes through: the indexer may ask for more than a blob and a path.
      pool.analyze = ((...args: Parameters<typeof original>) => {
        const [, path, request] = args as unknown as [Blob, string, unknown];
        analyzed.push(request === undefined ? { path } : { path, request });
        return original(...args);
      }) as typeof pool.analyze;
    },
    analyzed,
    async photoByPath(path) {
      const id = lib.search?.idOfPath(path);
      const stored = id === undefined ? null : await lib.photo(id);
      if (!stored) return null;
      const { thumb: _, ...photo } = stored.photo;
      return { photo, faces: stored.faces.map(({ descriptor: __, ...f }) => f) };
    },
  };
}

/**
 * `window.shoebox` (the library itself, which the benchmarks drive so they exercise the app's own indexing path) and
 * `window.shoeboxTest` (the e2e tests' API above). `npm run build` (what the tests and benchmarks serve) has them;
 * the release build (`npm run build:release`, `vite build --mode release`) leaves them out.
 */
export function installTestApi(lib: Library): void {
  if (import.meta.env.MODE === 'release') return;
  Object.assign(window, { shoebox: lib, shoeboxTest: createTestApi(lib), shoeboxLabels: { labelName }, shoeboxFaceMatchThreshold: FACE_MATCH_THRESHOLD });
}
