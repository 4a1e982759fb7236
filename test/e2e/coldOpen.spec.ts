import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { photoPath } from './photos';
import { openApp, statusCounts, waitForDone } from './app';
import { waitForPeople } from './testApi';

// A reopened library starts from packed snapshots (catalog, faces, embeddings) instead of every record; what the
// user sees after the reopen must be exactly what they saw before, and a change must never be hidden by a stale one.
const DIR = resolve(import.meta.dirname, '../.tmp/coldopen');
const FIRST = ['shared/cat_720p.jpg', 'shared/cat_1080p.jpg', 'shared/parrot.jpg', 'shared/face.jpg', 'shared/grace_hopper.bmp', 'faceapi/sample1.jpg', 'faceapi/sample2.jpg'];

/** Whether the stored snapshots are current, read from a fresh connection. */
function snapshotsCurrent(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('shoebox');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const get = (key: string) =>
      new Promise<any>((res, rej) => {
        const r = db.transaction('meta').objectStore('meta').get(key);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    const [photos, faces, catalog, header, embeddings] = await Promise.all(
      ['photosGeneration', 'facesGeneration', 'snapshot:catalog', 'snapshot:faces', 'snapshot:embeddings'].map(get),
    );
    db.close();
    return catalog?.generation === photos && embeddings?.generation === photos && header?.generation === faces;
  });
}

const used = (page: Page) =>
  page.evaluate(() => (performance.getEntriesByName('shoebox:snapshots-used')[0] as PerformanceMark | undefined)?.detail ?? null);

async function view(page: Page) {
  const search = page.getByRole('combobox', { name: 'Search photos' });
  const paths = () => page.getByTestId('photo').evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.path} ${e.getAttribute('title')}`));
  const out: Record<string, string[]> = {};
  for (const q of ['macaw', 'cat', 'person', 'uniform']) {
    await search.fill(q);
    // The grid renders a frame after the count: wait until every counted photo has its cell (all fit on screen).
    const count = Number((await page.getByTestId('result-count').textContent())?.match(/^(\d+)/)?.[1]);
    await expect(page.getByTestId('photo')).toHaveCount(count);
    out[q] = await paths();
  }
  await search.fill('');
  return out;
}

test('a reopened library comes back the same from its snapshots, and a change is never hidden by them', async ({ page }) => {
  test.setTimeout(600_000);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  for (const p of FIRST) copyFileSync(photoPath(p), join(DIR, p.split('/')[1]));

  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(DIR);
  expect(await waitForDone(page)).toContain('Done: 7 photos indexed');
  const status = await page.getByTestId('status').innerText();
  const before = await view(page);
  expect(before.macaw[0]).toMatch(/^parrot\.jpg /);
  // The app writes its snapshots once the library is quiet.
  await expect.poll(() => snapshotsCurrent(page), { timeout: 60_000 }).toBe(true);

  await page.reload();
  await waitForPeople(page);
  expect(await used(page)).toEqual({ catalog: true, embeddings: true, faces: true });
  // The engine is not started on a reopen with nothing to index: the counts are what must come back.
  await expect.poll(async () => statusCounts(await page.getByTestId('status').innerText())).toBe(statusCounts(status));
  expect(await view(page)).toEqual(before);

  // Faces from the snapshot: Grace Hopper's face still finds her photo, at distance 0.
  await page.getByRole('combobox', { name: 'Search photos' }).fill('uniform');
  await page.locator('[data-testid="photo"][data-path="grace_hopper.bmp"]').click();
  await page.getByRole('dialog').getByTestId('face-box').click();
  await expect(page.getByTestId('photo').first()).toHaveAttribute('title', /face distance 0\.00/);
  await expect(page.getByTestId('photo').first()).toHaveAttribute('data-path', 'grace_hopper.bmp');
  // "More like this" works from the embeddings snapshot: the other cat.
  await page.getByRole('button', { name: 'Show all photos' }).click();
  await page.getByRole('combobox', { name: 'Search photos' }).fill('cat');
  await page.locator('[data-testid="photo"][data-path="cat_720p.jpg"]').click();
  await page.getByRole('dialog').getByRole('button', { name: 'More like this' }).click();
  await expect(page.getByTestId('photo').first()).toHaveAttribute('data-path', 'cat_1080p.jpg');
  await page.getByRole('button', { name: 'Show all photos' }).click();

  // One more photo: the snapshots are stale now, and a reload must show the new photo whether or not they were rewritten.
  copyFileSync(photoPath('shared/hot_dog.jpg'), join(DIR, 'hot_dog.jpg'));
  await page.getByTestId('folder-input').setInputFiles(DIR);
  expect(await waitForDone(page)).toContain('Done: 1 photo indexed, 7 unchanged');
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('8 photos');
  await page.getByRole('combobox', { name: 'Search photos' }).fill('hotdog');
  await expect(page.getByTestId('photo').first()).toHaveAttribute('data-path', 'hot_dog.jpg');
});
