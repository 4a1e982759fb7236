import { test, expect } from '@playwright/test';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzedPaths, countAnalyzeCalls, expectConsistent, laterAnalyzed, openApp, readLibrary, waitForDone } from './app';
import { photoPath } from './photos';

// Issue 8: a tab killed mid-index loses nothing committed, and the next visit resumes only what was left.
const DIR = resolve(import.meta.dirname, '../.tmp/resume-photos');
const TOTAL = 301;
const SOURCES = ['shared/cat_720p.jpg', 'shared/hot_dog.jpg', 'shared/parrot.jpg', 'shared/owl.jpg', 'shared/pets.jpg', 'shared/kite_and_cold.jpg', 'shared/face.jpg', 'faceapi/sample2.jpg'];

test.beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  for (let i = 0; i < TOTAL; i++) copyFileSync(photoPath(SOURCES[i % SOURCES.length]), join(DIR, `photo-${String(i + 1).padStart(3, '0')}.jpg`));
});

// Objects and text in photos off: their stages are not queued, which halves the later stages' time on this spec's 301 photos.
const APP = '?backend=wasm&objects=off&text=off';

test('closing the tab mid-index keeps every committed photo whole; resuming processes only the rest', async ({ context }) => {
  test.setTimeout(900_000);
  const first = await context.newPage();
  await openApp(first, APP);
  await first.getByTestId('folder-input').setInputFiles(DIR);
  await expect(first.getByTestId('progress')).toContainText(`/ ${TOTAL}`);
  // Kill it once a few batches are in, while photos are still being analysed and written.
  await expect.poll(async () => (await readLibrary(first)).photos.length, { timeout: 300_000, intervals: [250] }).toBeGreaterThanOrEqual(30);
  await first.close();

  const page = await context.newPage();
  await openApp(page, APP);
  const before = await readLibrary(page);
  expectConsistent(before);
  const committed = before.photos.map((p) => p.path);
  expect(committed.length).toBeGreaterThanOrEqual(30);
  expect(committed.length).toBeLessThan(TOTAL);
  // Every file of the run is either committed or still waiting for its first pass, never both; committed photos
  // that still lack later stages (faces…) stay queued for those.
  const all = Array.from({ length: TOTAL }, (_, i) => `photo-${String(i + 1).padStart(3, '0')}.jpg`);
  expect([...committed, ...before.firstPassQueue].sort()).toEqual(all);
  expect(before.queue.filter((p) => !before.firstPassQueue.includes(p) && !committed.includes(p)), 'queued for later stages without a record').toEqual([]);
  const left = before.queue.length;

  // The index of the committed part is usable at once.
  await expect(page.getByTestId('status')).toContainText(`${committed.length} photos`);
  const resume = page.getByRole('button', { name: `Resume indexing (${left} left)` });
  await expect(resume).toBeVisible();

  await countAnalyzeCalls(page);
  const chooser = page.waitForEvent('filechooser');
  await resume.click();
  // This folder came from <input webkitdirectory>, so the user picks it again.
  await (await chooser).setFiles(DIR);
  const unchanged = TOTAL - left;
  expect(await waitForDone(page, 900_000)).toBe(`Done: ${left} photos indexed${unchanged ? `, ${unchanged} unchanged` : ''}.`);

  // Only the photos without a record had a first pass; only the queued ones had their later stages.
  const analyzed = await analyzedPaths(page);
  expect(analyzed.filter((p) => committed.includes(p)), 'committed photos analysed again').toEqual([]);
  expect([...analyzed].sort()).toEqual([...before.firstPassQueue].sort());
  const later = await laterAnalyzed(page);
  expect(later.map((c) => c.path).sort()).toEqual([...before.queue].sort());
  // Stages switched off are never queued.
  expect([...new Set(later.flatMap((c) => c.stages))].sort()).toEqual(['embedding', 'faces']);

  const after = await readLibrary(page);
  expectConsistent(after);
  expect(after.photos).toHaveLength(TOTAL);
  expect(after.queue).toEqual([]);
  await expect(page.getByTestId('status')).toContainText(`${TOTAL} photos`);
  await expect(page.getByTestId('resume')).toHaveCount(0);
});
