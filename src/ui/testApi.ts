import type { Library } from './library.svelte';
import { labelName } from '../engine/labels';
import { FACE_MATCH_THRESHOLD } from '../engine/types';

/**
 * `window.shoebox`: the library object that e2e tests and the benchmarks drive, so they exercise the app's own
 * indexing path. Left out of a build made with VITE_TEST_API=off.
 */
export function installTestApi(lib: Library): void {
  if (import.meta.env.VITE_TEST_API === 'off') return;
  Object.assign(window, { shoebox: lib, shoeboxLabels: { labelName }, shoeboxFaceMatchThreshold: FACE_MATCH_THRESHOLD });
}
