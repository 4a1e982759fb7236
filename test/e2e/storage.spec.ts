import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { menuItem, expectConsistent, openApp, photoCopies, readLibrary, resultPaths, waitForDone } from './app';
import { photoPath } from './photos';
import { waitForLibrary } from './testApi';

// Issue 8: a full disk and a folder permission lost between visits lose nothing already indexed.

test('a full disk stops indexing with a clear message; what was stored stays whole and searchable', async ({ page }) => {
  test.setTimeout(600_000);
  const dir = photoCopies('quota-photos', ['shared/cat_720p.jpg', 'shared/hot_dog.jpg', 'shared/grace_hopper.bmp', 'shared/parrot.jpg'], 16);
  // One pass per photo: a staged run's quick first pass may fit in the two transactions this lets through.
  await openApp(page, '?backend=wasm&staged=off');
  // The first two write transactions go through; from the third on every put fails as on a full disk.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    const seen = new Set<IDBTransaction>();
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'photos') {
        seen.add(this.transaction);
        if (seen.size > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    };
  });
  await page.getByTestId('folder-input').setInputFiles(dir);
  expect(await waitForDone(page)).toMatch(/^Stopped:/);
  const message = await page.getByTestId('progress').getByRole('alert').innerText();
  const m = message.match(/^Storage is full: (\d+) photos indexed, free space or remove thumbnails$/);
  expect(m, message).not.toBeNull();
  const stored = Number(m![1]);
  expect(stored).toBeGreaterThanOrEqual(2);
  expect(stored).toBeLessThan(16);

  const lib = await readLibrary(page);
  expectConsistent(lib);
  expect(lib.photos).toHaveLength(stored);
  expect(lib.queue).toHaveLength(16 - stored);

  // The message's way out: thumbnails go, photos and faces stay.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Remove thumbnails' }).click();
  await expect(page.getByTestId('storage-full')).toContainText(`Removed ${stored} thumbnails`);
  const slim = await readLibrary(page);
  expectConsistent(slim, { thumbnails: false });
  expect(slim.photos.map((p) => [p.path, p.faceCount, p.hasThumb])).toEqual(lib.photos.map((p) => [p.path, p.faceCount, false]));
  await expect(page.getByTestId('status')).toContainText(`${stored} photos`);

  // After a reload (space freed), the stored photos are all there and the rest is offered.
  await page.reload();
  await waitForLibrary(page);
  await expect(page.getByTestId('status')).toContainText(`${stored} photos`);
  await expect(page.getByRole('button', { name: `Resume indexing (${16 - stored} left)` })).toBeVisible();
  // Every stored photo is in the grid (which photos made it in depends on which batches committed first).
  await expect(page.getByTestId('photo')).toHaveCount(stored);
  expect((await resultPaths(page)).sort()).toEqual(lib.photos.map((p) => p.path).sort());
});

async function fillOpfsFolder(page: Page, name: string, rels: string[]) {
  const files = rels.map((rel, i) => ({ name: `${i + 1}-${rel.split('/').pop()}`, b64: readFileSync(photoPath(rel)).toString('base64') }));
  await page.evaluate(
    async ([name, files]) => {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle(name, { create: true });
      for (const f of files) {
        const w = await (await dir.getFileHandle(f.name, { create: true })).createWritable();
        await w.write(Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0)));
        await w.close();
      }
    },
    [name, files] as const,
  );
}

test('permission lost between visits: the app asks again, and the index stays searchable with thumbnails', async ({ page }) => {
  test.setTimeout(600_000);
  // The folder picker hands out a folder of the origin-private file system; the test decides what a
  // permission query answers (a real browser usually answers 'prompt' on a new visit).
  await page.addInitScript(() => {
    const w = window as any;
    w.showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle('Holiday');
    const answer = () => (localStorage.getItem('test-permission') ?? 'granted') as PermissionState;
    const proto = (w.FileSystemHandle ?? w.FileSystemDirectoryHandle).prototype;
    proto.queryPermission = async () => (answer() === 'granted' ? 'granted' : 'prompt');
    proto.requestPermission = async () => answer();
  });
  await openApp(page);
  const rels = ['shared/cat_720p.jpg', 'shared/hot_dog.jpg', 'shared/grace_hopper.bmp', 'shared/cat_1080p.jpg', 'shared/parrot.jpg'];
  await fillOpfsFolder(page, 'Holiday', rels);
  await (await menuItem(page, 'Open folder')).click();
  expect(await waitForDone(page)).toBe(`Done: ${rels.length} photos indexed.`);
  await page.getByRole('combobox', { name: 'Search photos' }).fill('cat');
  await expect(page.getByTestId('photo').first()).toBeVisible();
  const cats = await resultPaths(page);
  expect(cats).toEqual(['1-cat_720p.jpg', '4-cat_1080p.jpg']);

  // Next visit: the browser forgot the grant.
  await page.evaluate(() => localStorage.setItem('test-permission', 'denied'));
  await page.reload();
  await waitForLibrary(page);
  const ask = page.getByTestId('folder-permission');
  await expect(ask).toContainText('needs your permission again to read “Holiday”');
  await page.getByRole('combobox', { name: 'Search photos' }).fill('cat');
  await expect(page.getByTestId('photo').first()).toBeVisible();
  expect(await resultPaths(page)).toEqual(cats);
  const thumbs = page.getByTestId('photo').locator('img');
  await expect(thumbs).toHaveCount(2);
  await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).src.startsWith('blob:') && (i as HTMLImageElement).naturalWidth > 0))).toBe(true);
  await page.getByTestId('photo').first().click();
  await expect(page.getByText('Showing the thumbnail: open the folder again to see the full photo.')).toBeVisible();
  await page.keyboard.press('Escape');

  // Refused: a clear word, nothing lost.
  await ask.getByRole('button', { name: 'Allow access to “Holiday”' }).click();
  await expect(page.getByRole('alert')).toContainText('Shoebox needs permission to read "Holiday"');
  await expect(page.getByTestId('status')).toContainText(`${rels.length} photos`);

  // Granted: the folder is read again and nothing unchanged is re-indexed.
  await page.evaluate(() => localStorage.setItem('test-permission', 'granted'));
  await ask.getByRole('button', { name: 'Allow access to “Holiday”' }).click();
  expect(await waitForDone(page)).toBe(`Done: 0 photos indexed, ${rels.length} unchanged.`);
  await expect(ask).toHaveCount(0);
  expectConsistent(await readLibrary(page));
});
