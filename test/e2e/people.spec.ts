import { test, expect, type Page, type Locator } from '@playwright/test';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { photoPath, putBlob } from './photos';
import { waitForLibrary, waitForPeople, waitForPeopleSaved } from './testApi';

// People in the real app: a folder with several crops of Grace Hopper, a collage of her with the four people
// of face.jpg, and other people (face-api's demo photos), indexed by the real engine on WASM.

const TMP = resolve(import.meta.dirname, `../.tmp/people-${process.pid}`);
const ALBUM = join(TMP, 'album');
const GRACE = ['grace.bmp', 'grace-crop.jpg', 'grace-small.jpg', 'grace-large.jpg', 'grace-portrait.jpg', 'grace-wide.jpg', 'friends.jpg'];
const PHOTO_COUNT = GRACE.length + 4; // + face.jpg, sample1.jpg, sample3.jpg, cat.jpg

type Recipe = {
  /** Photos drawn side by side on one canvas, each scaled to `height`. */
  parts: { blob: string; crop?: [number, number, number, number] }[];
  height?: number;
  scale?: number;
  pad?: number;
  /** Degrees, about the centre. */
  rotate?: number;
};

/** Renders a photo in the page (canvas) from test photos put with putBlob; returns JPEG bytes. */
async function render(page: Page, recipe: Recipe): Promise<Buffer> {
  const b64 = await page.evaluate(async (r: Recipe) => {
    const w = window as unknown as { __blobs: Record<string, Blob> };
    const parts = await Promise.all(
      r.parts.map(async (p) => {
        const bmp = await createImageBitmap(w.__blobs[p.blob]);
        const [sx, sy, sw, sh] = p.crop ?? [0, 0, bmp.width, bmp.height];
        return { bmp, sx, sy, sw, sh };
      }),
    );
    const scale = r.scale ?? 1;
    const pad = r.pad ?? 0;
    const h = r.height ?? Math.max(...parts.map((p) => p.sh));
    const widths = parts.map((p) => (p.sw * h) / p.sh);
    const c = new OffscreenCanvas(Math.round((widths.reduce((a, b) => a + b) + 2 * pad) * scale), Math.round((h + 2 * pad) * scale));
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#888';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.translate(c.width / 2, c.height / 2);
    ctx.rotate(((r.rotate ?? 0) * Math.PI) / 180);
    ctx.translate(-c.width / 2, -c.height / 2);
    let x = pad;
    parts.forEach((p, i) => {
      ctx.drawImage(p.bmp, p.sx, p.sy, p.sw, p.sh, x * scale, pad * scale, widths[i] * scale, h * scale);
      x += widths[i];
    });
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    return new Promise<string>((done) => {
      const fr = new FileReader();
      fr.onload = () => done(String(fr.result).split(',')[1]);
      fr.readAsDataURL(blob);
    });
  }, recipe);
  return Buffer.from(b64, 'base64');
}

async function makeFolder(page: Page) {
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(ALBUM, { recursive: true });
  await putBlob(page, 'shared/grace_hopper.bmp', 'grace');
  await putBlob(page, 'shared/face.jpg', 'face');
  await putBlob(page, 'debian/astronaut.png', 'astronaut');
  copyFileSync(photoPath('shared/grace_hopper.bmp'), join(ALBUM, 'grace.bmp'));
  copyFileSync(photoPath('shared/face.jpg'), join(ALBUM, 'face.jpg'));
  copyFileSync(photoPath('faceapi/sample1.jpg'), join(ALBUM, 'sample1.jpg'));
  copyFileSync(photoPath('faceapi/sample3.jpg'), join(ALBUM, 'sample3.jpg'));
  copyFileSync(photoPath('shared/cat_720p.jpg'), join(ALBUM, 'cat.jpg'));
  // Grace Hopper is 512 × 600, her face at about (171, 122) 181 × 206.
  const copies: Record<string, Recipe> = {
    'grace-crop.jpg': { parts: [{ blob: 'grace', crop: [50, 60, 412, 480] }] },
    'grace-small.jpg': { parts: [{ blob: 'grace' }], scale: 0.6 },
    'grace-large.jpg': { parts: [{ blob: 'grace' }], scale: 1.4 },
    'grace-portrait.jpg': { parts: [{ blob: 'grace', crop: [100, 40, 320, 340] }] },
    'grace-wide.jpg': { parts: [{ blob: 'grace' }], pad: 200, scale: 0.8 },
    // Grace's portrait next to face.jpg (with her whole figure there, the detector misses her face).
    'friends.jpg': { parts: [{ blob: 'grace', crop: [100, 40, 320, 340] }, { blob: 'face' }], height: 355 },
  };
  for (const [name, recipe] of Object.entries(copies)) writeFileSync(join(ALBUM, name), await render(page, recipe));
  // Not in the library: for search by a dropped photo.
  writeFileSync(join(TMP, 'grace-drop.jpg'), await render(page, { parts: [{ blob: 'grace', crop: [130, 70, 260, 300] }], scale: 0.8 }));
  writeFileSync(join(TMP, 'grace-and-astronaut.jpg'), await render(page, { parts: [{ blob: 'grace' }, { blob: 'astronaut' }], height: 500 }));
  copyFileSync(photoPath('debian/astronaut.png'), join(TMP, 'astronaut.png'));
  // Tilted 25° either way, Grace's face is 0.46 from her upright one: too far to join her (centroid radius
  // 0.4), near enough to be suggested (0.5); and the two are 0.5 apart, so they stay two people.
  writeFileSync(join(TMP, 'grace-tilt-left.jpg'), await render(page, { parts: [{ blob: 'grace' }], rotate: -25 }));
  writeFileSync(join(TMP, 'grace-tilt-right.jpg'), await render(page, { parts: [{ blob: 'grace' }], rotate: 25 }));
}

const searchBox = (page: Page) => page.getByRole('combobox', { name: 'Search photos' });
const tiles = (page: Page) => page.getByTestId('person');
/** Unnamed people's tiles with this many photos ("2 photos"). */
const unnamedWith = (page: Page, count: string) =>
  page.getByTestId('unnamed-people').getByTestId('person').filter({ has: page.getByTestId('person-count').getByText(count, { exact: true }) });
const tile = (page: Page, name: string) => page.getByTestId('named-people').getByTestId('person').filter({ has: page.getByText(name, { exact: true }) });

async function paths(page: Page): Promise<string[]> {
  const cells = page.getByTestId('photo');
  return (await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''))).sort();
}

/** Types a query and waits until the grid shows exactly `expected` (by path). */
async function expectSearch(page: Page, query: string, expected: string[]) {
  await searchBox(page).fill(query);
  await expect.poll(() => paths(page), { message: query }).toEqual([...expected].sort());
}

async function openPeople(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People', exact: true }).click();
  await expect(page.getByRole('region', { name: 'People' })).toBeVisible();
}

async function detailPaths(page: Page): Promise<string[]> {
  return (await page.getByTestId('person-face').evaluateAll((els) => els.map((e) => e.getAttribute('data-path') ?? ''))).sort();
}

async function loaded(page: Page) {
  await waitForPeople(page);
  await expect(page.getByTestId('status')).toContainText(`${PHOTO_COUNT} photos`);
}

async function dropFile(target: Locator, page: Page, file: string, type: string) {
  const { readFileSync } = await import('node:fs');
  const b64 = readFileSync(file).toString('base64');
  const name = file.split('/').pop()!;
  const dataTransfer = await page.evaluateHandle(
    ([b64, name, type]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }));
      return dt;
    },
    [b64, name, type] as const,
  );
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

test.describe.serial('people', () => {
  let page: Page;
  let mergedPath = '';

  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await page.goto('/?backend=wasm');
    await waitForLibrary(page);
    await makeFolder(page);
  });
  test.afterAll(async () => {
    await page.close();
    rmSync(TMP, { recursive: true, force: true });
  });

  test('indexing clusters the faces: Grace Hopper is one person in all 7 of her photos, largest first', async () => {
    await page.getByTestId('folder-input').setInputFiles(ALBUM);
    await expect(page.getByTestId('progress')).toContainText(`Done: ${PHOTO_COUNT} photos indexed`, { timeout: 170_000 });
    await openPeople(page);
    await expect(tiles(page).first()).toContainText('Unnamed');
    await expect(tiles(page).first().getByTestId('person-count')).toHaveText('7 photos');
    await expect(page.getByTestId('person-count').filter({ hasText: /^7 photos$/ })).toHaveCount(1);
    // face.jpg's four people are in face.jpg and in the collage; the demo photos' six women in one photo each.
    await expect(page.getByTestId('person-count').filter({ hasText: /^2 photos$/ })).toHaveCount(4);
    await expect(page.getByTestId('person-count').filter({ hasText: /^1 photo$/ })).toHaveCount(6);

    await tiles(page).first().getByRole('button').first().click();
    await expect.poll(() => detailPaths(page)).toEqual([...GRACE].sort());
    await page.getByRole('button', { name: '← All people' }).click();
  });

  test('naming: bulk naming field and the detail view; names are searchable, with - NOT OR only:', async () => {
    await tiles(page).first().getByRole('textbox', { name: 'Name this person' }).fill('Grace');
    await tiles(page).first().getByRole('textbox', { name: 'Name this person' }).press('Enter');
    await expect(tile(page, 'Grace').getByTestId('person-count')).toHaveText('7 photos');

    // Someone from face.jpg (also in the collage) is Bob.
    await unnamedWith(page, '2 photos').first().getByRole('button').first().click();
    await expect.poll(() => detailPaths(page)).toEqual(['face.jpg', 'friends.jpg']);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Bob');
    await page.getByRole('textbox', { name: 'Name', exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Show their photos' }).click();
    await expect(page.getByText('Photos of Bob')).toBeVisible();
    await expect.poll(() => paths(page)).toEqual(['face.jpg', 'friends.jpg']);
    await openPeople(page);
    await expect(tile(page, 'Bob').getByTestId('person-count')).toHaveText('2 photos');

    const grace = GRACE;
    const graceOnly = GRACE.filter((p) => p !== 'friends.jpg');
    await expectSearch(page, 'grace', grace);
    await expect(page.getByTestId('photo').first()).toHaveAttribute('title', /Grace/);
    await expectSearch(page, 'Grace -bob', graceOnly);
    await expectSearch(page, 'grace NOT bob', graceOnly);
    await expectSearch(page, 'grace bob', ['friends.jpg']);
    await expectSearch(page, 'grace OR bob', [...grace, 'face.jpg']);
    await expectSearch(page, 'only:grace', graceOnly);
    await expectSearch(page, 'only:grace,bob', ['friends.jpg']);
    await expectSearch(page, 'bob -grace', ['face.jpg']);
    await expectSearch(page, 'grace cat', []);

    await expectSearch(page, 'grace -zed', grace);
    await expect(page.getByRole('status').filter({ hasText: 'no label or person called zed' })).toBeVisible();
    await expectSearch(page, 'only:grace,zed', []);
    await expect(page.getByRole('status').filter({ hasText: 'no person called zed' })).toBeVisible();
  });

  test('merge and "not this person" are kept across reloads', async () => {
    await openPeople(page);
    // One of the demo photos' women: "same person as Grace" (a wrong merge, fixed below).
    await unnamedWith(page, '1 photo').first().getByRole('button').first().click();
    const [path] = await detailPaths(page);
    mergedPath = path;
    expect(['sample1.jpg', 'sample3.jpg']).toContain(path);
    await page.getByRole('combobox', { name: 'Same person as' }).selectOption({ label: 'Grace (7 photos)' });
    await page.getByRole('button', { name: 'Merge' }).click();
    await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue('Grace');
    await expect(page.getByTestId('person-detail-count')).toHaveText('8 photos');

    await waitForPeopleSaved(page);
    await page.reload();
    await loaded(page);
    await openPeople(page);
    await expect(tile(page, 'Grace').getByTestId('person-count')).toHaveText('8 photos');
    await expectSearch(page, 'grace', [...GRACE, mergedPath]);

    await openPeople(page);
    await tile(page, 'Grace').getByRole('button').first().click();
    await page.getByTestId('person-face').filter({ has: page.locator(`[title="${mergedPath}"]`) }).getByRole('button', { name: 'Not Grace' }).click();
    await expect(page.getByTestId('person-detail-count')).toHaveText('7 photos');

    await waitForPeopleSaved(page);
    await page.reload();
    await loaded(page);
    await openPeople(page);
    await expect(tile(page, 'Grace').getByTestId('person-count')).toHaveText('7 photos');
    await expect(tile(page, 'Bob').getByTestId('person-count')).toHaveText('2 photos');
    await expectSearch(page, 'grace', GRACE);
  });

  test('search by a dropped photo: finds the person, lets you pick among several faces, says when no one matches', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Photos', exact: true }).click();
    await dropFile(searchBox(page), page, join(TMP, 'grace-drop.jpg'), 'image/jpeg');
    await expect.poll(() => paths(page)).toEqual([...GRACE].sort());
    await expect(page.getByTestId('photo').first()).toHaveAttribute('title', /^Grace · distance 0\.\d\d$/);
    await expect(page.getByText('Photos of Grace')).toBeVisible();
    // The dropped photo is not added to the library.
    await expect(page.getByTestId('status')).toContainText(`${PHOTO_COUNT} photos`);
    await page.getByRole('button', { name: 'Show all photos' }).click();
    await expect(page.getByTestId('result-count')).toHaveCount(0); // back to every photo

    // Two faces: the person picks the left one, Grace.
    await page.getByTestId('face-photo-input').setInputFiles(join(TMP, 'grace-and-astronaut.jpg'));
    await expect(page.getByRole('button', { name: /^Look for face \d$/ })).toHaveCount(2);
    await page.getByRole('button', { name: 'Look for face 1' }).click();
    await expect.poll(() => paths(page)).toEqual([...GRACE].sort());
    await expect(page.getByRole('button', { name: /^Look for face \d$/ })).toHaveCount(0);

    // The astronaut is no one in this library.
    await page.getByTestId('face-photo-input').setInputFiles(join(TMP, 'astronaut.png'));
    await expect(page.getByTestId('photo-search').getByRole('status')).toContainText('No match');
    await expect(page.getByTestId('status')).toContainText(`${PHOTO_COUNT} photos`);
  });

  test('face map: a dot per face, click opens its photo; compare two faces shows their distance', async () => {
    await openPeople(page);
    await page.getByRole('link', { name: 'Face map' }).click();
    const map = page.getByTestId('face-map');
    await expect(map).toHaveAttribute('aria-label', /^Face map: \d+ faces/);
    const faces = Number((await map.getAttribute('aria-label'))!.match(/(\d+) faces/)![1]);
    expect(faces).toBeGreaterThanOrEqual(7 + 4 + 4 + 6);

    // Where the dots are: painted pixels of the canvas, in CSS pixels.
    const dots = await map.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const r = c.getBoundingClientRect();
      const found: [number, number][] = [];
      for (let y = 0; y < c.height; y += 2)
        for (let x = 0; x < c.width; x += 2)
          if (data[(y * c.width + x) * 4 + 3] === 255 && found.every(([fx, fy]) => Math.hypot(fx - x, fy - y) > 30)) found.push([x, y]);
      return found.map(([x, y]) => [(x * r.width) / c.width, (y * r.height) / c.height]);
    });
    expect(dots.length).toBeGreaterThanOrEqual(2);
    await map.click({ position: { x: dots[0][0], y: dots[0][1] } });
    await expect(page.getByRole('dialog')).toBeVisible();
    await page.getByRole('button', { name: 'Close (Esc)' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);

    await page.getByRole('checkbox', { name: 'Compare two faces' }).check();
    await map.click({ position: { x: dots[0][0], y: dots[0][1] } });
    await map.click({ position: { x: dots[1][0], y: dots[1][1] } });
    await expect(page.getByTestId('face-distance')).toContainText(/Distance \d\.\d{3}: (same person|different people)/);
  });

  test('new photos: "is this also Grace?" suggestions, answered with N and Y, are remembered', async () => {
    copyFileSync(join(TMP, 'grace-tilt-left.jpg'), join(ALBUM, 'grace-tilt-left.jpg'));
    copyFileSync(join(TMP, 'grace-tilt-right.jpg'), join(ALBUM, 'grace-tilt-right.jpg'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Photos', exact: true }).click();
    await page.getByTestId('folder-input').setInputFiles(ALBUM);
    await expect(page.getByTestId('progress')).toContainText(`Done: 2 photos indexed, ${PHOTO_COUNT} unchanged`, { timeout: 120_000 });
    await openPeople(page);
    const suggestion = page.getByTestId('suggestion');
    await expect(suggestion).toContainText('Is this also Grace?');
    await expect(unnamedWith(page, '1 photo')).toHaveCount(8); // the six women and the two tilted copies
    await expect(tile(page, 'Grace').getByTestId('person-count')).toHaveText('7 photos');

    await page.keyboard.press('n');
    await expect(suggestion).toContainText('Is this also Grace?'); // the other tilted copy
    await page.keyboard.press('y');
    await expect(suggestion).toHaveCount(0);
    await expect(tile(page, 'Grace').getByTestId('person-count')).toHaveText('8 photos');

    await waitForPeopleSaved(page);
    await page.reload();
    await waitForPeople(page);
    await expect(page.getByTestId('status')).toContainText(`${PHOTO_COUNT + 2} photos`);
    await openPeople(page);
    await expect(tile(page, 'Grace').getByTestId('person-count')).toHaveText('8 photos');
    await expect(page.getByTestId('suggestion')).toHaveCount(0);
    await searchBox(page).fill('grace');
    await expect.poll(() => paths(page)).toHaveLength(8);
  });
});
