import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import piexif from 'piexifjs';
import { photoPath } from './photos';
import { closeSettings, menuItem, openSettings } from './app';

// The real app on the production build: index a folder of real photos, then search it as a user does.
const TMP = resolve(import.meta.dirname, '../.tmp/search');

function makeFolder(name: string, files: Record<string, string>): string {
  const dir = join(TMP, name);
  rmSync(dir, { recursive: true, force: true });
  for (const [dest, src] of Object.entries(files)) {
    mkdirSync(join(dir, dest, '..'), { recursive: true });
    copyFileSync(photoPath(src), join(dir, dest));
  }
  return dir;
}

/** A copy of a JPEG with EXIF DateTimeOriginal (and camera) set, as a phone would write it. */
function withExif(dir: string, dest: string, src: string, taken: string, camera?: [string, string]): void {
  const jpeg = readFileSync(photoPath(src)).toString('binary');
  const zeroth: Record<number, string> = {};
  if (camera) [zeroth[piexif.ImageIFD.Make], zeroth[piexif.ImageIFD.Model]] = camera;
  const exif = piexif.dump({ '0th': zeroth, Exif: { [piexif.ExifIFD.DateTimeOriginal]: taken } });
  mkdirSync(join(dir, dest, '..'), { recursive: true });
  writeFileSync(join(dir, dest), Buffer.from(piexif.insert(exif, jpeg), 'binary'));
}

async function indexFolder(page: Page, dir: string, count: number) {
  await page.goto('/?backend=wasm');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('progress')).toContainText(`Done: ${count} photos indexed`, { timeout: 600_000 });
}

const search = (page: Page) => page.getByRole('combobox', { name: 'Search photos' });
const photos = (page: Page) => page.getByTestId('photo');
const paths = async (page: Page) => (await photos(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).sort();

async function query(page: Page, text: string) {
  await search(page).fill(text);
  // Leaves the box, so the suggestions close (Escape would clear a search field).
  await search(page).blur();
}

test.describe('search a real library', () => {
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(900_000);
    const files: Record<string, string> = {};
    for (const f of ['cat_720p.jpg', 'cat_1080p.jpg', 'hot_dog.jpg', 'parrot.jpg', 'owl.jpg', 'pets.jpg', 'kite_and_cold.jpg', 'face.jpg', 'grace_hopper.bmp', 'sunflower.bmp']) {
      files[`shared/${f}`] = `shared/${f}`;
    }
    files['farm/person.jpg'] = 'debian/person.jpg'; // a person, a dog and a horse
    files['farm/horses.jpg'] = 'debian/horses.jpg';
    const dir = makeFolder('library', files);
    page = await browser.newPage();
    await indexFolder(page, dir, Object.keys(files).length);
  });
  test.afterAll(() => page.close());

  test('"dog" gives the two dogs, not the hot dog nor the cats, most sure first, saying how sure', async () => {
    await query(page, 'dog');
    const found = await paths(page);
    expect(found).toContain('shared/pets.jpg');
    for (const p of ['shared/hot_dog.jpg', 'shared/cat_720p.jpg', 'shared/cat_1080p.jpg', 'shared/parrot.jpg', 'shared/face.jpg', 'shared/sunflower.bmp']) expect(found).not.toContain(p);
    await expect(page.locator('[data-testid=photo][data-path="shared/pets.jpg"]')).toHaveAttribute('title', /^dog \d+%/);
    await expect(page.getByRole('status').filter({ hasText: /no label/ })).toHaveCount(0);
  });

  test('"hot dog" gives the hot dog; "puppies" the dogs; "car" no animal', async () => {
    await query(page, 'hot dog');
    await expect.poll(() => paths(page)).toEqual(['shared/hot_dog.jpg']);
    await query(page, 'puppies');
    await expect.poll(() => paths(page)).toContain('shared/pets.jpg');
    expect(await paths(page)).not.toContain('shared/hot_dog.jpg');
    await query(page, 'car');
    for (const p of ['shared/pets.jpg', 'shared/cat_720p.jpg', 'shared/cat_1080p.jpg', 'shared/owl.jpg', 'shared/parrot.jpg', 'farm/horses.jpg']) expect(await paths(page)).not.toContain(p);
  });

  test('"bird" finds the macaw and the owl; "food" finds the hot dog', async () => {
    await query(page, 'bird');
    const birds = await paths(page);
    expect(birds).toEqual(expect.arrayContaining(['shared/parrot.jpg', 'shared/owl.jpg']));
    expect(birds).not.toContain('shared/pets.jpg');
    await query(page, 'food');
    expect(await paths(page)).toContain('shared/hot_dog.jpg');
    await expect(photos(page).first()).toHaveAttribute('data-path', 'shared/hot_dog.jpg');
  });

  test('"people" finds the photos with people, from their faces and person boxes', async () => {
    for (const word of ['people', 'person']) {
      await query(page, word);
      const people = await paths(page);
      expect(people).toEqual(expect.arrayContaining(['shared/face.jpg', 'shared/grace_hopper.bmp']));
      for (const p of ['shared/pets.jpg', 'shared/cat_720p.jpg', 'shared/sunflower.bmp', 'shared/hot_dog.jpg']) expect(people).not.toContain(p);
    }
    await query(page, 'group');
    expect(await paths(page)).toContain('shared/face.jpg');
    expect(await paths(page)).not.toContain('shared/grace_hopper.bmp');
    await expect(page.locator('[data-testid=photo][data-path="shared/face.jpg"]')).toHaveAttribute('title', /\d+ people/);
  });

  test('a prefix says what it shows; an unknown word says so with the nearest known words', async () => {
    await query(page, 'maca');
    await expect(page.getByText('no label called maca; showing macaw')).toBeVisible();
    await expect.poll(() => paths(page)).toEqual(['shared/parrot.jpg']);
    await query(page, 'dgo');
    await expect(page.getByText('no label or person called dgo; did you mean dog?')).toBeVisible();
    await expect(photos(page)).toHaveCount(0);
  });

  test('the photo view draws the two dogs’ boxes with labels', async () => {
    await query(page, 'dog');
    await page.locator('[data-testid=photo][data-path="shared/pets.jpg"]').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('object-box')).toHaveCount(2);
    for (const box of await dialog.getByTestId('object-box').all()) {
      await expect(box).toHaveAttribute('data-label', 'dog');
      await expect(box).toContainText(/dog \d+%/);
    }
    await expect(dialog.getByTestId('objects')).toContainText('dog');
    await dialog.getByRole('button', { name: /Close/ }).click();
  });

  test('autocomplete suggests labels and folders of this library, with counts', async () => {
    await search(page).fill('');
    await search(page).pressSequentially('do');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    const dog = list.getByRole('option').filter({ hasText: /^label\s+dog\s+\d+$/ });
    await expect(dog).toHaveCount(1);
    const count = Number((await dog.locator('.count').textContent())!.trim());
    expect(count).toBeGreaterThanOrEqual(1);
    await dog.click();
    await expect(search(page)).toHaveValue('dog ');
    await expect(photos(page)).toHaveCount(count);

    await search(page).fill('fa');
    const farm = page.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').filter({ hasText: /folder\s+farm\s+2/ });
    await expect(farm).toHaveCount(1);
    await search(page).press('ArrowDown');
    await expect(page.getByRole('option', { selected: true })).toHaveCount(1);
    await farm.click();
    await expect(search(page)).toHaveValue('folder:farm ');
    expect(await paths(page)).toEqual(['farm/horses.jpg', 'farm/person.jpg']);
  });

  test('the cat pair forms one duplicate group, no other photo joins it, and the 1080p copy is the one to keep', async () => {
    await query(page, '');
    await (await menuItem(page, 'Duplicates', 'link')).click();
    const groups = page.getByTestId('duplicate-group');
    await expect(groups).toHaveCount(1);
    const members = await groups.first().getByTestId('duplicate').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')).sort());
    expect(members).toEqual(['shared/cat_1080p.jpg', 'shared/cat_720p.jpg']);
    const keep = groups.first().locator('[data-testid=duplicate]', { has: page.getByTestId('keep') });
    await expect(keep).toHaveAttribute('data-path', 'shared/cat_1080p.jpg');
    await expect(keep).toContainText('Keep: largest resolution');
    await expect(groups.first()).toContainText('1920 × 1080');
    await expect(groups.first()).toContainText('1280 × 720');
    await page.getByRole('link', { name: 'Back to all photos' }).click();
    await expect(photos(page).first()).toBeVisible();
  });

  test('"more like this" on the 720p cat lists the 1080p cat first', async () => {
    await query(page, 'cat');
    await page.locator('[data-testid=photo][data-path="shared/cat_720p.jpg"]').click();
    await page.getByRole('dialog').getByRole('button', { name: 'More like this' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(photos(page).first()).toHaveAttribute('data-path', 'shared/cat_1080p.jpg');
    await expect(photos(page).first()).toHaveAttribute('title', /\d+% similar/);
    expect(await paths(page)).not.toContain('shared/cat_720p.jpg');
  });
});

test('year: finds exactly the photos whose EXIF date is in that year; objects can be switched off', async ({ page }) => {
  test.setTimeout(600_000);
  const dir = join(TMP, 'exif');
  rmSync(dir, { recursive: true, force: true });
  withExif(dir, 'trip/dog.jpg', 'debian/dog.jpg', '2019:07:14 10:30:00', ['Google', 'Pixel 3']);
  withExif(dir, 'trip/eagle.jpg', 'debian/eagle.jpg', '2019:12:31 23:00:00');
  withExif(dir, 'later/giraffe.jpg', 'debian/giraffe.jpg', '2021:03:02 09:00:00');
  mkdirSync(join(dir, 'nodate'), { recursive: true });
  copyFileSync(photoPath('debian/horses.jpg'), join(dir, 'nodate/horses.jpg'));
  // The file date says 2021, the EXIF date 2019: the EXIF date wins.
  utimesSync(join(dir, 'trip/dog.jpg'), new Date('2021-06-01'), new Date('2021-06-01'));

  await page.goto('/?backend=wasm');
  await openSettings(page);
  const objects = page.getByRole('checkbox', { name: /Find objects/ });
  await expect(objects).toBeChecked();
  await objects.uncheck();
  await expect(objects).not.toBeChecked();
  await expect(objects).toBeEnabled();
  await closeSettings(page);
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('progress')).toContainText('Done: 4 photos indexed', { timeout: 600_000 });

  await query(page, 'year:2019');
  await expect.poll(() => paths(page)).toEqual(['trip/dog.jpg', 'trip/eagle.jpg']);
  await query(page, 'year:2021');
  await expect.poll(() => paths(page)).toEqual(['later/giraffe.jpg']);
  await query(page, 'after:2019-12 before:2020');
  await expect.poll(() => paths(page)).toEqual(['trip/eagle.jpg']);
  await query(page, 'camera:pixel');
  await expect.poll(() => paths(page)).toEqual(['trip/dog.jpg']);
  await query(page, 'year:2019 -folder:trip');
  await expect(photos(page)).toHaveCount(0);

  // With objects off, photos get labels but no object boxes.
  await query(page, 'year:2019');
  await page.locator('[data-testid=photo][data-path="trip/dog.jpg"]').click();
  await expect(page.getByRole('dialog').getByTestId('labels').locator('li').first()).toBeVisible();
  await expect(page.getByRole('dialog').getByTestId('object-box')).toHaveCount(0);
  await page.getByRole('dialog').getByRole('button', { name: /Close/ }).click();

  // Browsing groups by month, newest first, with a timeline that jumps to a month.
  await query(page, '');
  const months = page.getByTestId('month');
  await expect(months.filter({ hasText: 'July 2019' })).toHaveCount(1);
  await expect(months.filter({ hasText: 'March 2021' })).toContainText('1 photo');
  const timeline = page.getByRole('navigation', { name: 'Timeline' });
  // Each month's heading is followed by its own photos, newest first.
  const gridOrder = () =>
    page.locator('[data-testid=month], [data-testid=photo]').evaluateAll((els) =>
      els.map((e) => (e.getAttribute('data-testid') === 'month' ? e.firstChild!.textContent!.trim() : e.getAttribute('data-path'))),
    );
  await expect.poll(async () => (await gridOrder()).slice(0, 6)).toEqual(['March 2021', 'later/giraffe.jpg', 'December 2019', 'trip/eagle.jpg', 'July 2019', 'trip/dog.jpg']);
  await timeline.getByRole('button', { name: /July 2019/ }).click();
  await expect(months.filter({ hasText: 'July 2019' })).toBeInViewport();
  await expect(timeline.getByRole('button', { name: /July 2019/ })).toHaveAttribute('aria-current', 'true');
  // The undated copy sits at its own (older) month, after the dog.
  await expect.poll(async () => (await gridOrder()).slice(-3)).toEqual(['trip/dog.jpg', expect.stringMatching(/^\w+ \d{4}$/), 'nodate/horses.jpg']);

  // The arrow keys step through the grid's photos in its order, and stop at its ends.
  await page.locator('[data-testid=photo][data-path="trip/dog.jpg"]').click();
  const viewer = page.getByRole('dialog');
  await expect(viewer).toHaveAccessibleName('trip/dog.jpg');
  await viewer.press('ArrowRight');
  await expect(viewer).toHaveAccessibleName('nodate/horses.jpg');
  await viewer.press('ArrowRight');
  await expect(viewer).toHaveAccessibleName('nodate/horses.jpg');
  for (const path of ['trip/dog.jpg', 'trip/eagle.jpg', 'later/giraffe.jpg', 'later/giraffe.jpg']) {
    await viewer.press('ArrowLeft');
    await expect(viewer).toHaveAccessibleName(path);
  }
  // Closing a photo opened here goes back in history: reload once that step has landed, or the reload is aborted.
  const backDone = page.evaluate(() => new Promise((done) => addEventListener('popstate', () => done(null), { once: true })));
  await viewer.getByRole('button', { name: /Close/ }).click();
  await backDone;

  // The setting is kept in the library.
  await page.reload();
  await openSettings(page);
  await expect(page.getByRole('checkbox', { name: /Find objects/ })).not.toBeChecked();
});
