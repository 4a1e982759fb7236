import 'fake-indexeddb/auto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations, openLibraryDb, SCHEMA_VERSION, type LibraryDb, type Migration } from '../../src/library/store/db';
import { SearchIndex } from '../../src/library/search/searchIndex';
import { FaceIndex } from '../../src/library/people/faceIndex';
import { diffFolder } from '../../src/library/indexing/scanner';
import { MODEL_VERSION } from '../../src/engine/types';
import { LibraryWriter } from '../../src/library/store/writer';
import { libraryQueryContext } from '../../src/library/search/libraryQuery';
import { runQuery } from '../../src/library/search/queryParser';
import { item } from './libraryFixtures';
import { dumpDatabase, restoreDatabase } from '../fixtures/db/snapshot.mjs';
import { photosWithoutPlace, resolvePlaces } from '../../src/library/places/backfill';
import type { PhotoPlace } from '../../src/library/places/place';
import type { PhotoRecord } from '../../src/library/types';
import type { DbSnapshot } from '../fixtures/db/snapshot.d.mts';

// Databases as earlier versions of Shoebox wrote them (scripts/make-db-fixture.mjs, run by the real app in
// Chromium). Each is re-created with its own schema, opened by today's code, and must come through whole.
const FIXTURES = join(import.meta.dirname, '../fixtures/db');
/** Versions without a fixture here. */
const OTHER_BRANCH = new Set<number>([]);
/** Fixtures of the versions kept, oldest first. */
const KEPT = Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1).filter((v) => !OTHER_BRANCH.has(v));
const fixture = (v: number): DbSnapshot => JSON.parse(readFileSync(join(FIXTURES, `shoebox-v${v}.json`), 'utf8'));

let n = 0;
const uniqueName = () => `migration-test-${++n}`;

/** The records of a store, keyed, in a comparable form (typed arrays and blobs as tagged base64). */
function records(s: DbSnapshot, store: string) {
  const found = s.stores.find((x) => x.name === store);
  if (!found) throw new Error(`no store ${store}`);
  return found.records;
}

/**
 * What each upgrade may change: records of the old version, mapped to how the new version keeps them.
 * A migration that rewrites data adds its mapping here; everything else must come through unchanged.
 */
const expectedAfter: Record<string, (r: { key?: IDBValidKey; value: unknown }) => { key?: IDBValidKey; value: unknown }> = {};

/** Thumbnails: v1 records keep their own (v2 writes new ones to `thumbs`); every one is still there. */
function expectThumbsKept(old: DbSnapshot, upgraded: DbSnapshot): void {
  const inRecords = (s: DbSnapshot) => records(s, 'photos').filter((r) => (r.value as { thumb?: unknown }).thumb).length;
  const inStore = (s: DbSnapshot) => (s.stores.some((x) => x.name === 'thumbs') ? records(s, 'thumbs').length : 0);
  expect(inRecords(old) + inStore(old), 'thumbnails in the old database').toBeGreaterThan(0);
  expect([inRecords(upgraded), inStore(upgraded)]).toEqual([inRecords(old), inStore(old)]);
}

/** Every record of the old snapshot is in the upgraded one, as `expectedAfter` says it should be. */
function expectCarriedOver(old: DbSnapshot, upgraded: DbSnapshot): void {
  for (const store of old.stores) {
    const map = expectedAfter[store.name] ?? ((r) => r);
    const want = store.records
      .filter((r) => !(store.name === 'meta' && r.key === 'schemaVersion'))
      .map(map);
    const have = records(upgraded, store.name).filter((r) => !(store.name === 'meta' && r.key === 'schemaVersion'));
    expect(have, `store ${store.name}`).toEqual(want);
  }
}

async function upgradeFixture(v: number, steps?: Record<number, Migration>, version?: number): Promise<{ db: LibraryDb; name: string }> {
  const name = uniqueName();
  await restoreDatabase(fixture(v), name);
  const db = await openLibraryDb(name, steps ? { migrations: steps, version } : {});
  return { db, name };
}

describe('schema upgrades from kept databases', () => {
  it('a database of every schema version so far is kept as a fixture', () => {
    for (const v of KEPT) expect(existsSync(join(FIXTURES, `shoebox-v${v}.json`)), `shoebox-v${v}.json (run scripts/make-db-fixture.mjs before bumping the schema)`).toBe(true);
  });

  for (const v of KEPT) {
    it(`v${v} → v${SCHEMA_VERSION}: every photo, face, person, queued file and setting comes through`, async () => {
      const old = fixture(v);
      const { db, name } = await upgradeFixture(v);
      expect(db.version).toBe(SCHEMA_VERSION);
      expect(await db.get('meta', 'schemaVersion')).toBe(SCHEMA_VERSION);
      db.close();
      const upgraded = await dumpDatabase(name);
      expectCarriedOver(old, upgraded);
      expectThumbsKept(old, upgraded);

      // And today's code reads it: the search and face indexes load, and the folder diffs as unchanged except
      // for photos an older model indexed (skipped files are never retried until they change).
      const again = await openLibraryDb(name);
      const search = await SearchIndex.load(again);
      const faces = await FaceIndex.load(again);
      const photos = records(old, 'photos').map((r) => r.value as { path: string; size: number; lastModified: number; error?: string; modelVersion: number });
      expect(search.counts.photos + search.counts.skipped).toBe(photos.length);
      expect(faces.size).toBe(records(old, 'faces').length);
      const diff = await diffFolder(again, photos.map((p) => ({ ...p, getFile: async () => new File([], p.path) })));
      const stale = photos.filter((p) => p.error == null && p.modelVersion < MODEL_VERSION).map((p) => p.path);
      expect(diff.toIndex.map((e) => e.path).sort()).toEqual(stale.sort());
      expect(diff.unchanged).toBe(photos.length - stale.length);
      again.close();
    });
  }

  it('v2 → v4: photos written after the upgrade keep their text, and search finds it', async () => {
    const { db } = await upgradeFixture(2);
    const writer = new LibraryWriter(db);
    writer.add(item('2020/menu.jpg', { text: [{ text: 'OPENING HOURS', score: 0.93, quad: [0.1, 0.1, 0.6, 0.1, 0.6, 0.2, 0.1, 0.2] }] }));
    await writer.flush();
    const search = await SearchIndex.load(db);
    const ctx = libraryQueryContext(search, null);
    const id = search.idOfPath('2020/menu.jpg')!;
    expect(runQuery('text:"opening hours"', ctx).ranked).toEqual([id]);
    expect(runQuery('has:text', ctx).ranked).toEqual([id]);
    // Photos from before the upgrade have no text and are due for a re-read (MODEL_VERSION 3).
    expect((await db.getAll('photos')).filter((p) => p.text).map((p) => p.path)).toEqual(['2020/menu.jpg']);
    db.close();
  });

  it('v4 → today: text read before the upgrade still finds its photo', async () => {
    const photos = records(fixture(4), 'photos').map((r) => r.value as PhotoRecord & { id: number });
    const receipt = photos.find((p) => p.path === 'receipt.bmp')!;
    expect(receipt.text?.length).toBeGreaterThan(0);
    const { db } = await upgradeFixture(4);
    const search = await SearchIndex.load(db);
    const ctx = libraryQueryContext(search, null);
    expect(runQuery('text:"thank you"', ctx).ranked).toEqual([receipt.id]);
    expect(runQuery('has:text', ctx).ranked).toEqual([receipt.id]);
    expect(runQuery('espresso', ctx).ranked).toEqual([receipt.id]);
    db.close();
  });

  it('the check catches a migration that loses data', async () => {
    // A made-up next step that drops every face: the carried-over check must fail on it.
    const lossy: Record<number, Migration> = { ...migrations, [SCHEMA_VERSION]: async (_db, tx) => tx.objectStore('faces').clear() };
    const last = KEPT[KEPT.length - 1];
    const { db, name } = await upgradeFixture(last, lossy, SCHEMA_VERSION + 1);
    db.close();
    const dumped = await dumpDatabase(name);
    expect(() => expectCarriedOver(fixture(last), dumped)).toThrow(/store faces/);
  });
});


describe('schema 3: places for photos stored before it', () => {
  const SAN_JOSE: PhotoPlace = { city: 'San Jose', region: 'California', country: 'United States of America', cc: 'US', v: 1 };

  it('a v2 photo with GPS is named after the upgrade, in its own record; nothing else changes', async () => {
    // face-api's group photo carries its GPS (near San Jose); v2 stored it, but had no places.
    const old = fixture(2);
    const photos = records(old, 'photos');
    const group = photos.find((r) => (r.value as PhotoRecord).path === '2019/group.jpg')!;
    const gps = (group.value as PhotoRecord).gps!;
    expect(photos.filter((r) => (r.value as PhotoRecord).gps)).toEqual([group]);
    const name = uniqueName();
    await restoreDatabase(old, name);
    const db = await openLibraryDb(name);
    expect(db.version).toBe(SCHEMA_VERSION);
    const before = await dumpDatabase(name);
    expectCarriedOver(old, before); // the upgrade itself rewrites nothing

    const search = await SearchIndex.load(db);
    const groupId = (group.value as PhotoRecord & { id: number }).id;
    expect(photosWithoutPlace(search.metas(), 1)).toEqual([groupId]);
    const asked: [number, number][] = [];
    const batches: number[][] = [];
    const named = await resolvePlaces(db, [groupId], (gps) => (asked.push(gps), SAN_JOSE), (recs, generations) => {
      batches.push(recs.map((r) => r.id));
      expect(generations.photos).toBeGreaterThan(0);
      for (const r of recs) search.upsertPhoto(r);
    });
    expect([named, asked, batches]).toEqual([1, [gps], [[groupId]]]);
    expect(photosWithoutPlace(search.metas(), 1)).toEqual([]);
    expect([...(search.places.named('california')?.ids() ?? [])]).toEqual([groupId]);

    // Only that record changed, and only by its place (a schema-1 record would keep its own thumbnail).
    db.close();
    const after = await dumpDatabase(name);
    const withPlace = (r: { key?: IDBValidKey; value: unknown }) => (r === group ? { ...r, value: { ...(r.value as object), place: SAN_JOSE } } : r);
    expect(records(after, 'photos')).toEqual(photos.map(withPlace));
    for (const store of ['faces', 'people', 'thumbs', 'embeddings', 'queue']) expect(records(after, store), store).toEqual(records(old, store));

    // Named once: a second pass finds nothing to do.
    const again = await openLibraryDb(name);
    expect(await resolvePlaces(again, [groupId], () => SAN_JOSE, () => undefined)).toBe(0);
    again.close();
  });
});
