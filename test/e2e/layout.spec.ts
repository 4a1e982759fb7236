import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openApp, waitForDone } from './app';
import { photoDir } from './photos';
import { VIEWPORTS } from './viewports';

// The app a person meets, at a phone's, a tablet's and a laptop's size, light and dark: nothing scrolls sideways,
// the search is there, a photo opens and closes by keyboard and by touch, and axe finds nothing serious.

const search = (page: Page) => page.getByRole('combobox', { name: 'Search photos' });
const viewer = (page: Page) => page.getByRole('dialog');

/** Serious and critical axe violations on what is on screen now, as "rule: target" lines. */
async function axe(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${n.failureSummary?.split('\n')[1]?.trim() ?? ''})`));
}

async function noHorizontalOverflow(page: Page) {
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: innerWidth }));
  expect(widths.doc, 'page wider than the viewport').toBeLessThanOrEqual(widths.view);
  expect(widths.body, 'body wider than the viewport').toBeLessThanOrEqual(widths.view);
}

/** A one-finger swipe or a two-finger pinch on an element, as touch pointer events. */
async function gesture(page: Page, selector: string, fingers: { from: [number, number]; to: [number, number] }[]) {
  await page.locator(selector).evaluate((el, fingers) => {
    const r = el.getBoundingClientRect();
    const at = (p: [number, number]) => ({ clientX: r.left + p[0] * r.width, clientY: r.top + p[1] * r.height });
    const send = (type: string, id: number, p: [number, number]) =>
      el.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: 'touch', isPrimary: id === 1, bubbles: true, ...at(p) }));
    fingers.forEach((f, i) => send('pointerdown', i + 1, f.from));
    for (let step = 1; step <= 5; step++) {
      fingers.forEach((f, i) => send('pointermove', i + 1, [f.from[0] + ((f.to[0] - f.from[0]) * step) / 5, f.from[1] + ((f.to[1] - f.from[1]) * step) / 5]));
    }
    fingers.forEach((f, i) => send('pointerup', i + 1, f.to));
  }, fingers);
}

test.describe.serial('layout and accessibility', () => {
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(600_000);
    // axe needs a page of a context made with browser.newContext().
    page = await (await browser.newContext({ hasTouch: true })).newPage();
    await openApp(page);
    // The welcome page, before any photo.
    await expect(page.getByRole('button', { name: 'Open a folder' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Try the sample photos' })).toBeVisible();
    expect(await axe(page)).toEqual([]);
    await page.getByTestId('folder-input').setInputFiles(photoDir('shared'));
    await waitForDone(page);
  });
  test.afterAll(() => page.context().close());

  for (const [name, size] of Object.entries(VIEWPORTS)) {
    for (const scheme of ['light', 'dark'] as const) {
      test(`${name} ${size.width}×${size.height}, ${scheme}`, async () => {
        test.setTimeout(300_000);
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto('/?backend=wasm');
        await expect(page.getByTestId('photo').first()).toBeVisible();
        await expect(search(page)).toBeVisible();
        await noHorizontalOverflow(page);
        expect(await page.evaluate(() => getComputedStyle(document.body).colorScheme)).toBe(scheme);
        expect(await axe(page), 'photos').toEqual([]);

        // Keyboard: a cell opens with Enter, the arrows step, Esc closes and focus returns to the photo shown last.
        const cells = page.getByTestId('photo');
        await cells.first().focus();
        await page.keyboard.press('Enter');
        await expect(viewer(page)).toBeVisible();
        const first = await viewer(page).getAttribute('aria-label');
        await page.keyboard.press('ArrowRight');
        await expect(viewer(page)).not.toHaveAttribute('aria-label', first!);
        const second = (await viewer(page).getAttribute('aria-label'))!;
        await noHorizontalOverflow(page);
        expect(await axe(page), 'photo view').toEqual([]);
        // Focus stays inside the dialog.
        for (let i = 0; i < 12; i++) {
          await page.keyboard.press('Tab');
          expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
        }
        await page.keyboard.press('Escape');
        await expect(viewer(page)).toHaveCount(0);
        await expect(page.locator(`[data-testid=photo][data-path="${second}"]`)).toBeFocused();

        // Touch: a tap opens, a swipe left steps, two fingers zoom, a tap on Close closes.
        const box = (await cells.first().boundingBox())!;
        await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
        await expect(viewer(page)).toHaveAttribute('aria-label', first!);
        await gesture(page, '.photoview .stage', [{ from: [0.8, 0.5], to: [0.2, 0.5] }]);
        await expect(viewer(page)).toHaveAttribute('aria-label', second);
        await gesture(page, '.photoview .stage', [{ from: [0.45, 0.5], to: [0.3, 0.5] }, { from: [0.55, 0.5], to: [0.7, 0.5] }]);
        await expect(page.getByTestId('photo-stage')).toHaveAttribute('style', /scale\((?!1\))[\d.]+\)/);
        const close = (await viewer(page).getByRole('button', { name: 'Close (Esc)' }).boundingBox())!;
        await page.touchscreen.tap(close.x + close.width / 2, close.y + close.height / 2);
        await expect(viewer(page)).toHaveCount(0);

        // Touch targets on narrow screens.
        if (size.width < 720) {
          const small = await page.locator('.topbar button, .topbar a, .mainnav a').evaluateAll((els) =>
            els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => [e.getAttribute('aria-label') ?? e.textContent?.trim(), e.getBoundingClientRect().height] as const).filter(([, h]) => h < 40),
          );
          expect(small).toEqual([]);
        }

        // Every other page and dialog.
        await search(page).fill('cat');
        await search(page).blur();
        await expect(page.getByTestId('result-count')).toBeVisible();
        await noHorizontalOverflow(page);
        expect(await axe(page), 'search').toEqual([]);
        for (const [label, url, ready] of [
          ['people', '/people', page.getByTestId('person').first()],
          ['explore', '/explore', page.getByTestId('explore-things')],
          ['duplicates', '/duplicates', page.getByTestId('duplicate-group').first()],
          ['face map', '/people/map', page.getByTestId('face-map')],
        ] as const) {
          await page.goto(`${url}?backend=wasm`);
          await expect(ready).toBeVisible();
          await noHorizontalOverflow(page);
          expect(await axe(page), label).toEqual([]);
        }
        // A person's page, from the People page.
        await page.goto('/people?backend=wasm');
        await page.getByTestId('person').first().getByRole('button').first().click();
        await expect(page.getByTestId('person-detail')).toBeVisible();
        await noHorizontalOverflow(page);
        expect(await axe(page), 'person').toEqual([]);
        await page.getByRole('button', { name: 'More', exact: true }).click();
        await expect(page.locator('#app-menu')).toBeVisible();
        await noHorizontalOverflow(page);
        expect(await axe(page), 'menu').toEqual([]);
        await page.locator('#app-menu').getByRole('button', { name: 'Settings' }).click();
        await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
        expect(await axe(page), 'settings').toEqual([]);
        await page.keyboard.press('Escape');
        await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
      });
    }
  }

  test('the theme toggle switches light and dark, and the choice is kept', async () => {
    await page.setViewportSize(VIEWPORTS.laptop);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/?backend=wasm');
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.getByRole('button', { name: 'Use the dark theme' }).click();
    await expect.poll(bg).not.toBe(light);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Use the light theme' })).toBeVisible();
    await page.getByRole('button', { name: 'Use the light theme' }).click();
    await expect.poll(bg).toBe(light);
  });
});
