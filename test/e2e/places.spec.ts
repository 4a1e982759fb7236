import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import piexif from 'piexifjs';
import { photoPath } from './photos';
import { closePhotoOpenedFromGrid } from './app';

// Places from the photos' own GPS, named offline: the real app on the production build, driven as a user does.
const TMP = resolve(import.meta.dirname, '../.tmp/places');

/** Degrees as EXIF's three rationals (degrees, minutes, hundredths of seconds). */
function dms(x: number): [number, number][] {
  const a = Math.abs(x);
  return [[Math.floor(a), 1], [Math.floor((a * 60) % 60), 1], [Math.round(((a * 3600) % 60) * 100), 100]];
}

/** A copy of a JPEG with GPS (and a date) in its EXIF, as a phone writes it. */
function withGps(dir: string, dest: string, src: string, lat: number, lon: number, taken = '2019:06:01 12:00:00'): void {
  const gps = {
    [piexif.GPSIFD.GPSLatitudeRef]: lat < 0 ? 'S' : 'N',
    [piexif.GPSIFD.GPSLatitude]: dms(lat),
    [piexif.GPSIFD.GPSLongitudeRef]: lon < 0 ? 'W' : 'E',
    [piexif.GPSIFD.GPSLongitude]: dms(lon),
  };
  const exif = piexif.dump({ Exif: { [piexif.ExifIFD.DateTimeOriginal]: taken }, GPS: gps });
  writeFileSync(join(dir, dest), Buffer.from(piexif.insert(exif, readFileSync(photoPath(src)).toString('binary')), 'binary'));
}

const search = (page: Page) => page.getByRole('combobox', { name: 'Search photos' });
const photos = (page: Page) => page.getByTestId('photo');
const paths = async (page: Page) => (await photos(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).sort();

/** Types a query, leaves the box, and waits for the grid to show `expected` (the count line settles first). */
async function expectFound(page: Page, query: string, expected: string[]) {
  await search(page).fill(query);
  await search(page).blur();
  await expect(page.getByTestId('result-count')).toHaveText(`${expected.length} ${expected.length === 1 ? 'photo' : 'photos'}`);
  expect(await paths(page), query).toEqual([...expected].sort());
}

test.describe('places', () => {
  let page: Page;
  const outside: string[] = [];

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(900_000);
    const dir = join(TMP, 'trips');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    withGps(dir, 'eiffel.jpg', 'shared/cat_720p.jpg', 48.8584, 2.2945); // Paris 7e
    withGps(dir, 'minato.jpg', 'shared/hot_dog.jpg', 35.6586, 139.7454, '2021:04:02 10:00:00'); // Tokyo Tower
    withGps(dir, 'mission.jpg', 'shared/parrot.jpg', 37.7599, -122.4148); // San Francisco
    withGps(dir, 'brooklyn.jpg', 'shared/kite_and_cold.jpg', 40.6782, -73.9442); // New York City
    withGps(dir, 'atlantic.jpg', 'shared/owl.jpg', 0, 0); // the Gulf of Guinea: no country
    copyFileSync(photoPath('shared/cat_1080p.jpg'), join(dir, 'nogps.jpg')); // a cat, and no GPS
    page = await browser.newPage();
    const origin = new URL(test.info().project.use.baseURL!).origin;
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (!['blob:', 'data:'].includes(u.protocol) && u.origin !== origin) outside.push(r.url());
    });
    await page.goto('/?backend=wasm');
    await page.getByTestId('folder-input').setInputFiles(dir);
    await expect(page.getByTestId('progress')).toContainText('Done: 6 photos indexed', { timeout: 600_000 });
  });
  test.afterAll(() => page.close());

  test('city, region and country names find the photos taken there; a photo without GPS is never found', async () => {
    await expectFound(page, 'paris', ['eiffel.jpg']);
    await expectFound(page, 'france', ['eiffel.jpg']);
    await expectFound(page, 'tokyo', ['minato.jpg']); // a ward of Tokyo is Tokyo
    await expectFound(page, 'japan', ['minato.jpg']);
    await expectFound(page, 'california', ['mission.jpg']);
    await expectFound(page, 'new york', ['brooklyn.jpg']);
    await expectFound(page, 'usa', ['brooklyn.jpg', 'mission.jpg']);
    await expect(photos(page).first()).toHaveAttribute('title', /United States/);
    await expectFound(page, 'place:"san francisco"', ['mission.jpg']);
    await expectFound(page, 'country:japan', ['minato.jpg']);
  });

  test('a place combines with labels, negation and dates', async () => {
    await expectFound(page, 'cat', ['eiffel.jpg', 'nogps.jpg']);
    await expectFound(page, 'cat paris', ['eiffel.jpg']);
    await expectFound(page, 'cat -france', ['nogps.jpg']);
    await expectFound(page, 'japan year:2021', ['minato.jpg']);
    await expectFound(page, 'japan year:2019', []);
  });

  test('the autocomplete offers places with their photo counts', async () => {
    await search(page).fill('');
    await search(page).pressSequentially('jap');
    const option = page.getByRole('option').filter({ hasText: 'Japan' });
    await expect(option).toContainText('place');
    await expect(option).toContainText('1');
    await option.click();
    await expect(search(page)).toHaveValue('Japan ');
    await expect(page.getByTestId('result-count')).toHaveText('1 photo');
  });

  test('the photo view shows the place and the coordinates; a photo at sea is an unknown place', async () => {
    await expectFound(page, 'paris', ['eiffel.jpg']);
    await photos(page).first().click();
    await expect(page.getByRole('dialog').getByTestId('place')).toHaveText(/Paris, Île-de-France, France\s+· 48\.85840, 2\.29450/);
    await closePhotoOpenedFromGrid(page);
    await search(page).fill('');
    await page.locator('[data-testid=photo][data-path="atlantic.jpg"]').click();
    await expect(page.getByRole('dialog').getByTestId('place')).toHaveText(/unknown place\s+· 0\.00000, 0\.00000/);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=photo][data-path="nogps.jpg"]').click();
    await expect(page.getByRole('dialog')).toContainText('nogps.jpg');
    await expect(page.getByRole('dialog').getByTestId('place')).toHaveCount(0);
    await page.keyboard.press('Escape');
  });

  test('the Places page lists countries and cities with counts, each one click from its photos', async () => {
    await page.getByRole('link', { name: 'Explore' }).click();
    await expect(page.getByTestId('explore-places').getByRole('link', { name: 'Japan, 1 photo' })).toBeVisible();
    await page.getByRole('link', { name: 'All places' }).click();
    await expect(page).toHaveURL(/\/places(\?|$)/);
    const places = page.getByRole('region', { name: 'Places' });
    await expect(places.getByRole('button', { name: 'United States of America, 2 photos' })).toBeVisible();
    await expect(places.getByRole('button', { name: 'New York City, 1 photo' })).toBeVisible();
    await expect(places.getByRole('button', { name: 'Japan, 1 photo' })).toBeVisible();
    await places.getByRole('button', { name: 'Paris, 1 photo' }).click();
    await expect(search(page)).toHaveValue('place:"Paris, Île-de-France, France"');
    await expect(page.getByTestId('result-count')).toHaveText('1 photo');
    expect(await paths(page)).toEqual(['eiffel.jpg']);
  });

  test('no request left the app’s own origin', () => {
    expect(outside).toEqual([]);
  });
});
