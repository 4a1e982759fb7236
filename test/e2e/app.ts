import { expect, type Locator, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { photoPath } from './photos';
import { waitForLibrary } from './testApi';

/** Opens the app on WASM and waits until its library is open. */
export async function openApp(page: Page, query = '?backend=wasm'): Promise<void> {
  await page.goto(`/${query}`);
  await waitForLibrary(page);
}

/** Collects what must never happen: dialogs (alert from injected markup) and uncaught page errors. */
export function watchForInjection(page: Page): string[] {
  const incidents: string[] = [];
  page.on('dialog', (d) => {
    incidents.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => incidents.push(`page error: ${e.message}`));
  return incidents;
}

/** Waits for the end of a run and returns the progress line ("Done: …"). */
export async function waitForDone(page: Page, timeout = 600_000): Promise<string> {
  const progress = page.getByTestId('progress');
  await expect(progress).toContainText(/^(Done|Stopped|Cancelled):/, { timeout });
  return (await progress.innerText()).trim();
}

export interface LibrarySnapshot {
  photos: { id: number; path: string; faceCount: number; error: string | null; hasThumb: boolean }[];
  faces: { id: number; photoId: number }[];
  queue: string[];
  /** Queued photos still waiting for their first pass (or, unstaged, the whole photo): no record of them is stored. */
  firstPassQueue: string[];
  /** Photo ids in the thumbs store. */
  thumbIds: number[];
}

/** Every record of the library's IndexedDB, read from a fresh connection (not the app's in-memory view). */
export async function readLibrary(page: Page): Promise<LibrarySnapshot> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('shoebox');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = (store: string) =>
      new Promise<any[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const thumbKeys = new Promise<number[]>((resolve, reject) => {
      const r = db.transaction('thumbs').objectStore('thumbs').getAllKeys();
      r.onsuccess = () => resolve(r.result as number[]);
      r.onerror = () => reject(r.error);
    });
    const [photos, faces, queue, thumbBlobs, thumbIds] = await Promise.all([all('photos'), all('faces'), all('queue'), all('thumbs'), thumbKeys]);
    db.close();
    const thumbOf = new Map(thumbIds.map((id, i) => [id, thumbBlobs[i]]));
    // Records written by schema 1 hold their own thumbnail.
    const hasThumb = (p: any) => [thumbOf.get(p.id), p.thumb].some((t) => t instanceof Blob && t.size > 0);
    return {
      thumbIds,
      photos: photos.map((p) => ({ id: p.id, path: p.path, faceCount: p.faceCount, error: p.error ?? null, hasThumb: hasThumb(p) })),
      faces: faces.map((f) => ({ id: f.id, photoId: f.photoId })),
      queue: queue.map((q) => q.path),
      firstPassQueue: queue.filter((q) => !q.lacks || q.lacks.includes('labels')).map((q) => q.path),
    };
  });
}

/** The library database's version and the schema version its meta store records, from a fresh connection. */
export async function readSchema(page: Page): Promise<{ version: number; schemaVersion: unknown }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('shoebox');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const schemaVersion = await new Promise<unknown>((resolve, reject) => {
      const r = db.transaction('meta').objectStore('meta').get('schemaVersion');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    db.close();
    return { version: db.version, schemaVersion };
  });
}

/** No half-written photo: each photo has exactly its faces, no face is orphaned, nothing both done and queued. */
export function expectConsistent(lib: LibrarySnapshot, { thumbnails = true } = {}): void {
  const facesOf = new Map<number, number>();
  for (const f of lib.faces) facesOf.set(f.photoId, (facesOf.get(f.photoId) ?? 0) + 1);
  const ids = new Set(lib.photos.map((p) => p.id));
  expect(lib.faces.filter((f) => !ids.has(f.photoId)), 'faces without a photo').toEqual([]);
  expect(lib.thumbIds.filter((id) => !ids.has(id)), 'thumbnails without a photo').toEqual([]);
  expect(lib.photos.filter((p) => (facesOf.get(p.id) ?? 0) !== p.faceCount).map((p) => p.path), 'photos whose faces are missing').toEqual([]);
  if (thumbnails) expect(lib.photos.filter((p) => !p.error && !p.hasThumb).map((p) => p.path), 'indexed photos without a thumbnail').toEqual([]);
  const done = new Set(lib.photos.map((p) => p.path));
  expect(lib.firstPassQueue.filter((q) => done.has(q)), 'committed photos still queued for their first pass').toEqual([]);
  expect(new Set(lib.photos.map((p) => p.path)).size).toBe(lib.photos.length);
}

export { countAnalyzeCalls, analyzedPaths, laterAnalyzed } from './testApi';

/** A fresh folder under test/.tmp with `count` copies of real photos (cycling through `sources`). */
export function photoCopies(name: string, sources: string[], count: number): string {
  const dir = resolve(import.meta.dirname, '../.tmp', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const src = sources[i % sources.length];
    copyFileSync(photoPath(src), join(dir, `${String(i + 1).padStart(3, '0')}-${basename(src)}`));
  }
  return dir;
}

/** The data-path of every result in the grid. */
export const resultPaths = (page: Page): Promise<string[]> =>
  page.getByTestId('photo').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-path') ?? '').sort());

/** Opens the top bar's menu (secondary actions) unless it is open. */
export async function openMenu(page: Page): Promise<void> {
  const more = page.getByRole('button', { name: 'More', exact: true });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  await expect(page.locator('#app-menu')).toBeVisible();
}

/** A control in the top bar's menu, with the menu opened. */
export async function menuItem(page: Page, name: string, role: 'button' | 'link' = 'button'): Promise<Locator> {
  await openMenu(page);
  return page.locator('#app-menu').getByRole(role, { name });
}

export async function openSettings(page: Page): Promise<void> {
  await (await menuItem(page, 'Settings')).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
}

export async function closeSettings(page: Page): Promise<void> {
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
}

/**
 * Closes, with Esc, a photo opened from the grid: the app steps back in history to the grid's entry, so this waits
 * for that step (a reload or a new query typed before it lands would race it).
 */
export async function closePhotoOpenedFromGrid(page: Page): Promise<void> {
  const steppedBack = page.evaluate(() => new Promise((done) => addEventListener('popstate', () => done(null), { once: true })));
  await page.keyboard.press('Escape');
  await steppedBack;
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** The status line's counts (photos, faces, skipped, folder), without the engine's part, which shows only once it has started. */
export const statusCounts = (status: string): string => status.match(/\d+ photos · \d+ faces · \d+ skipped.*$/s)![0].trim();
