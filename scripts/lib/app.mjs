// The app driven from Node, as bench.mjs and eval-search.mjs use it: the production build served on loopback,
// headless Chromium, and a folder indexed through the app's own path (folder input → scanner → workers → IndexedDB).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execSync } from 'node:child_process';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const IMAGE = /\.(jpe?g|png|webp|gif|bmp|avif)$/i;
/** Image files under dir, relative to it, sorted. */
export const listImages = (dir) =>
  readdirSync(dir, { recursive: true }).map(String).filter((f) => IMAGE.test(f) && statSync(join(dir, f)).isFile()).sort();

/** Exits with a usage error unless dir is a folder; its absolute path. */
export function folderArg(dir, tool) {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    console.error(`${tool}: ${abs} is not a folder`);
    process.exit(2);
  }
  return abs;
}

/** The production build (built when missing or asked), served on loopback, and Chromium with extra flags. */
export async function startApp({ build = false, browserArgs = [] } = {}) {
  if (build || !existsSync(join(root, 'dist/index.html'))) execSync('npm run build', { cwd: root, stdio: 'inherit' });
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...browserArgs],
  });
  return {
    url: server.resolvedUrls.local[0],
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => server.httpServer.close(r));
    },
  };
}

/** Opens the app with these URL parameters and starts its engine; the engine's init info. */
export async function openApp(page, address) {
  page.on('pageerror', (e) => console.error('[page]', e.message));
  await page.goto(address);
  await page.waitForFunction(() => window.shoebox?.db);
  const info = await page.evaluate(() => window.shoebox.startEngine());
  if (!info) throw new Error(await page.evaluate(() => window.shoebox.engineError));
  return info;
}

/**
 * Feeds dir to the app's folder input and waits until indexing has finished. Every `every` photos done it awaits
 * onStep(done), which may answer a later count of photos done (its own reading).
 */
export async function indexFolder(page, dir, { every = 100, onStep = null } = {}) {
  await page.getByTestId('folder-input').setInputFiles(dir);
  for (let next = every; ; next += every) {
    const state = await page.waitForFunction(
      (n) => {
        const p = window.shoebox.progress;
        const finished = ['done', 'stopped', 'cancelled'].includes(p.state);
        return (finished || (p.state === 'indexing' && p.done >= n)) && { finished, done: p.done };
      },
      next,
      { polling: 1000, timeout: 4 * 3_600_000 },
    );
    const { finished, done } = await state.jsonValue();
    if (finished) return;
    next = Math.max(next, (await onStep?.(done)) ?? done);
  }
}
