import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { photoDir, putBlob } from './photos';
import { serveDir } from './staticServer';
import { analyzeBlob, startEngine } from './testApi';

// Offline, installable and private (issue 4), on the production build. Service workers are on (Playwright's default).

const DIST = resolve(import.meta.dirname, '../../dist');
const CAT = [281, 282, 283, 284, 285, 286]; // tabby, tiger cat, Persian, Siamese, Egyptian cat, cougar

/** Every URL the context requests (pages, dedicated workers and the service worker), with where its answer came from. */
function recordRequests(context: BrowserContext) {
  const requests: { url: string; fromSw: boolean; failed: string | null }[] = [];
  context.on('requestfinished', async (r) => requests.push({ url: r.url(), fromSw: !!(await r.response())?.fromServiceWorker(), failed: null }));
  context.on('requestfailed', (r) => requests.push({ url: r.url(), fromSw: false, failed: r.failure()?.errorText ?? 'failed' }));
  return requests;
}

/** URLs that are neither the app's origin, nor blob: URLs it made, nor data: URLs. */
function foreign(urls: string[], origin: string): string[] {
  return urls.filter((u) => !(u.startsWith('data:') || new URL(u.startsWith('blob:') ? u.slice(5) : u).origin === origin));
}

/** Waits until the service worker has precached everything (it activates only then) and controls the page. */
async function waitForServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
}

function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

/** Labels a test photo in the page's engine pool. */
async function classify(page: Page, rel: string): Promise<number[]> {
  await putBlob(page, rel);
  return (await analyzeBlob(page, rel)).labels.slice(0, 5).map((l) => l.classIndex);
}

/** Indexes test/photos/shared through the UI and searches it, as a user would. */
async function indexAndSearch(page: Page) {
  await page.getByTestId('folder-input').setInputFiles(photoDir('shared'));
  await expect(page.getByTestId('progress')).toContainText('Done', { timeout: 150_000 });
  await page.getByRole('combobox', { name: 'Search photos' }).fill('cat');
  await expect(page.locator('[data-testid="photo"][data-path$="cat_720p.jpg"]')).toBeVisible();
  await page.getByRole('combobox', { name: 'Search photos' }).fill('hot dog');
  await expect(page.locator('[data-testid="photo"][data-path$="hot_dog.jpg"]')).toBeVisible();
  await expect(page.locator('[data-testid="photo"][data-path$="cat_720p.jpg"]')).toHaveCount(0);
}

test('manifest parses with its icons; the app is installable; the service worker controls the page', async ({ page, baseURL }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestUrl = new URL(href!, page.url()).href;
  const res = await page.request.get(manifestUrl);
  expect(res.ok()).toBe(true);
  const manifest = await res.json();
  expect(manifest).toMatchObject({ name: 'Shoebox', short_name: 'Shoebox', display: 'standalone', start_url: './', scope: './' });
  expect(manifest.description).toBeTruthy();
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  const wanted = [
    ['192x192', 'any'],
    ['512x512', 'any'],
    ['512x512', 'maskable'],
  ];
  for (const [sizes, purpose] of wanted) {
    const icon = manifest.icons.find((i: { sizes: string; purpose?: string }) => i.sizes === sizes && (i.purpose ?? 'any').split(' ').includes(purpose));
    expect(icon, `${purpose} icon ${sizes}`).toBeTruthy();
    const img = await page.request.get(new URL(icon.src, manifestUrl).href);
    expect(img.ok()).toBe(true);
    expect(img.headers()['content-type']).toBe('image/png');
    expect(pngSize(await img.body()).join('x')).toBe(sizes);
  }

  await waitForServiceWorker(page);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  // The service worker's answer carries the isolation and CSP headers itself.
  expect(response?.headers()).toMatchObject({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
  expect(
    await page.evaluate(() => ({
      state: navigator.serviceWorker.controller?.state,
      script: navigator.serviceWorker.controller?.scriptURL,
      isolated: crossOriginIsolated,
    })),
  ).toEqual({ state: 'activated', script: new URL('/sw.js', baseURL).href, isolated: true });

  // Chromium's own installability check (manifest, icons, service worker); Playwright's contexts are incognito ones.
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);

  // An incognito context never offers installation, so the offer is simulated: Install appears and prompts.
  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => void ((window as any).__prompted = true),
      userChoice: Promise.resolve({ outcome: 'accepted' }),
    });
    dispatchEvent(offer);
  });
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await page.waitForFunction(() => (window as any).__prompted === true);
  await expect(page.getByRole('button', { name: 'Install', exact: true })).toHaveCount(0);
});

test('classification works under the CSP, and no request leaves the origin during a full index-and-search run', async ({ page, context, baseURL }) => {
  const requests = recordRequests(context);
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto('/');
  await waitForServiceWorker(page);
  const info = await startEngine(page);
  expect(info.labelsError).toBeNull();
  expect((await classify(page, 'shared/cat_720p.jpg')).some((c) => CAT.includes(c))).toBe(true);
  await indexAndSearch(page);

  expect(violations).toEqual([]);
  expect(requests.length).toBeGreaterThan(20);
  expect(foreign(requests.map((r) => r.url), new URL(baseURL!).origin)).toEqual([]);
});

test('after one visit it works offline: the app, the models from cache, indexing and search', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  // The first visit's engine starts when the page is idle; let its model requests finish, so none of them is
  // still in flight (and aborted by the reload) when the offline requests are recorded.
  await startEngine(page);

  await context.setOffline(true);
  const requests = recordRequests(context);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  // Really offline: what is not cached fails.
  expect(await page.evaluate(() => fetch(`./not-cached-${Date.now()}`).then(() => 'online', () => 'offline'))).toBe('offline');

  const info = await startEngine(page);
  expect(info.labelsError).toBeNull();
  // Text in photos: the OCR models and onnxruntime-web's WASM (a build asset) come from the precache too.
  expect(info.textError ?? null).toBeNull();
  expect((await classify(page, 'shared/cat_720p.jpg')).some((c) => CAT.includes(c))).toBe(true);
  const models = requests.filter((r) => r.url.includes('/models/'));
  expect(models.map((r) => r.url)).toEqual(
    expect.arrayContaining([expect.stringContaining('mobilenet_v2_1.0_224_quant.tflite'), expect.stringContaining('ssd_mobilenetv1_model.bin'), expect.stringContaining('ch_PP-OCRv4_rec_infer.onnx')]),
  );
  expect(models.filter((r) => !r.fromSw || r.failed)).toEqual([]);
  const ortWasm = requests.filter((r) => r.url.includes('ort-wasm-simd-threaded'));
  expect(ortWasm.length).toBeGreaterThan(0);
  expect(ortWasm.filter((r) => !r.fromSw || r.failed)).toEqual([]);

  await indexAndSearch(page);
  await context.setOffline(false);
});

test('a new deploy shows "A new version is ready"; the page reloads into it only when asked', async ({ browser }) => {
  // Two builds on a plain static host: the second differs in index.html, as any rebuild does, and so in sw.js.
  const server = await serveDir(DIST);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForServiceWorker(page);
    await expect(page.getByText('A new version is ready')).toHaveCount(0);

    const html = readFileSync(resolve(DIST, 'index.html'), 'utf8').replace('</head>', '<meta name="shoebox-build" content="2" /></head>');
    const revision = createHash('md5').update(html).digest('hex');
    const sw = readFileSync(resolve(DIST, 'sw.js'), 'utf8').replace(/("revision":")[0-9a-f]+(","url":"index\.html")/, `$1${revision}$2`);
    expect(sw).toContain(revision);
    server.overrides.set('/index.html', Buffer.from(html));
    server.overrides.set('/sw.js', Buffer.from(sw));

    // A navigation makes the browser check sw.js; the new worker installs and waits.
    await page.reload();
    await page.evaluate(() => ((window as any).__stillThisPage = true));
    await expect(page.getByText('A new version is ready')).toBeVisible();
    expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)).toBe(true);
    // Nothing reloaded by itself: still the old page, still the old worker.
    expect(await page.evaluate(() => (window as any).__stillThisPage)).toBe(true);
    await expect(page.locator('meta[name="shoebox-build"]')).toHaveCount(0);

    // While indexing, the prompt waits: reloading would lose the run.
    const reload = page.getByRole('button', { name: 'Reload', exact: true });
    await page.getByTestId('folder-input').setInputFiles(photoDir('shared'));
    await expect(page.getByText('Reload after indexing finishes')).toBeVisible();
    await expect(reload).toHaveCount(0);
    await expect(page.getByTestId('progress')).toContainText('Done', { timeout: 150_000 });
    expect(await page.evaluate(() => (window as any).__stillThisPage)).toBe(true);

    await reload.click();
    await expect(page.locator('meta[name="shoebox-build"]')).toHaveAttribute('content', '2');
    await expect(page.getByText('A new version is ready')).toHaveCount(0);
  } finally {
    await context.close();
    await server.close();
  }
});
