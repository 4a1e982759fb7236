import { test, expect, type Page } from '@playwright/test';
import { BAD_DIR, NESTED_DIR, ORIENTATION_SOURCE, makeBadFixtures } from '../../scripts/make-bad-fixtures.mjs';
import { expectConsistent, openApp, readLibrary, waitForDone, watchForInjection } from './app';
import { putBlob } from './photos';
import { facesOf, photoByPath, startEngine } from './testApi';

// The messy folder of issue 8, indexed through the folder input as a user would pick it.
const SKIPPED: Record<string, string> = {
  'empty.jpg': 'empty file',
  'notes.jpg': 'not an image',
  'truncated.jpg': 'corrupt JPEG (truncated: the file is cut short)',
  'garbage in the middle.jpg': 'corrupt JPEG',
  'bad-crc.png': 'corrupt PNG',
  'one-pixel.png': 'too small (1×1 px)',
  'heic header only (no picture).heic': 'HEIC not supported by this browser',
  'drawing.svg': 'SVG drawings are not indexed',
};
const ORIENTED = Array.from({ length: 8 }, (_, i) => `orientation/orientation-${i + 1}.jpg`);
const INDEXED = [
  'huge-50mp.jpg', 'cmyk.jpg', '16-bit.png', 'animated.gif', '🐱 my cat – photo (1).jpg', `${NESTED_DIR}/deep parrot.jpg`,
  'no-faces.jpg', '30-faces.jpg', ...ORIENTED,
];
const CAT = [281, 282, 283, 284, 285, 286];

type Box = [number, number, number, number];
const iou = (a: Box, b: Box) => {
  const ix = Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]));
  const iy = Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));
  return (ix * iy) / (a[2] * a[3] + b[2] * b[3] - ix * iy);
};

interface Stored {
  width: number;
  height: number;
  labels: number[];
  boxes: Box[];
}

async function stored(page: Page, path: string): Promise<Stored | null> {
  const r = await photoByPath(page, path);
  return r && { width: r.photo.width, height: r.photo.height, labels: r.photo.labels.map((l) => l[0]), boxes: r.faces.map((f) => f.box) };
}

test.describe('a folder of bad, odd and huge files', () => {
  test.use({ viewport: { width: 1280, height: 1600 } });
  let page: Page;
  let incidents: string[];

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(600_000);
    page = await browser.newPage();
    incidents = watchForInjection(page);
    await openApp(page);
    await startEngine(page);
    // The face collage is cut around faces this same engine finds, so the corpus is built with the app.
    await makeBadFixtures(page, BAD_DIR);
    await page.getByTestId('folder-input').setInputFiles(BAD_DIR);
    await waitForDone(page);
  });
  test.afterAll(() => page.close());

  test('every file is indexed or listed with its reason; nothing crashes or runs', async () => {
    await expect(page.getByTestId('progress')).toContainText(`Done: ${INDEXED.length} photos indexed, ${Object.keys(SKIPPED).length} skipped.`);
    await expect(page.getByTestId('status')).toContainText(`${INDEXED.length} photos`);
    await expect(page.getByTestId('status')).toContainText(`${Object.keys(SKIPPED).length} skipped`);

    const skipped = page.getByTestId('skipped');
    await skipped.locator('summary').click();
    await expect(skipped.locator('summary')).toHaveText(`Skipped (${Object.keys(SKIPPED).length})`);
    const lines = await skipped.locator('li').allInnerTexts();
    expect(lines.sort()).toEqual(Object.entries(SKIPPED).map(([path, reason]) => `${path}: ${reason}`).sort());

    const lib = await readLibrary(page);
    expectConsistent(lib);
    expect(lib.photos.filter((p) => !p.error).map((p) => p.path).sort()).toEqual([...INDEXED].sort());
    expect(lib.queue).toEqual([]);
    // Chromium's folder upload does not follow the `loop -> .` symlink, so nothing is listed twice.
    expect(lib.photos.filter((p) => p.path.startsWith('loop/'))).toEqual([]);
    // The SVG's script and onload handler never ran.
    expect(incidents).toEqual([]);
  });

  test('odd encodings decode: 50 MP downscaled, CMYK, 16-bit, the first frame of a GIF', async () => {
    const huge = await stored(page, 'huge-50mp.jpg');
    expect([huge!.width, huge!.height]).toEqual([8660, 5774]);
    expect(huge!.labels.slice(0, 5).some((c) => CAT.includes(c))).toBe(true);
    // A CMYK decoded with the wrong inversion is a negative, which is no cat.
    expect((await stored(page, 'cmyk.jpg'))!.labels.slice(0, 3).some((c) => CAT.includes(c))).toBe(true);
    expect((await stored(page, '16-bit.png'))!.boxes).toHaveLength(1);
    // Frame 1 is Grace Hopper, frame 2 a cat.
    const gif = await stored(page, 'animated.gif');
    expect(gif!.boxes).toHaveLength(1);
    expect(gif!.labels.slice(0, 5).some((c) => CAT.includes(c))).toBe(false);
  });

  test('emoji, spaces and 20 folders deep are found by search like any photo', async () => {
    const search = page.getByRole('combobox', { name: 'Search photos' });
    await search.fill('cat');
    await expect(page.locator('[data-testid="photo"][data-path="🐱 my cat – photo (1).jpg"]')).toBeVisible();
    await search.fill('macaw');
    await expect(page.locator(`[data-testid="photo"][data-path="${NESTED_DIR}/deep parrot.jpg"]`)).toBeVisible();
    await search.fill('');
  });

  test('no faces in a hot dog, 30 in the collage, and the viewer shows all 30 boxes', async () => {
    expect((await stored(page, 'no-faces.jpg'))!.boxes).toHaveLength(0);
    expect((await stored(page, '30-faces.jpg'))!.boxes).toHaveLength(30);
    await page.locator('[data-testid="photo"][data-path="30-faces.jpg"]').click();
    await expect(page.getByTestId('face-box')).toHaveCount(30);
    await page.keyboard.press('Escape');
    await expect(page.locator('dialog.photoview')).toHaveCount(0);
  });

  test('EXIF orientations 1–8: the boxes land on the faces of the upright photo', async () => {
    await putBlob(page, ORIENTATION_SOURCE, 'upright');
    const upright: Box[] = (await facesOf(page, 'upright')).map((f) => f.box);
    expect(upright).toHaveLength(3);
    for (const path of ORIENTED) {
      const s = await stored(page, path);
      expect([s!.width, s!.height], path).toEqual([1920, 1280]);
      expect(s!.boxes, path).toHaveLength(upright.length);
      for (const u of upright) expect(Math.max(...s!.boxes.map((b) => iou(u, b))), `${path}: face at ${u}`).toBeGreaterThan(0.6);
    }
    // What the user sees: the rotated photo's boxes, drawn in the viewer, sit where the upright faces are.
    await page.locator('[data-testid="photo"][data-path="orientation/orientation-6.jpg"]').click();
    const boxes = page.getByTestId('face-box');
    await expect(boxes).toHaveCount(3);
    const drawn = await boxes.evaluateAll((rects) => rects.map((r) => ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a))) as Box));
    for (const u of upright) expect(Math.max(...drawn.map((b) => iou(u, b)))).toBeGreaterThan(0.6);
    await page.keyboard.press('Escape');
  });
});
