import { test, expect, type Page } from '@playwright/test';
import { menuItem, expectConsistent, openApp, photoCopies, readLibrary, resultPaths, waitForDone } from './app';

// Issue 8: two tabs on one library. One indexes (it holds a Web Lock); the others follow it live.
const SOURCES = ['shared/cat_720p.jpg', 'shared/hot_dog.jpg', 'shared/parrot.jpg', 'shared/pets.jpg', 'shared/grace_hopper.bmp', 'shared/cat_1080p.jpg'];
const COUNT = 24;

const photosAndNotice = (page: Page) =>
  page.evaluate(() => ({
    photos: document.querySelectorAll('[data-testid="photo"]').length,
    notice: !!document.querySelector('[data-testid="other-tab"]'),
  }));

test('one tab indexes; another shows "indexing in another tab" with live results and cannot start a second run', async ({ context }) => {
  test.setTimeout(600_000);
  const dir = photoCopies('tabs-photos', SOURCES, COUNT);
  const a = await context.newPage();
  const b = await context.newPage();
  await openApp(a);
  await openApp(b);

  // Chromium hangs a folder upload into a tab that is not in front (a test-driver quirk, not the app's).
  await a.bringToFront();
  await a.getByTestId('folder-input').setInputFiles(dir);
  const notice = b.getByTestId('other-tab');
  await expect(notice).toContainText('Indexing in another tab (“tabs-photos”)');
  await expect(await menuItem(b, 'Open folder')).toBeDisabled();
  // Live: photos show up in B while A is still at it.
  await expect.poll(async () => {
    const now = await photosAndNotice(b);
    return now.photos > 0 && now.notice;
  }, { timeout: 300_000 }).toBe(true);

  // A tab opened mid-run knows at once, from the lock, before any progress message.
  const c = await context.newPage();
  await openApp(c);
  await expect(c.getByTestId('other-tab')).toBeVisible();

  // B picking a folder anyway is refused; A's run goes on untouched.
  await b.bringToFront();
  await b.getByTestId('folder-input').setInputFiles(dir);
  await expect(b.getByRole('alert')).toContainText('Another tab is indexing this library');

  expect(await waitForDone(a)).toBe(`Done: ${COUNT} photos indexed.`);
  for (const p of [b, c]) {
    await expect(p.getByTestId('other-tab')).toHaveCount(0);
    await expect(p.getByTestId('status')).toContainText(`${COUNT} photos`);
    await expect(await menuItem(p, 'Open folder')).toBeEnabled();
  }

  const search = async (p: Page, q: string) => {
    await p.getByRole('combobox', { name: 'Search photos' }).fill(q);
    await expect(p.getByTestId('photo').first()).toBeVisible();
    return resultPaths(p);
  };
  const cats = await search(a, 'cat');
  expect(cats.length).toBeGreaterThanOrEqual(8);
  expect(await search(b, 'cat')).toEqual(cats);
  expect(await search(c, 'cat')).toEqual(cats);

  const lib = await readLibrary(b);
  expectConsistent(lib);
  expect(lib.photos).toHaveLength(COUNT);
});
