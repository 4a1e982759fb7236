import { test, expect } from '@playwright/test';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exifSegment, insertSegment } from '../../scripts/make-bad-fixtures.mjs';
import { openApp, waitForDone, watchForInjection } from './app';
import { photoPath } from './photos';

// Issue 8: file names and EXIF strings are text, never markup. Any alert() from them fails the test.
const DIR = resolve(import.meta.dirname, '../.tmp/xss-photos');
const PHOTO_NAME = '<img src=x onerror=alert(1)>.jpg';
const SKIPPED_NAME = '<img src=x onerror=alert(2)> broken.jpg';
const SVG_NAME = '<svg onload=alert(4)>.png';
const MAKE = '<img src=x onerror=alert(3)>';
const MODEL = '<script>alert(5)</script>';

test('names and EXIF strings that look like HTML are shown as text and run nothing', async ({ page }) => {
  test.setTimeout(300_000);
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const cat = readFileSync(photoPath('shared/cat_720p.jpg'));
  writeFileSync(join(DIR, PHOTO_NAME), cat);
  writeFileSync(join(DIR, SKIPPED_NAME), '<html><body onload="alert(6)">not a photo</body></html>');
  writeFileSync(join(DIR, SVG_NAME), readFileSync(photoPath('debian/chelsea.png')));
  writeFileSync(join(DIR, 'camera.jpg'), insertSegment(readFileSync(photoPath('shared/hot_dog.jpg')), exifSegment({ make: MAKE, model: MODEL })));

  const incidents = watchForInjection(page);
  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(DIR);
  expect(await waitForDone(page)).toBe('Done: 3 photos indexed, 1 skipped.');

  // A cell is named by its file name, as text.
  const cell = page.getByRole('link', { name: PHOTO_NAME, exact: true });
  await expect(cell).toHaveAttribute('data-path', PHOTO_NAME);
  await expect(page.getByRole('link', { name: SVG_NAME, exact: true })).toHaveCount(1);
  const skipped = page.getByTestId('skipped');
  await skipped.locator('summary').click();
  await expect(skipped.locator('li')).toHaveText(`${SKIPPED_NAME}: not an image`);

  await cell.click();
  const view = page.locator('dialog.photoview');
  await expect(view.locator('h2')).toHaveText(PHOTO_NAME);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="photo"][data-path="camera.jpg"]').click();
  await expect(view).toContainText(`${MAKE} ${MODEL}`);

  // Nothing was turned into elements: no <img src=x>, no stray <script> or <svg onload>.
  const injected = await page.evaluate(() => ({
    imgX: document.querySelectorAll('img[src="x"]').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    svgOnload: document.querySelectorAll('svg[onload]').length,
    bodyOnload: document.querySelectorAll('[onload], [onerror]').length,
  }));
  expect(injected).toEqual({ imgX: 0, scripts: 0, svgOnload: 0, bodyOnload: 0 });
  expect(incidents).toEqual([]);
});
