import { test, expect, type Page } from '@playwright/test';
import { openApp, waitForDone } from './app';
import { photoDir } from './photos';

// Every view has a URL: Back and Forward work as people expect, and a reload or a shared link restores the view,
// online and offline (the service worker answers every route with the app shell).

const search = (page: Page) => page.getByRole('combobox', { name: 'Search photos' });
const viewer = (page: Page) => page.getByRole('dialog');
const path = (page: Page) => {
  const u = new URL(page.url());
  u.searchParams.delete('backend');
  return `${u.pathname}${u.search}`;
};

test.describe.serial('routing', () => {
  let page: Page;
  /** The photo opened from the "dog" search, and its accessible name (its path). */
  let photoUrl = '';
  let photoName = '';

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(600_000);
    page = await browser.newPage();
    await openApp(page);
    await page.getByTestId('folder-input').setInputFiles(photoDir('shared'));
    await waitForDone(page);
  });
  test.afterAll(() => page.close());

  test('search "dog", open a photo; Back closes it, Back clears the search, Forward restores both', async () => {
    await search(page).fill('dog');
    await expect(page).toHaveURL(/[?&]q=dog(&|$)/);
    const first = page.getByTestId('photo').first();
    await expect(first).toBeVisible();
    const id = await first.getAttribute('data-photo-id');
    photoName = (await first.getAttribute('data-path'))!;
    await first.click();
    await expect(viewer(page)).toHaveAccessibleName(photoName);
    await expect.poll(() => path(page)).toBe(`/photo/${id}?q=dog`);
    photoUrl = page.url();

    await page.goBack();
    await expect(viewer(page)).toHaveCount(0);
    expect(path(page)).toBe('/?q=dog');
    await expect(search(page)).toHaveValue('dog');
    await expect(page.getByTestId('result-count')).toBeVisible();

    await page.goBack();
    expect(path(page)).toBe('/');
    await expect(search(page)).toHaveValue('');
    await expect(page.getByTestId('result-count')).toHaveCount(0);

    await page.goForward();
    await expect(search(page)).toHaveValue('dog');
    await expect(viewer(page)).toHaveCount(0);
    await page.goForward();
    await expect(viewer(page)).toHaveAccessibleName(photoName);
    await expect(search(page)).toHaveValue('dog');
  });

  test('closing the photo with Esc goes back to the search, focus on its photo', async () => {
    await page.goto(photoUrl);
    await expect(viewer(page)).toHaveAccessibleName(photoName);
    // Opened from a link, the photo has no page behind it in history: closing replaces its entry with the search.
    await page.keyboard.press('Escape');
    await expect(viewer(page)).toHaveCount(0);
    await expect.poll(() => path(page)).toBe('/?q=dog');
    await expect(page.locator(`[data-testid=photo][data-path="${photoName}"]`)).toBeFocused();
  });

  test('a search typed the moment a photo closes is kept, and Back then clears it', async () => {
    await page.goto('/?backend=wasm');
    await search(page).fill('dog');
    await page.getByTestId('photo').first().click();
    await expect(viewer(page)).toBeVisible();
    // A fast typist: "cat" is typed as the photo closes, before the browser's step back in history lands.
    await viewer(page).evaluate((dialog) => {
      dialog.addEventListener('close', () => queueMicrotask(() => {
        const box = document.querySelector<HTMLInputElement>('[role=combobox]')!;
        box.value = 'cat';
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }), { once: true });
    });
    await page.keyboard.press('Escape');
    await expect(viewer(page)).toHaveCount(0);
    await expect.poll(() => path(page)).toBe('/?q=cat');
    await expect(search(page)).toHaveValue('cat');
    await expect(page.getByTestId('photo').first()).toBeVisible();
    await page.goBack();
    await expect(search(page)).toHaveValue('');
    await expect.poll(() => path(page)).toBe('/');
  });

  test('a reload on /photo/… and on ?q=… restores the same view', async () => {
    await page.goto(photoUrl);
    await page.reload();
    await expect(viewer(page)).toHaveAccessibleName(photoName);
    await expect(search(page)).toHaveValue('dog');

    await page.goto(page.url().replace(/\/photo\/\d+/, '/'));
    // The grid paints a frame after the page loads: read it once it shows the search's photos.
    await expect(page.getByTestId('photo').first()).toBeVisible();
    const before = await page.getByTestId('photo').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
    await page.reload();
    await expect(search(page)).toHaveValue('dog');
    await expect.poll(() => page.getByTestId('photo').evaluateAll((els) => els.map((e) => e.getAttribute('data-path')))).toEqual(before);
  });

  test('pages have their own URLs: People, a person, Explore, Duplicates', async () => {
    await page.goto('/?backend=wasm');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'People', exact: true }).click();
    await expect.poll(() => path(page)).toBe('/people');
    await expect(nav.getByRole('link', { name: 'People', exact: true })).toHaveAttribute('aria-current', 'page');
    await page.getByTestId('person').first().getByRole('button').first().click();
    await expect(page.getByTestId('person-detail')).toBeVisible();
    await expect.poll(() => path(page)).toMatch(/^\/people\/\d+$/);
    const personUrl = page.url();
    await nav.getByRole('link', { name: 'Explore', exact: true }).click();
    await expect.poll(() => path(page)).toBe('/explore');
    await expect(page.getByRole('heading', { name: 'Explore', level: 1 })).toBeVisible();
    await page.goBack();
    await expect(page.getByTestId('person-detail')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('person-detail')).toBeVisible();
    expect(page.url()).toBe(personUrl);
    await page.goto('/duplicates?backend=wasm');
    await expect(page.getByTestId('duplicates')).toBeVisible();
  });

  test('offline, a link to a photo or a search still opens that view', async () => {
    await page.goto('/?backend=wasm');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
    await page.context().setOffline(true);
    try {
      const response = await page.goto(photoUrl);
      expect(response?.fromServiceWorker()).toBe(true);
      await expect(viewer(page)).toHaveAccessibleName(photoName);
      await page.goto(page.url().replace(/\/photo\/\d+/, '/'));
      await expect(search(page)).toHaveValue('dog');
      await expect(page.getByTestId('photo').first()).toBeVisible();
      const people = await page.goto('/people?backend=wasm');
      expect(people?.fromServiceWorker()).toBe(true);
      await expect(page.getByRole('region', { name: 'People' })).toBeVisible();
    } finally {
      await page.context().setOffline(false);
    }
  });
});
