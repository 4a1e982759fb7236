import { test, expect, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { menuItem, analyzedPaths, statusCounts, countAnalyzeCalls, expectConsistent, openApp, photoCopies, readLibrary, resultPaths, waitForDone } from './app';
import { photoPath } from './photos';

// Issue 8: the index travels as one file, and comes back with the same search results.
const SOURCES = ['shared/cat_720p.jpg', 'shared/hot_dog.jpg', 'shared/grace_hopper.bmp', 'faceapi/sample1.jpg', 'shared/parrot.jpg', 'shared/cat_1080p.jpg'];

async function results(page: Page, query: string): Promise<string[]> {
  await page.getByRole('combobox', { name: 'Search photos' }).fill(query);
  await expect(page.getByTestId('photo').first()).toBeVisible();
  return resultPaths(page);
}

/** "6 photos · 5 faces · 0 skipped · export-photos" of the status line. */

async function importFile(page: Page, path: string) {
  await page.getByTestId('import-input').setInputFiles(path);
}

test('export, wipe, import: same search results, and re-pointing at the folder re-indexes nothing', async ({ browser }) => {
  test.setTimeout(600_000);
  const dir = photoCopies('export-photos', SOURCES, SOURCES.length);
  const tmp = join(dir, '..');

  const before = await browser.newContext();
  const page = await before.newPage();
  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(dir);
  await waitForDone(page);
  const cats = await results(page, 'cat');
  const macaws = await results(page, 'macaw');
  const status = await page.getByTestId('status').innerText();
  expect(cats).toEqual(['001-cat_720p.jpg', '006-cat_1080p.jpg']);
  // Places: face-api's group photo carries GPS near San Jose; its place travels with the index.
  expect(await results(page, 'california')).toEqual(['004-sample1.jpg']);

  const download = page.waitForEvent('download');
  await (await menuItem(page, 'Export index')).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('shoebox-index-v1.json.gz');
  const exported = join(tmp, 'shoebox-index-v1.json.gz');
  await file.saveAs(exported);
  await expect(page.getByTestId('index-file-message')).toContainText('Exported the index of 6 photos');
  const json = JSON.parse(gunzipSync(readFileSync(exported)).toString());
  expect(json).toMatchObject({ format: 'shoebox-index', version: 1, schemaVersion: 4, folderName: 'export-photos', thumbnails: false });
  expect(json.photos).toHaveLength(SOURCES.length);
  expect(json.faces.length).toBeGreaterThanOrEqual(4);
  expect(json.photos.filter((p: { place?: unknown }) => p.place).map((p: { place: unknown }) => p.place)).toEqual([expect.objectContaining({ city: 'San Jose', region: 'California', cc: 'US' })]);
  await before.close();

  // A new, empty profile.
  const after = await browser.newContext();
  const fresh = await after.newPage();
  await openApp(fresh);
  await expect(fresh.getByTestId('status')).toContainText('0 photos');
  await importFile(fresh, exported);
  await expect(fresh.getByTestId('index-file-message')).toContainText(`Imported ${SOURCES.length} photos, ${json.faces.length} faces and 0 people. Open “export-photos” again`);
  await expect(fresh.getByTestId('status')).toContainText(statusCounts(status));
  expect(await results(fresh, 'cat')).toEqual(cats);
  expect(await results(fresh, 'macaw')).toEqual(macaws);
  expect(await results(fresh, 'san jose')).toEqual(['004-sample1.jpg']);
  // Faces came along with their descriptors: searching by Grace Hopper's face finds her photo.
  await fresh.getByRole('combobox', { name: 'Search photos' }).fill('');
  await fresh.locator('[data-testid="photo"][data-path="003-grace_hopper.bmp"]').click();
  await fresh.getByTestId('face-box').first().click();
  await expect(fresh.getByText('Photos with this face')).toBeVisible();
  expect(await resultPaths(fresh)).toContain('003-grace_hopper.bmp');
  await fresh.getByRole('button', { name: 'Show all photos' }).click();

  // Pointing at the same folder analyses nothing.
  await countAnalyzeCalls(fresh);
  await fresh.getByTestId('folder-input').setInputFiles(dir);
  expect(await waitForDone(fresh)).toBe(`Done: 0 photos indexed, ${SOURCES.length} unchanged.`);
  expect(await analyzedPaths(fresh)).toEqual([]);
  // Exported without thumbnails (the default): the grid shows the originals while the folder is open.
  expectConsistent(await readLibrary(fresh), { thumbnails: false });
  await fresh.setViewportSize({ width: 1280, height: 1600 }); // the month-grouped grid is virtual: show all six
  await expect.poll(() => fresh.getByTestId('photo').locator('img').evaluateAll((imgs) => imgs.length === 6 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);

  // Importing over a library that is not empty asks first; saying no changes nothing.
  const dialogs: string[] = [];
  fresh.once('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await importFile(fresh, exported);
  await expect.poll(() => dialogs).toEqual([expect.stringContaining('already has an index of 6 photos')]);
  await expect(fresh.getByTestId('status')).toContainText(`${SOURCES.length} photos`);
  await after.close();
});

test('a newer version, a damaged file or a photo are refused with a clear error and change nothing', async ({ browser }) => {
  test.setTimeout(300_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  await openApp(page);
  const dir = photoCopies('export-bad', ['shared/cat_720p.jpg', 'shared/hot_dog.jpg'], 2);
  await page.getByTestId('folder-input').setInputFiles(dir);
  await waitForDone(page);
  const download = page.waitForEvent('download');
  await (await menuItem(page, 'Export index')).click();
  const good = readFileSync(await (await download).path());
  const json = JSON.parse(gunzipSync(good).toString());

  const tmp = join(dir, '..');
  const newer = join(tmp, 'newer.json.gz');
  writeFileSync(newer, gzipSync(JSON.stringify({ ...json, version: 2 })));
  const damaged = join(tmp, 'damaged.json.gz');
  writeFileSync(damaged, good.subarray(0, good.length - 40));
  const before = await readLibrary(page);

  const cases: [string, RegExp][] = [
    [newer, /newer version of Shoebox \(format v2; this one reads v1\)\. Update Shoebox to import it; nothing was changed\./],
    [damaged, /The index file is damaged and cannot be imported; nothing was changed\./],
    [photoPath('shared/cat_720p.jpg'), /“cat_720p.jpg” is not a Shoebox index\. Choose a shoebox-index-v1\.json\.gz file/],
  ];
  for (const [file, message] of cases) {
    // No confirm is expected: a bad file is refused before the question of replacing comes up.
    page.once('dialog', (d) => void d.accept());
    await importFile(page, file);
    await expect(page.getByRole('alert')).toHaveText(message);
    expect(await readLibrary(page)).toEqual(before);
    await expect(page.getByTestId('status')).toContainText('2 photos');
  }
  await context.close();
});
