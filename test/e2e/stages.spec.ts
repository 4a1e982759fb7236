import { test, expect } from '@playwright/test';
import { analyzedPaths, countAnalyzeCalls, expectConsistent, laterAnalyzed, openApp, photoCopies, readLibrary, resultPaths, waitForDone } from './app';

// Issue 18: staged indexing. The first pass (labels) makes every photo searchable by word; faces and the other
// later stages follow, and a tab closed in between resumes with the later stages only.
const TOTAL = 12;
const SOURCES = ['shared/hot_dog.jpg', 'shared/parrot.jpg', 'shared/face.jpg', 'faceapi/sample2.jpg'];

test('a tab closed after the first pass keeps every photo searchable by label; resuming runs only the later stages', async ({ context }) => {
  test.setTimeout(600_000);
  const dir = photoCopies('stages-photos', SOURCES, TOTAL);
  const first = await context.newPage();
  await openApp(first);
  await first.getByTestId('folder-input').setInputFiles(dir);
  // Each stage has its own count; close the tab as soon as every photo has its labels.
  const stages = first.getByTestId('stages');
  await expect(stages).toContainText(`labels ${TOTAL} / ${TOTAL}`, { timeout: 300_000 });
  await expect(stages).toContainText(new RegExp(`faces \\d+ / ${TOTAL}`));
  await first.close();

  const page = await context.newPage();
  await openApp(page);
  const before = await readLibrary(page);
  expectConsistent(before);
  expect(before.photos).toHaveLength(TOTAL);
  expect(before.firstPassQueue).toEqual([]);
  // Photos whose later stages had not landed are still queued, and say so.
  const left = before.queue.length;
  expect(left).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: `Resume indexing (${left} left)` })).toBeVisible();

  // Searchable by label before any of their faces.
  await page.getByRole('combobox', { name: 'Search photos' }).fill('hot dog');
  await page.getByRole('combobox', { name: 'Search photos' }).blur();
  await expect.poll(() => resultPaths(page)).toEqual(['001-hot_dog.jpg', '005-hot_dog.jpg', '009-hot_dog.jpg']);

  await countAnalyzeCalls(page);
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: `Resume indexing (${left} left)` }).click();
  await (await chooser).setFiles(dir);
  const unchanged = TOTAL - left;
  expect(await waitForDone(page)).toBe(`Done: ${left} photos indexed${unchanged ? `, ${unchanged} unchanged` : ''}.`);

  // No photo had its first pass again; exactly the queued ones had their later stages.
  expect(await analyzedPaths(page)).toEqual([]);
  const later = await laterAnalyzed(page);
  expect(later.map((c) => c.path).sort()).toEqual([...before.queue].sort());
  expect(later.every((c) => c.stages.includes('faces'))).toBe(true);

  const after = await readLibrary(page);
  expectConsistent(after);
  expect(after.queue).toEqual([]);
  // The faces of face.jpg and sample2.jpg landed (sample2 is a group photo).
  for (const name of ['003-face.jpg', '004-sample2.jpg']) expect(after.photos.find((p) => p.path === name)?.faceCount).toBeGreaterThan(0);
  await expect(page.getByTestId('status')).toContainText(`${TOTAL} photos`);
  await expect(page.getByTestId('resume')).toHaveCount(0);
});
