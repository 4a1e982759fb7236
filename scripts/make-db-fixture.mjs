#!/usr/bin/env node
// Writes test/fixtures/db/shoebox-v<N>.json: a library database exactly as the current build (schema N)
// writes it, indexed from real photos by the real app, with a named person and a queued file. Run it
// (after `npm run build`) before bumping SCHEMA_VERSION, and commit the file: the migration tests then open
// it with the next schema and check that nothing was lost.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
writeFileSync(join(folder, 'notes.jpg'), 'not a photo\n');

const snapshot = await withAppPage(async (page) => {
  await page.locator('[data-testid="folder-input"]').setInputFiles(folder);
  await page.locator('[data-testid="progress"]').filter({ hasText: /^Done:/ }).waitFor({ timeout: 600_000 });
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
