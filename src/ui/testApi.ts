import type { Library } from './library.svelte';
import { labelName } from '../engine/labels';
import { FACE_MATCH_THRESHOLD } from '../engine/types';

/**
 * `window.shoebox`: the library object that e2e tests and the benchmarks drive, so they exercise the app's own
 * indexing path. `npm run build` (what the tests and benchmarks serve) has it; the release build
 * (`npm run build:release`, `vite build --mode release`) leaves it out.
 */
export function installTestApi(lib: Library): void {
  if (import.meta.env.MODE === 'release') return;
  Object.assign(window, { shoebox: lib, shoeboxLabels: { labelName }, shoeboxFaceMatchThreshold: FACE_MATCH_THRESHOLD });
}
