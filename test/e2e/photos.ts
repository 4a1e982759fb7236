import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';

export const PHOTOS = resolve(import.meta.dirname, '../photos');

/** A test photo's path; fails loudly (never skips) when the setup could not provide it. */
export function photoPath(rel: string): string {
  const p = join(PHOTOS, rel);
  if (!existsSync(p)) {
    throw new Error(`Missing test photo ${rel}: 'npm run models' copies it from ../shared/photos, node_modules or Debian packages (or downloads it); none of them worked on this machine`);
  }
  return p;
}

export function photoDir(rel: string): string {
  const p = photoPath(rel);
  if (!readdirSync(p).length) throw new Error(`Test photo folder ${rel} is empty`);
  return p;
}

/** Passes a local file into the page as a Blob stored on window.__blobs[name]. */
export async function putBlob(page: Page, rel: string, name = rel): Promise<void> {
  const b64 = readFileSync(photoPath(rel)).toString('base64');
  await page.evaluate(
    ([name, b64]) => {
      const w = window as unknown as { __blobs: Record<string, Blob> };
      w.__blobs ??= {};
      w.__blobs[name] = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
    },
    [name, b64],
  );
}
