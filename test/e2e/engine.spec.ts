import { test, expect, type Page } from '@playwright/test';
import { putBlob } from './photos';
import { analyzeError, startEngine, type AnalysisJson } from './testApi';

// The engine in the real worker on WASM, through the same pool the app indexes with.
type Analysis = AnalysisJson;

const CAT = [281, 282, 283, 284, 285]; // tabby, tiger cat, Persian, Siamese, Egyptian cat
const DOG_BREEDS = Array.from({ length: 118 }, (_, i) => 151 + i);

async function openEngine(page: Page) {
  await page.goto('/?backend=wasm');
  const info = await startEngine(page);
  expect(info.backend).toBe('wasm');
  expect(info.labelsError).toBeNull();
}

async function analyze(page: Page, rel: string, transform?: { scale?: number; quality?: number; crop?: number; mirror?: boolean }): Promise<Analysis> {
  await putBlob(page, rel);
  return page.evaluate(
    async ([rel, transform]) => {
      let blob: Blob = window.__blobs[rel];
      if (transform) {
        const bmp = await createImageBitmap(blob);
        const { scale = 1, quality = 0.92, crop = 0, mirror = false } = transform;
        const sx = bmp.width * crop, sy = bmp.height * crop;
        const sw = bmp.width - 2 * sx, sh = bmp.height - 2 * sy;
        const c = new OffscreenCanvas(Math.round(sw * scale), Math.round(sh * scale));
        const ctx = c.getContext('2d')!;
        if (mirror) ctx.setTransform(-1, 0, 0, 1, c.width, 0);
        ctx.drawImage(bmp, sx, sy, sw, sh, 0, 0, c.width, c.height);
        blob = await c.convertToBlob({ type: 'image/jpeg', quality });
      }
      return window.shoeboxTest.analyze(blob, rel);
    },
    [rel, transform ?? null] as const,
  );
}

const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
const top = (a: Analysis, k: number) => a.labels.slice(0, k).map((l) => l.classIndex);
const THRESHOLD = 0.5;

test.describe('engine on real photos (WASM)', () => {
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await openEngine(page);
  });
  test.afterAll(() => page.close());

  test('labels: cat, hot dog, macaw, dogs, beach; never background', async () => {
    const cat = await analyze(page, 'shared/cat_720p.jpg');
    expect(top(cat, 5).some((c) => CAT.includes(c))).toBe(true);
    expect(cat.labels.length).toBeGreaterThanOrEqual(3);
    expect(cat.labels.length).toBeLessThanOrEqual(10);
    expect(cat.labels.every((l) => l.classIndex > 0 && l.score >= 0 && l.score <= 1)).toBe(true);
    expect(top(await analyze(page, 'shared/hot_dog.jpg'), 5)).toContain(935);
    expect(top(await analyze(page, 'shared/parrot.jpg'), 5)).toContain(89);
    expect(top(await analyze(page, 'shared/pets.jpg'), 5).some((c) => DOG_BREEDS.includes(c))).toBe(true);
    expect(top(await analyze(page, 'shared/kite_and_cold.jpg'), 5).some((c) => c === 978 || c === 979)).toBe(true);
  });

  test('the same cat at 720p and 1080p gets nearly the same labels', async () => {
    const a = await analyze(page, 'shared/cat_720p.jpg');
    const b = await analyze(page, 'shared/cat_1080p.jpg');
    expect(b.width).toBe(1920);
    expect(a.labels[0].classIndex).toBe(b.labels[0].classIndex);
    expect(new Set(top(a, 3))).toEqual(new Set(top(b, 3)));
    expect(Math.abs(a.labels[0].score - b.labels[0].score)).toBeLessThan(0.1);
  });

  test('finds every face a person would count, boxes in original pixels', async () => {
    const counts: Record<string, number> = {
      'shared/face.jpg': 4, 'shared/grace_hopper.bmp': 1,
      'faceapi/sample1.jpg': 3, 'faceapi/sample2.jpg': 3, 'faceapi/sample3.jpg': 3,
      'faceapi/sample4.jpg': 4, 'faceapi/sample5.jpg': 5, 'faceapi/sample6.jpg': 4,
    };
    for (const [rel, n] of Object.entries(counts)) {
      const a = await analyze(page, rel);
      expect(a.faces.length, rel).toBe(n);
      for (const f of a.faces) {
        expect(f.descriptor).toHaveLength(128);
        expect(f.landmarks).toHaveLength(136);
        const [x, y, w, h] = f.box;
        expect(x + w / 2).toBeGreaterThan(0);
        expect(x + w / 2).toBeLessThan(a.width);
        expect(y + h / 2).toBeLessThan(a.height);
      }
    }
    // Grace Hopper's face is in the upper middle of a 512×600 portrait.
    const grace = await analyze(page, 'shared/grace_hopper.bmp');
    const [x, y, w, h] = grace.faces[0].box;
    expect(x + w / 2).toBeGreaterThan(180);
    expect(x + w / 2).toBeLessThan(340);
    expect(y + h / 2).toBeLessThan(300);
  });

  test('no faces in animal, food and landscape photos (the cat is no face)', async () => {
    for (const rel of ['shared/cat_720p.jpg', 'shared/pets.jpg', 'shared/parrot.jpg', 'shared/owl.jpg', 'shared/hot_dog.jpg', 'shared/bird.bmp', 'debian/chelsea.png', 'debian/dog.jpg']) {
      expect((await analyze(page, rel)).faces.length, rel).toBe(0);
    }
  });

  test('a face matches its rescaled, re-encoded, cropped and mirrored copies; different people do not match', async () => {
    const original = (await analyze(page, 'shared/grace_hopper.bmp')).faces[0].descriptor;
    const copies = [{ scale: 0.6, quality: 0.7 }, { scale: 1.5 }, { crop: 0.1 }, { mirror: true }];
    for (const t of copies) {
      const copy = await analyze(page, 'shared/grace_hopper.bmp', t);
      expect(copy.faces, JSON.stringify(t)).toHaveLength(1);
      expect(dist(original, copy.faces[0].descriptor), JSON.stringify(t)).toBeLessThan(THRESHOLD);
    }
    let above = 0, pairs = 0;
    for (const rel of ['faceapi/sample1.jpg', 'faceapi/sample2.jpg', 'faceapi/sample3.jpg', 'faceapi/sample4.jpg', 'faceapi/sample5.jpg', 'faceapi/sample6.jpg', 'shared/face.jpg']) {
      const faces = (await analyze(page, rel)).faces;
      for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++, pairs++) if (dist(faces[i].descriptor, faces[j].descriptor) >= THRESHOLD) above++;
    }
    expect(pairs).toBeGreaterThan(30);
    expect(above / pairs).toBeGreaterThan(0.9);
  });

  test('every format a camera or the web produces: JPEG, PNG, WebP, BMP, AVIF; HEIC gets a clear reason', async () => {
    for (const type of ['image/png', 'image/webp']) {
      await putBlob(page, 'shared/face.jpg', 'src');
      const faces = await page.evaluate(async (type) => {
        const bmp = await createImageBitmap(window.__blobs.src);
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        c.getContext('2d')!.drawImage(bmp, 0, 0);
        const blob = await c.convertToBlob({ type, quality: 0.9 });
        return (await window.shoeboxTest.analyze(blob, 'x')).faces.length;
      }, type);
      expect(faces, type).toBe(4);
    }
    expect((await analyze(page, 'formats/face.avif')).faces).toHaveLength(4);
    expect((await analyze(page, 'shared/grace_hopper.bmp')).faces).toHaveLength(1);
    await putBlob(page, 'formats/face.heic', 'heic');
    const heic = await analyzeError(page, { blob: 'heic' }, 'x.heic');
    expect(heic).toBe('HEIC not supported by this browser');
  });

  test('unreadable files get a short reason', async () => {
    const reason = (bytes: number[]) => analyzeError(page, bytes, 'bad');
    expect(await reason([])).toContain('empty file');
    expect(await reason([...new TextEncoder().encode('hello, this is text')])).toContain('not an image');
    expect(await reason([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5])).toContain('corrupt JPEG');
  });

  test('tensor count after 200 photos equals that after 10', async () => {
    // 200 photos through every stage (faces, labels, embedding, objects) take minutes on 2 WASM workers.
    test.setTimeout(900_000);
    await putBlob(page, 'shared/face.jpg', 'small');
    const run = (n: number) =>
      page.evaluate(async (n) => {
        const api = window.shoeboxTest;
        await Promise.all(Array.from({ length: n }, () => api.analyze(window.__blobs.small, 'small')));
        return api.tensorCounts();
      }, n);
    const after10 = await run(10);
    const after200 = await run(190);
    expect(after200).toEqual(after10);
  });
});
