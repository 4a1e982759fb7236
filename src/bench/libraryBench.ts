import { openLibraryDb } from '../library/store/db';
import { buildSyntheticLibrary } from './syntheticLibrary';

/** Driven by scripts/bench-library.mjs: fills the default library database, then the app page is measured. */
Object.assign(window, {
  shoeboxBench: {
    async build(photos: number, seed = 1) {
      const t0 = performance.now();
      const db = await openLibraryDb();
      const lib = await buildSyntheticLibrary(db, { photos, seed });
      db.close();
      const centres = lib.centres.slice(0, 50).map((c) => Array.from(c));
      return { photos: lib.photos, faces: lib.faces, buildMs: Math.round(performance.now() - t0), centres };
    },
  },
});
