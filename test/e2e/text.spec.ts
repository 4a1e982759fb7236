import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { photoPath } from './photos';
import { closeSettings, openSettings } from './app';
import { engineInfo, photoByPath, startEngine, waitForLibrary } from './testApi';

// Text in photos, in the production build: the engine worker reads a sign drawn on a real photo (onnxruntime-web's
// WASM under the app's CSP and cross-origin isolation), search finds it by its words, and the photo view draws
// its boxes and lists its text.
const TMP = resolve(import.meta.dirname, '../.tmp/text');

/** A real photo with a sign drawn on it by the browser's canvas. */
async function signOnPhoto(page: Page, src: string, lines: string[]): Promise<Buffer> {
  const b64 = readFileSync(photoPath(src)).toString('base64');
  const url = await page.evaluate(async ({ b64, lines }) => {
    const img = new Image();
    img.src = `data:image/jpeg;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d')!;
    g.drawImage(img, 0, 0);
    const size = Math.round(c.height / 14);
    g.fillStyle = '#fff';
    g.fillRect(c.width * 0.08, c.height * 0.1, c.width * 0.6, size * 1.6 * lines.length + size);
    g.fillStyle = '#111';
    g.font = `bold ${size}px "DejaVu Sans"`;
    g.textBaseline = 'middle';
    lines.forEach((t, i) => g.fillText(t, c.width * 0.1, c.height * 0.1 + size + i * size * 1.6));
    return c.toDataURL('image/jpeg', 0.92);
  }, { b64, lines });
  return Buffer.from(url.split(',')[1], 'base64');
}

test('a photo with a known word is found by it, and its boxes are drawn', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/?backend=wasm');
  const dir = join(TMP, 'library');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cafe.jpg'), await signOnPhoto(page, 'shared/cat_720p.jpg', ['ESPRESSO 2.50', 'OPENING HOURS']));
  copyFileSync(photoPath('shared/owl.jpg'), join(dir, 'owl.jpg'));
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('progress')).toContainText('Done: 2 photos indexed', { timeout: 600_000 });
  const engine = await engineInfo(page);
  expect(engine?.textError ?? null).toBeNull();

  const search = page.getByRole('combobox', { name: 'Search photos' });
  const shows = async (q: string, expected: string[]) => {
    await search.fill(q);
    await search.blur();
    await expect.poll(async () => (await page.getByTestId('photo').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).sort()).toEqual(expected);
  };
  await shows('espresso', ['cafe.jpg']);
  await shows('text:"opening hours"', ['cafe.jpg']);
  await shows('has:text', ['cafe.jpg']);
  await shows('text:owl', []);
  await expect(page.getByRole('status').filter({ hasText: 'no photo with the text “owl”' })).toBeVisible();

  await search.fill('');
  await page.locator('[data-testid=photo][data-path="cafe.jpg"]').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('text-box')).toHaveCount(2);
  // The sign sits in the top-left of the photo: the boxes are drawn there.
  for (const box of await dialog.getByTestId('text-box').all()) {
    const pts = ((await box.getAttribute('points')) ?? '').split(' ').map((p) => p.split(',').map(Number));
    const { photo } = (await photoByPath(page, 'cafe.jpg'))!;
    for (const [x, y] of pts) {
      expect(x / photo.width).toBeLessThan(0.75);
      expect(y / photo.height).toBeLessThan(0.5);
    }
  }
  const text = dialog.getByTestId('text-lines');
  await expect(text).toContainText(/ESPRESSO/);
  await expect(text).toContainText(/OPENING ?HOURS/);
});

test('switched off, text is not read', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=wasm');
  await waitForLibrary(page);
  const sign = await signOnPhoto(page, 'shared/owl.jpg', ['EXIT']);
  await startEngine(page);
  const analyze = () =>
    page.evaluate(async (b64) => {
      const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
      const a = await window.shoeboxTest.analyze(blob, 'sign.jpg');
      return { text: a.text?.map((l) => l.text), ocr: a.stages.ocr };
    }, sign.toString('base64'));
  const on = await analyze();
  expect(on.text).toEqual(['EXIT']);
  expect(on.ocr).toBeGreaterThanOrEqual(0);
  // Switched off in Settings, as a person would; the checkbox is disabled until the engine has taken the change.
  await openSettings(page);
  const readText = page.getByRole('checkbox', { name: /Read text in photos/ });
  await readText.uncheck();
  await expect(readText).not.toBeChecked();
  await expect(readText).toBeEnabled();
  await closeSettings(page);
  const off = await analyze();
  expect(off.text).toBeUndefined();
  expect(off.ocr).toBeUndefined();
});
