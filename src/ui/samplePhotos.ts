import type { SourceEntry } from '../library/types';

/** The sample photos' date: fixed, so their timeline does not depend on when they were installed. */
export const SAMPLE_DATE = 1_700_000_000_000;

/**
 * The sample photos shipped with the app (public/sample, listed in sample.json), as files and the indexer's entries.
 * They come from the app's own origin, so this works offline once installed.
 */
export async function fetchSamplePhotos(baseUrl: string, get: typeof fetch = fetch): Promise<{ files: Map<string, File>; entries: SourceEntry[] }> {
  const list = await get(`${baseUrl}sample/sample.json`);
  if (!list.ok) throw new Error('The sample photos are not installed (run npm run models)');
  const names: string[] = await list.json();
  const files = await Promise.all(
    names.map(async (n) => {
      const r = await get(`${baseUrl}sample/${encodeURIComponent(n)}`);
      if (!r.ok) throw new Error(`The sample photo "${n}" is missing (run npm run models)`);
      return new File([await r.blob()], n, { lastModified: SAMPLE_DATE });
    }),
  );
  const entries: SourceEntry[] = files.map((f) => ({ path: f.name, size: f.size, lastModified: f.lastModified, getFile: async () => f }));
  return { files: new Map(files.map((f) => [f.name, f])), entries };
}
