import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { restoreDatabase } from '../fixtures/db/snapshot.mjs';
import type { DbSnapshot } from '../fixtures/db/snapshot.d.mts';
import { expectConsistent, openApp, readLibrary, readSchema, resultPaths } from './app';

// Issue 8: a library written by an earlier schema opens in today's app, upgraded in place in Chromium's own
// IndexedDB, with nothing lost: search, thumbnails, faces, skipped files, the queued file.
const FIXTURES = resolve(import.meta.dirname, '../fixtures/db');
const versions = readdirSync(FIXTURES).map((f) => /^shoebox-v(\d+)\.json$/.exec(f)?.[1]).filter(Boolean).map(Number);

for (const v of versions) {
  test(`a library written by schema v${v} opens, upgraded, with everything in it`, async ({ page }) => {
    const snapshot: DbSnapshot = JSON.parse(readFileSync(join(FIXTURES, `shoebox-v${v}.json`), 'utf8'));
    const records = (store: string) => snapshot.stores.find((s) => s.name === store)!.records.map((r) => r.value as any);
    const photos = records('photos');
    // A page of the app's origin that is not the app, so the old database is in place before the app opens it.
    await page.goto('/models/models.json');
    // (Typed loosely: Playwright's serialisable-argument type recurses forever on `unknown` record values.)
    await page.evaluate(restoreDatabase as (s: unknown) => Promise<void>, snapshot as unknown);
    await openApp(page);

    const { version, schemaVersion: current } = await readSchema(page);
    expect(current).toBe(version);
    const lib = await readLibrary(page);
    expectConsistent(lib);
    expect(lib.photos.map((p) => p.path).sort()).toEqual(photos.map((p) => p.path).sort());
    expect(lib.faces).toHaveLength(records('faces').length);

    const indexed = photos.filter((p) => !p.error).length;
    await expect(page.getByTestId('status')).toContainText(`${indexed} photos · ${records('faces').length} faces · ${photos.length - indexed} skipped`);
    await page.getByRole('combobox', { name: 'Search photos' }).fill('cat');
    await expect(page.getByTestId('photo').first()).toBeVisible();
    expect(await resultPaths(page)).toEqual(['cat.jpg']);
    await expect.poll(() => page.getByTestId('photo').locator('img').evaluateAll((imgs) => imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0))).toBe(true);

    // Places (schema 3): the group photo's GPS (near San Jose) is named, after load for libraries stored before.
    expect(photos.find((p) => p.path === '2019/group.jpg').gps).toBeTruthy();
    await page.getByRole('combobox', { name: 'Search photos' }).fill('california');
    await expect.poll(() => resultPaths(page)).toEqual(['2019/group.jpg']);

    // Text in photos (schema 4): the receipt's words still find it, and its text is in the photo view.
    if (v >= 4) {
      await page.getByRole('combobox', { name: 'Search photos' }).fill('text:"thank you"');
      await expect.poll(() => resultPaths(page)).toEqual(['receipt.bmp']);
      await page.getByRole('combobox', { name: 'Search photos' }).fill('espresso');
      await expect.poll(() => resultPaths(page)).toEqual(['receipt.bmp']);
    }

    // The named person's face still finds her photo.
    await page.getByRole('combobox', { name: 'Search photos' }).fill('');
    await page.locator('[data-testid="photo"][data-path="grace.bmp"]').click();
    await page.getByTestId('face-box').first().click();
    await expect(page.getByText('Photos with this face')).toBeVisible();
    expect(await resultPaths(page)).toContain('grace.bmp');

    // The file that was still queued is offered for resuming.
    await expect(page.getByRole('button', { name: `Resume indexing (${records('queue').length} left)` })).toBeVisible();
  });
}
