import { test, expect, type Page } from '@playwright/test';
import { cpSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { photoDir, photoPath, putBlob } from './photos';
import { closePhotoOpenedFromGrid, menuItem } from './app';

// The real app: pick a folder, index into IndexedDB, search by word and by face.
const TMP = resolve(import.meta.dirname, '../.tmp/library');

async function indexFolder(page: Page, dir: string) {
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('progress')).toContainText('Done', { timeout: 170_000 });
}

async function search(page: Page, q: string) {
  await page.getByRole('combobox', { name: 'Search photos' }).fill(q);
}

const paths = (page: Page) => page.getByTestId('photo').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.path));

test.describe.configure({ mode: 'serial' });

test('index the shared photos, then search by word and by face; the index survives a reload', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await indexFolder(page, photoDir('shared'));
  await expect(page.getByTestId('progress')).toContainText('Done: 12 photos indexed');
  await expect(page.getByTestId('status')).toContainText('12 photos');
  await expect(page.getByTestId('status')).toContainText('5 faces');

  await search(page, 'cat');
  await expect.poll(() => paths(page).then((p) => p.slice(0, 2).sort())).toEqual(['cat_1080p.jpg', 'cat_720p.jpg']);
  await expect(page.getByTestId('photo').first()).toHaveAttribute('title', /cat \d+%/i);

  await search(page, 'hotdog');
  await expect.poll(() => paths(page)).toContain('hot_dog.jpg');
  expect((await paths(page))[0]).toBe('hot_dog.jpg');
  await search(page, 'macaw');
  await expect.poll(() => paths(page)).toEqual(['parrot.jpg']);
  await search(page, 'MACA'); // a prefix, any case, runs as the name it starts, and says so
  await expect.poll(() => paths(page)).toEqual(['parrot.jpg']);
  await expect(page.getByRole('status').filter({ hasText: 'no label called maca; showing macaw' })).toBeVisible();
  await search(page, 'zebra');
  await expect(page.getByTestId('photo')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'no photo here shows zebra' })).toBeVisible();

  // Empty query: every photo (the grid is virtual: the first rows are in the DOM).
  await search(page, '');
  await expect(page.getByTestId('result-count')).toHaveCount(0);
  await expect.poll(async () => (await paths(page)).length).toBeGreaterThanOrEqual(6);

  // Click Grace Hopper's face: her photo, not the four people of face.jpg.
  await search(page, 'uniform');
  await page.locator('[data-testid="photo"][data-path="grace_hopper.bmp"]').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('labels')).toContainText('uniform');
  await expect(dialog.getByTestId('face-box')).toHaveCount(1);
  await dialog.getByTestId('face-box').click();
  await expect(page.getByText('Photos with this face')).toBeVisible();
  await expect.poll(() => paths(page)).toEqual(['grace_hopper.bmp']);
  await expect(page.getByTestId('photo').first()).toHaveAttribute('title', /face distance 0\.00/);

  // Reload: nothing is lost, and picking the same folder again re-processes nothing.
  await page.reload();
  await expect(page.getByTestId('status')).toContainText('12 photos');
  await search(page, 'macaw');
  await expect.poll(() => paths(page)).toEqual(['parrot.jpg']);
  await indexFolder(page, photoDir('shared'));
  await expect(page.getByTestId('progress')).toContainText('Done: 0 photos indexed, 12 unchanged');
});

test('incremental: an added photo is the only one processed, a removed one disappears', async ({ page }) => {
  rmSync(TMP, { recursive: true, force: true });
  const dir = join(TMP, 'album');
  mkdirSync(dir, { recursive: true });
  for (const f of ['cat_720p.jpg', 'hot_dog.jpg', 'parrot.jpg', 'face.jpg']) copyFileSync(photoPath(`shared/${f}`), join(dir, f));
  await page.goto('/?backend=wasm');
  page.on('dialog', (d) => d.accept()); // "replace the index of another folder?"
  await indexFolder(page, dir);
  await expect(page.getByTestId('progress')).toContainText('Done: 4 photos indexed');

  mkdirSync(join(dir, 'trip'), { recursive: true });
  copyFileSync(photoPath('shared/owl.jpg'), join(dir, 'trip/owl.jpg'));
  await indexFolder(page, dir);
  await expect(page.getByTestId('progress')).toContainText('Done: 1 photo indexed, 4 unchanged');
  await search(page, 'bird'); // a burrowing owl: no ImageNet class of its own, but a bird
  await expect.poll(() => paths(page)).toContain('trip/owl.jpg');

  rmSync(join(dir, 'parrot.jpg'));
  await indexFolder(page, dir);
  await expect(page.getByTestId('progress')).toContainText('Done: 0 photos indexed, 4 unchanged, 1 removed');
  await search(page, 'macaw');
  await expect(page.getByTestId('photo')).toHaveCount(0);
  await expect(page.getByTestId('status')).toContainText(' 4 photos');
});

test('the directory-handle path (showDirectoryPicker stubbed with an OPFS folder) indexes and searches the same', async ({ page }) => {
  await page.goto('/?backend=wasm');
  for (const f of ['cat_720p.jpg', 'hot_dog.jpg', 'grace_hopper.bmp']) await putBlob(page, `shared/${f}`, f);
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('pics', { recursive: true }).catch(() => {});
    const pics = await root.getDirectoryHandle('pics', { create: true });
    const sub = await pics.getDirectoryHandle('nested', { create: true });
    const blobs = (window as any).__blobs as Record<string, Blob>;
    for (const [name, blob] of Object.entries(blobs)) {
      const target = name === 'hot_dog.jpg' ? sub : pics;
      const w = await (await target.getFileHandle(name, { create: true })).createWritable();
      await w.write(blob);
      await w.close();
    }
    (window as any).showDirectoryPicker = async () => pics;
  });
  page.on('dialog', (d) => d.accept());
  await (await menuItem(page, 'Open folder')).click();
  await expect(page.getByTestId('progress')).toContainText('Done: 3 photos indexed', { timeout: 120_000 });
  await search(page, 'hotdog');
  await expect.poll(() => paths(page)).toEqual(['nested/hot_dog.jpg']);
  // The full photo is read back through the handle.
  await page.getByTestId('photo').first().click();
  await expect(page.getByRole('dialog')).not.toContainText('Showing the thumbnail');
  await closePhotoOpenedFromGrid(page);
  // Next visit: the folder is offered again, one click away.
  await page.reload();
  await expect(await menuItem(page, 'Reopen “pics”')).toBeVisible();
});
