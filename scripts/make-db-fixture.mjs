#!/usr/bin/env node
// Writes test/fixtures/db/shoebox-v<N>.json: a library database exactly as the current build (schema N)
// writes it, indexed from real photos by the real app, with a named person and a queued file. Run it
// (after `npm run build`) before bumping SCHEMA_VERSION, and commit the file: the migration tests then open
// it with the next schema and check that nothing was lost.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import piexif from 'piexifjs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withAppPage } from './make-bad-fixtures.mjs';
import { dumpDatabase } from '../test/fixtures/db/snapshot.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'test/.tmp/Family photos');
rmSync(folder, { recursive: true, force: true });
mkdirSync(join(folder, '2019'), { recursive: true });
const photos = { 'cat.jpg': 'shared/cat_720p.jpg', 'grace.bmp': 'shared/grace_hopper.bmp', '2019/group.jpg': 'faceapi/sample1.jpg', '2019/hot dog.jpg': 'shared/hot_dog.jpg' };
for (const [name, rel] of Object.entries(photos)) copyFileSync(join(root, 'test/photos', rel), join(folder, name));
// Schema 3 names places from GPS: one photo was taken at the Eiffel Tower.
const dms = (x) => [[Math.floor(x), 1], [Math.floor((x * 60) % 60), 1], [Math.round((x * 3600) % 60 * 100), 100]];
const gps = { [piexif.GPSIFD.GPSLatitudeRef]: 'N', [piexif.GPSIFD.GPSLatitude]: dms(48.8584), [piexif.GPSIFD.GPSLongitudeRef]: 'E', [piexif.GPSIFD.GPSLongitude]: dms(2.2945) };
const cat = join(folder, 'cat.jpg');
writeFileSync(cat, Buffer.from(piexif.insert(piexif.dump({ GPS: gps }), readFileSync(cat).toString('binary')), 'binary'));
writeFileSync(join(folder, 'notes.jpg'), 'not a photo\n');
// Schema 4 reads text in photos: a receipt line (the unit tests' rendered fixture).
copyFileSync(join(root, 'test/unit/fixtures/text/espresso.bmp'), join(folder, 'receipt.bmp'));

const snapshot = await withAppPage(async (page) => {
  await page.locator('[data-testid="folder-input"]').setInputFiles(folder);
  await page.locator('[data-testid="progress"]').filter({ hasText: /^Done:/ }).waitFor({ timeout: 600_000 });
  // The place is named as the photo is written, or just after the run if the place data was still loading.
  await page.waitForFunction(async () => (await window.shoebox.db.getAll('photos')).some((p) => p.place));
  const receipt = await page.evaluate(async () => (await window.shoebox.db.getAll('photos')).find((p) => p.path === 'receipt.bmp')?.text);
  if (!receipt?.length) throw new Error('receipt.bmp: no text read (is text in photos on?)');
  await page.evaluate(async () => {
    const db = window.shoebox.db;
    const grace = (await db.getAll('photos')).find((p) => p.path === 'grace.bmp');
    const [face] = await db.getAllFromIndex('faces', 'photoId', grace.id);
    const personId = await db.add('people', { name: 'Grace Hopper', coverFaceId: face.id, hidden: false, createdAt: 1_700_000_000_000 });
    await db.put('faces', { ...face, personId });
    // A run that was interrupted with one file left.
    await db.put('queue', { path: '2019/later.jpg', state: 'queued', attempts: 0 });
  });
  return page.evaluate(dumpDatabase, 'shoebox');
});
const out = join(root, `test/fixtures/db/shoebox-v${snapshot.version}.json`);
writeFileSync(out, JSON.stringify(snapshot, null, 1) + '\n');
console.log(`[db-fixture] ${out}: ${snapshot.stores.map((s) => `${s.name} ${s.records.length}`).join(', ')}`);
