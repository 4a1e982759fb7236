import type { Page } from '@playwright/test';
import type { AnalysisJson, AnalyzeCall, FaceJson, ShoeboxTestApi, StoredPhoto } from '../../src/ui/testApi';
import type { InitOptions, InitResult } from '../../src/worker/api';

// The e2e tests' typed view of `window.shoeboxTest` (src/ui/testApi.ts): only what a test cannot see or do through
// the UI. Blobs are put into the page with putBlob (photos.ts) and named here by that name.

declare global {
  interface Window {
    shoeboxTest: ShoeboxTestApi;
    /** Test photos put into the page by putBlob (photos.ts). */
    __blobs: Record<string, Blob>;
  }
}

export type { AnalysisJson, AnalyzeCall, FaceJson, StoredPhoto };

/** Waits until the library is open and its photos are loaded. */
export async function waitForLibrary(page: Page): Promise<void> {
  await page.waitForFunction(() => window.shoeboxTest?.opened);
}

/** Waits until faces and people have loaded too (they load behind the grid). */
export async function waitForPeople(page: Page): Promise<void> {
  await page.waitForFunction(() => window.shoeboxTest?.peopleLoaded);
}

/** Waits until the people's changes so far are stored, as they are a moment after a click. */
export async function waitForPeopleSaved(page: Page): Promise<void> {
  await page.evaluate(() => window.shoeboxTest.peopleSaved());
}

/** Starts the engine now and returns what it reports (backend, which models failed). */
export async function startEngine(page: Page): Promise<InitResult> {
  await page.waitForFunction(() => !!window.shoeboxTest);
  return page.evaluate(() => window.shoeboxTest.startEngine());
}

/** What the engine reported when the app started it (null before). */
export function engineInfo(page: Page): Promise<InitResult | null> {
  return page.evaluate(() => window.shoeboxTest.engineInfo);
}

/** Analyses the blob putBlob stored as `name`, without indexing it. */
export function analyzeBlob(page: Page, name: string, path = name): Promise<AnalysisJson> {
  return page.evaluate(([name, path]) => window.shoeboxTest.analyze(window.__blobs[name], path), [name, path] as const);
}

/** Why the engine refuses a file (its error message), or null when it analyses it. */
export function analyzeError(page: Page, bytes: number[] | { blob: string }, path: string): Promise<string | null> {
  return page.evaluate(
    ([bytes, path]) => {
      const blob = 'blob' in bytes ? window.__blobs[bytes.blob] : new Blob([new Uint8Array(bytes)]);
      return window.shoeboxTest.analyze(blob, path).then(() => null, (e: Error) => e.message);
    },
    [bytes, path] as const,
  );
}

/** Face detection alone on the blob putBlob stored as `name`. */
export function facesOf(page: Page, name: string): Promise<FaceJson[]> {
  return page.evaluate((name) => window.shoeboxTest.facesOf(window.__blobs[name]), name);
}

/** Changes what the engine runs; returns the error, if any. */
export function configureEngine(page: Page, analyze: NonNullable<InitOptions['analyze']>): Promise<string | null> {
  return page.evaluate((analyze) => window.shoeboxTest.configureEngine(analyze), analyze);
}

/** Tensors held by each engine worker. */
export function tensorCounts(page: Page): Promise<number[]> {
  return page.evaluate(() => window.shoeboxTest.tensorCounts());
}

/** The stored record and faces of the photo at `path` (null when the library has none). */
export function photoByPath(page: Page, path: string): Promise<StoredPhoto | null> {
  return page.evaluate((path) => window.shoeboxTest.photoByPath(path), path);
}

/** Counts engine calls from now on, by path (the indexer analyses each photo once). */
export async function countAnalyzeCalls(page: Page): Promise<void> {
  await page.evaluate(() => window.shoeboxTest.recordAnalyses());
}

/** What the staged indexer asks the engine for; absent when a photo is analysed whole. */
type StageRequest = { pass?: string; stages?: string[] } | undefined;

/** Photos analysed from the start since countAnalyzeCalls (their first pass, or the whole photo), in order. */
export function analyzedPaths(page: Page): Promise<string[]> {
  return page.evaluate(() => window.shoeboxTest.analyzed.filter((c) => (c.request as StageRequest)?.pass !== 'later').map((c) => c.path));
}

/** Photos given their later stages (faces, objects, embedding, text) since countAnalyzeCalls, with the stages asked for. */
export function laterAnalyzed(page: Page): Promise<{ path: string; stages: string[] }[]> {
  return page.evaluate(() =>
    window.shoeboxTest.analyzed
      .filter((c) => (c.request as StageRequest)?.pass === 'later')
      .map((c) => ({ path: c.path, stages: (c.request as StageRequest)?.stages ?? [] })),
  );
}
