import 'fake-indexeddb/auto';
import { MODEL_VERSION, type FaceResult } from '../../src/engine/types';
import { openLibraryDb, type LibraryDb, type OpenOptions } from '../../src/library/store/db';
import type { AnalysisWithEmbedding, EntryInfo, WriteItem } from '../../src/library/store/writer';

let dbCounter = 0;

/** A fresh database per call, so tests never see each other's records. */
export function freshDb(options?: OpenOptions): Promise<LibraryDb> {
  return openLibraryDb(`test-${process.pid}-${++dbCounter}`, options);
}

import { prng } from '../../src/bench/syntheticLibrary';

export { prng };

export function randomDescriptor(rand: () => number): Float32Array {
  const d = new Float32Array(128);
  for (let i = 0; i < 128; i++) d[i] = rand() * 0.2 - 0.1;
  return d;
}

export function face(seed: number): FaceResult {
  return {
    box: [seed, seed, 10, 10],
    score: 0.9,
    landmarks: new Int16Array(136).fill(seed),
    descriptor: randomDescriptor(prng(seed)),
  };
}

export function analysis(over: Partial<AnalysisWithEmbedding> = {}): AnalysisWithEmbedding {
  return {
    width: 640,
    height: 480,
    labels: [{ classIndex: 282, score: 0.8 }],
    faces: [],
    thumb: new Blob(['thumb']),
    takenAt: null,
    camera: null,
    gps: null,
    stages: {},
    modelVersion: MODEL_VERSION,
    ...over,
  };
}

export function entry(path: string, size = 100, lastModified = 1000): EntryInfo {
  return { path, size, lastModified };
}

export function item(path: string, over: Parameters<typeof analysis>[0] = {}, size = 100, lastModified = 1000): WriteItem {
  return { entry: entry(path, size, lastModified), analysis: analysis(over) };
}
