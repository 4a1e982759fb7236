import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Box, FaceResult } from '../../src/engine/types';

/** One face of test/fixtures/faceDescriptors.json (written by scripts/face-descriptors.mjs). */
export interface FixtureFace {
  /** The source photo, e.g. "faceapi/sample4.jpg". */
  source: string;
  /** original, small, large, crop, mirror, dark or portrait (a crop around one face). */
  variant: string;
  /** "<source>#<n>": the source face this one is a copy of. */
  identity: string;
  /** Which photo of the fixture it is in: source + variant (+ n for portraits). */
  photo: string;
  score: number;
  box: Box;
  descriptor: Float32Array;
}

let cache: FixtureFace[] | null = null;

export function fixtureFaces(): FixtureFace[] {
  if (cache) return cache;
  const raw = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/faceDescriptors.json'), 'utf8')) as {
    faces: { source: string; variant: string; identity: string; score: number; box: Box; descriptor: number[] }[];
  };
  let portraits = 0;
  cache = raw.faces.map((f) => ({
    ...f,
    photo: `${f.source}/${f.variant}${f.variant === 'portrait' ? `-${portraits++}` : ''}`,
    descriptor: Float32Array.from(f.descriptor),
  }));
  return cache;
}

/** The fixture's faces grouped into photos, in fixture order. */
export function fixturePhotos(): { path: string; faces: FixtureFace[] }[] {
  const byPhoto = new Map<string, FixtureFace[]>();
  for (const f of fixtureFaces()) {
    const list = byPhoto.get(f.photo);
    if (list) list.push(f);
    else byPhoto.set(f.photo, [f]);
  }
  return [...byPhoto].map(([path, faces]) => ({ path: `${path}.jpg`, faces }));
}

export function asFaceResult(f: FixtureFace): FaceResult {
  return { box: f.box, score: f.score, landmarks: new Int16Array(136), descriptor: f.descriptor };
}
