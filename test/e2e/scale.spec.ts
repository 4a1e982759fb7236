import { test, expect } from '@playwright/test';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { photoDir } from './photos';
import { startEngine, tensorCounts } from './testApi';

// 300 renamed copies of the shared photos (the face-free ones also resized) must index to exact counts,
// searchable, without the workers' tensor count growing.
const DIR = resolve(import.meta.dirname, '../.tmp/scale300');
const COPIES = 25;
const RESIZE = ['cat_720p.jpg', 'hot_dog.jpg', 'parrot.jpg', 'owl.jpg'];

test('300 photos: counts, search and a flat tensor count', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/?backend=wasm');
  const shared = photoDir('shared');
  const names = readdirSync(shared).filter((f) => f !== 'LICENSE');
  expect(names).toHaveLength(12);

  // Resized copies are made by the browser's own encoder: no image tool is needed on the machine.
  const resized: Record<string, Buffer> = {};
  for (const name of RESIZE) {
    const b64 = readFileSync(join(shared, name)).toString('base64');
    const out = await page.evaluate(async (b64) => {
      const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
      const c = new OffscreenCanvas(Math.round(bmp.width * 0.6), Math.round(bmp.height * 0.6));
      c.getContext('2d')!.drawImage(bmp, 0, 0, c.width, c.height);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.8 })).arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    }, b64);
    resized[name] = Buffer.from(out, 'base64');
  }
  rmSync(DIR, { recursive: true, force: true });
  for (let i = 0; i < COPIES; i++) {
    const sub = join(DIR, `roll${String(i).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    for (const name of names) {
      const target = join(sub, `IMG_${i}_${name}`);
      if (resized[name] && i % 2 === 1) writeFileSync(target, resized[name]);
      else copyFileSync(join(shared, name), target);
    }
  }

  await startEngine(page);
  const tensorsBefore = await tensorCounts(page);
  await page.getByTestId('folder-input').setInputFiles(DIR);
  await expect(page.getByTestId('progress')).toContainText('Done: 300 photos indexed', { timeout: 840_000 });
  await expect(page.getByTestId('status')).toContainText('300 photos');
  // face.jpg has 4 faces and Grace Hopper 1, in every copy.
  await expect(page.getByTestId('status')).toContainText(`${COPIES * 5} faces`);
  await expect(page.getByTestId('status')).toContainText('0 skipped');

  const search = page.getByRole('combobox', { name: 'Search photos' });
  const paths = () => page.getByTestId('photo').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.path!));
  // The grid is virtual: the count line tells the total, the first rows are in the DOM.
  await search.fill('macaw');
  await expect(page.getByTestId('result-count')).toHaveText(`${COPIES} photos`);
  expect((await paths()).every((p) => p.endsWith('parrot.jpg'))).toBe(true);
  await search.fill('hotdog');
  await expect.poll(async () => (await paths())[0]).toMatch(/hot_dog\.jpg$/);
  const top = await paths();
  expect(top.length).toBeGreaterThanOrEqual(6);
  expect(top.every((p) => p.endsWith('hot_dog.jpg'))).toBe(true);
  await search.fill('');
  await expect(page.getByTestId('result-count')).toHaveCount(0);
  await search.fill('cat');
  await expect(page.getByTestId('result-count')).toHaveText(`${COPIES * 2} photos`);

  const tensorsAfter = await tensorCounts(page);
  expect(tensorsAfter).toEqual(tensorsBefore);
});
