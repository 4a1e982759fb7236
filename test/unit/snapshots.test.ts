import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LibraryWriter, type CommittedPhoto } from '../../src/library/store/writer';
import { removePhotos } from '../../src/library/indexing/scanner';
import { SearchIndex, type PhotoMeta } from '../../src/library/search/searchIndex';
import { meaningOf } from '../../src/library/search/vocabulary';
import { SimilarIndex } from '../../src/library/search/similarIndex';
import { People, readFaces } from '../../src/library/people/people';
import { GenerationTracker, type Generations } from '../../src/library/store/generations';
import { exportIndex, importIndex } from '../../src/library/store/exportIndex';
import {
  packCatalog,
  readFacesSnapshot,
  readGenerations,
  readPhotosSnapshot,
  unpackCatalog,
  writeSnapshots,
  packEmbeddings,
} from '../../src/library/store/snapshots';
import { SnapshotKeeper } from '../../src/library/store/snapshotKeeper';
import type { LibraryDb } from '../../src/library/store/db';
import { face, freshDb, item, prng } from './libraryFixtures';

/** What search answers for a few concepts that the sample library's classes fall under: ids and scores. */
function answers(index: SearchIndex, words = ['fish', 'shark', 'animal', 'bird', 'zebra']) {
  return words.map((w) => {
    const hits = index.conceptHits(meaningOf(w)!.concepts);
    return [...hits.ids].map((id, i) => [id, hits.scores[i]]).sort((a, b) => a[0] - b[0]);
  });
}

/** A small library with what a real one has: dates or none, cameras, objects, errors, faces, embeddings. */
async function library(db: LibraryDb, n: number, seed = 1) {
  const rand = prng(seed);
  const writer = new LibraryWriter(db, { batchSize: 50, flushMs: 60_000 });
  for (let i = 0; i < n; i++) {
    if (i % 17 === 5) {
      writer.add({ entry: { path: `bad/${i}.jpg`, size: 1, lastModified: i }, error: 'corrupt JPEG' });
      continue;
    }
    writer.add(
      item(`album ${i % 3}/IMG_${i}_ünïcode.jpg`, {
        labels: [{ classIndex: 1 + (i % 7), score: rand() }, { classIndex: 100 + (i % 11), score: rand() * 0.1 }],
        objects: i % 4 === 0 ? [{ classIndex: 15, score: 0.8, box: [0.1, 0.1, 0.5, 0.5] }, { classIndex: 15, score: 0.6, box: [0.5, 0.5, 0.2, 0.2] }] : undefined,
        takenAt: i % 5 === 0 ? null : 1_500_000_000_000 + i * 86_400_000,
        camera: i % 3 === 0 ? null : `Camera ${i % 2}`,
        gps: i % 2 ? [48.1, 2.3] : null,
        faces: Array.from({ length: i % 3 }, (_, k) => face(i * 10 + k)),
        embedding: Uint8Array.from({ length: 1024 }, () => Math.floor(rand() * 256)),
      }),
    );
  }
  await writer.close();
}

const sortById = (metas: Iterable<PhotoMeta>) => [...metas].sort((a, b) => a.id - b.id);

describe('catalog snapshot', () => {
  it('round-trips every field the search index keeps, and builds the same index', async () => {
    const db = await freshDb();
    await library(db, 120);
    const loaded = await SearchIndex.load(db);
    const metas = sortById(loaded.metas());
    expect(metas.some((m) => m.error) && metas.some((m) => m.objects) && metas.some((m) => m.takenAt === null)).toBe(true);
    const snap = packCatalog(loaded.metas(), 7);
    expect(sortById(unpackCatalog(snap))).toEqual(metas);
    // One object shape (the same fields in the same order) whether read from records or from the snapshot.
    expect(new Set([...metas, ...unpackCatalog(snap)].map((m) => Object.keys(m).join())).size).toBe(1);

    const rebuilt = SearchIndex.fromMetas(unpackCatalog(snap));
    expect(rebuilt.counts).toEqual(loaded.counts);
    expect(rebuilt.allPhotos()).toEqual(loaded.allPhotos());
    expect(answers(rebuilt)).toEqual(answers(loaded));
    expect(answers(loaded)[0].length).toBeGreaterThan(0);
    expect(rebuilt.skipped().map((m) => m.error)).toEqual(loaded.skipped().map((m) => m.error));
  });

  it('with postings deferred, answers exactly as the eager index, also after changes made before any search', async () => {
    const db = await freshDb();
    await library(db, 80);
    const loaded = await SearchIndex.load(db);
    const metas = unpackCatalog(packCatalog(loaded.metas(), 1));
    const eager = SearchIndex.fromMetas(metas);
    const lazy = SearchIndex.fromSnapshot(unpackCatalog(packCatalog(loaded.metas(), 1)));
    expect(lazy.counts).toEqual(eager.counts);
    expect(lazy.allPhotos()).toEqual(eager.allPhotos());
    // Changes that arrive before the postings are built: a re-indexed photo, a removed one, a new one.
    const changed = { ...metas[3], labels: [[42, 0.9]] as [number, number][] };
    const added = { ...metas[4], id: 999, path: 'new.jpg', labels: [[3, 0.7]] as [number, number][] };
    for (const index of [eager, lazy]) {
      index.upsertPhoto({ ...changed, objects: undefined, gps: null, size: 1, thumb: null, modelVersion: 1, indexedAt: 0 });
      index.removePhoto(metas[10].id);
      index.upsertPhoto({ ...added, objects: undefined, gps: null, size: 1, thumb: null, modelVersion: 1, indexedAt: 0 });
    }
    expect(answers(lazy)).toEqual(answers(eager));
    expect(lazy.commonestClasses(3)).toEqual(eager.commonestClasses(3));
    // The lookup by path, built on first use, follows the same changes.
    for (const path of [metas[5].path, metas[10].path, changed.path, 'new.jpg']) expect(lazy.idOfPath(path)).toBe(eager.idOfPath(path));
    expect([lazy.idOfPath('new.jpg'), lazy.idOfPath(metas[10].path)]).toEqual([999, undefined]);

    // Untouched, a search alone builds them.
    const fresh = SearchIndex.fromSnapshot(unpackCatalog(packCatalog(loaded.metas(), 1)));
    expect(answers(fresh)).toEqual(answers(loaded));
  });

  it('is used only while no photo changed since it was written', async () => {
    const db = await freshDb();
    await library(db, 30);
    const g = await readGenerations(db);
    const index = await SearchIndex.load(db);
    expect((await writeSnapshots(db, { catalog: packCatalog(index.metas(), g.photos) })).catalog).toBe(true);
    expect((await readPhotosSnapshot(db, 'catalog')).snapshot?.ids.length).toBe(30);

    // Indexing one more photo makes it stale…
    const writer = new LibraryWriter(db);
    writer.add(item('new.jpg'));
    await writer.close();
    expect((await readPhotosSnapshot(db, 'catalog')).snapshot).toBeNull();
    // …and a snapshot packed at the old generation is refused.
    expect((await writeSnapshots(db, { catalog: packCatalog(index.metas(), g.photos) })).catalog).toBe(false);
  });

  it('goes stale on every kind of change to the photos: commit, removal, import', async () => {
    const db = await freshDb();
    await library(db, 10);
    const seen: number[] = [(await readGenerations(db)).photos];
    const step = async (change: () => Promise<unknown>) => {
      await change();
      const g = (await readGenerations(db)).photos;
      expect(g).toBeGreaterThan(seen[seen.length - 1]);
      seen.push(g);
    };
    await step(async () => {
      const w = new LibraryWriter(db);
      w.add(item('album 0/IMG_0_ünïcode.jpg', { labels: [{ classIndex: 9, score: 0.5 }] }));
      await w.close();
    });
    await step(() => removePhotos(db, [1]));
    const exported = await exportIndex(db);
    await step(() => importIndex(db, exported, { replace: true }));
  });
});

describe('faces snapshot', () => {
  it('round-trips faces with their people and "not this person", over several chunks', async () => {
    const db = await freshDb();
    await library(db, 90);
    const people = await People.load(db, await readFaces(db));
    const all = people.packedFaces();
    expect(all.length).toBeGreaterThan(80);
    // Some constraints, as the user's "not this person" leaves them.
    const someone = all.find((f) => f.personId !== null);
    all[0].notPeople = [3, 9];
    const g = await readGenerations(db);
    expect((await writeSnapshots(db, { faces: { generation: g.faces, faces: all, chunkSize: 16 } })).faces).toBe(true);
    const snap = await readFacesSnapshot(db);
    expect(snap).not.toBeNull();
    const back = snap!.faces;
    expect(snap!.columns).toHaveLength(Math.ceil(all.length / 16));
    expect(snap!.columns.flatMap((c) => Array.from(c.ids))).toEqual(all.map((f) => f.id));
    expect(back!.map((f) => ({ ...f, descriptor: Array.from(f.descriptor) }))).toEqual(
      all.map((f) => ({ ...f, descriptor: Array.from(f.descriptor), notPeople: f.notPeople?.length ? f.notPeople : undefined })).map((f) => {
        if (!f.notPeople) delete f.notPeople;
        return f;
      }),
    );
    if (someone) expect(back!.find((f) => f.id === someone.id)!.personId).toBe(someone.personId);

    // Fewer faces in a later snapshot: the extra chunks go, and the count still checks.
    const g2 = await readGenerations(db);
    await writeSnapshots(db, { faces: { generation: g2.faces, faces: all.slice(0, 20), chunkSize: 16 } });
    expect((await readFacesSnapshot(db))!.faces.map((f) => f.id)).toEqual(all.slice(0, 20).map((f) => f.id));
  });

  it('goes stale when people are saved to the faces store', async () => {
    const db = await freshDb();
    await library(db, 30);
    const people = await People.load(db, await readFaces(db));
    const g = await readGenerations(db);
    await writeSnapshots(db, { faces: { generation: g.faces, faces: people.packedFaces() } });
    expect(await readFacesSnapshot(db)).not.toBeNull();
    const saved: Generations[] = [];
    people.onSaved = (gen) => saved.push(gen);
    const writer = new LibraryWriter(db, { onCommit: (c: CommittedPhoto[]) => people.commit(c) });
    writer.add(item('more.jpg', { faces: [face(900), face(901)] }));
    await writer.close();
    await people.saved();
    expect(await readFacesSnapshot(db)).toBeNull();
    expect(people.settled).toBe(true);
    // People's own save reported the generation it wrote, so memory can follow it.
    if (saved.length) expect(saved[saved.length - 1].faces).toBe((await readGenerations(db)).faces);
  });
});

describe('embeddings snapshot', () => {
  it('rebuilds the same similarity index', async () => {
    const db = await freshDb();
    await library(db, 40);
    const loaded = await SimilarIndex.load(db);
    const { ids, data } = loaded.packed();
    const g = await readGenerations(db);
    await writeSnapshots(db, { embeddings: packEmbeddings(ids, data, g.photos) });
    const snap = (await readPhotosSnapshot(db, 'embeddings')).snapshot!;
    const rebuilt = SimilarIndex.fromPacked(snap.ids, snap.data);
    expect(rebuilt.size).toBe(loaded.size);
    expect(rebuilt.nearest(ids[3], 5)).toEqual(loaded.nearest(ids[3], 5));
  });
});

describe('GenerationTracker', () => {
  it('follows contiguous changes in any order, and stops at a gap from elsewhere', () => {
    const t = new GenerationTracker(4);
    t.applied(6);
    expect(t.value).toBe(4);
    t.applied(5);
    expect(t.value).toBe(6);
    t.applied(8); // 7 came from another tab
    expect(t.value).toBe(6);
    expect(t.gapped).toBe(true);
    t.reset(8);
    expect(t.value).toBe(8);
    expect(new GenerationTracker(null).value).toBeNull();
  });
});

describe('SnapshotKeeper', () => {
  it('writes the snapshots memory is at, waits while busy, and a next load uses them', async () => {
    const db = await freshDb();
    await library(db, 60);
    const g = await readGenerations(db);
    const search = await SearchIndex.load(db);
    const similar = await SimilarIndex.load(db);
    const people = await People.load(db, await readFaces(db));
    await people.saved();
    const gAfterPeople = await readGenerations(db);
    let busy = true;
    const keeper = new SnapshotKeeper(db, { search, similar, people, busy: () => busy }, 60_000);
    keeper.loaded(g.photos, gAfterPeople.faces, {});
    expect(keeper.behind.sort()).toEqual(['catalog', 'embeddings', 'faces']);
    await keeper.saveNow();
    expect((await readPhotosSnapshot(db, 'catalog')).snapshot).toBeNull();
    busy = false;
    await keeper.saveNow();
    expect(keeper.behind).toEqual([]);
    keeper.dispose();
    expect(sortById(unpackCatalog((await readPhotosSnapshot(db, 'catalog')).snapshot!))).toEqual(sortById(search.metas()));
    expect((await readFacesSnapshot(db))!.faces.length).toBe(people.faceCount);
    expect((await readPhotosSnapshot(db, 'embeddings')).snapshot!.ids.length).toBe(similar.size);
  });

  it('writes again when its own commit lands while a snapshot is being written', async () => {
    const db = await freshDb();
    await library(db, 10);
    const g = await readGenerations(db);
    const search = await SearchIndex.load(db);
    // This tab's commit is stored; it is applied in memory just as the catalog is packed at the older generation.
    let mine: { photos: CommittedPhoto[]; generations: Generations } | null = null;
    const w = new LibraryWriter(db, { onCommit: (photos: CommittedPhoto[], generations: Generations) => (mine = { photos, generations }) });
    w.add(item('mine.jpg'));
    await w.close();
    let keeper: SnapshotKeeper | null = null;
    const source = {
      search: Object.assign(Object.create(search), {
        metas: () => {
          const landing = mine;
          mine = null;
          if (landing) {
            for (const p of landing.photos) search.upsertPhoto(p.photo);
            keeper!.applied(landing.generations);
          }
          return search.metas();
        },
      }) as SearchIndex,
      similar: null, people: null, busy: () => false,
    };
    keeper = new SnapshotKeeper(db, source, 60_000);
    keeper.loaded(g.photos, null, {});
    await keeper.saveNow();
    // Refused (the store is a generation ahead of what was packed), but memory is known to be at the store's.
    expect((await readPhotosSnapshot(db, 'catalog')).snapshot).toBeNull();
    expect(keeper.photos.value).toBe((await readGenerations(db)).photos);
    await keeper.saveNow();
    keeper.dispose();
    expect(unpackCatalog((await readPhotosSnapshot(db, 'catalog')).snapshot!).map((m) => m.path)).toContain('mine.jpg');
  });

  it('gives up on memory that another tab has overtaken', async () => {
    const db = await freshDb();
    await library(db, 10);
    const g = await readGenerations(db);
    const search = await SearchIndex.load(db);
    const keeper = new SnapshotKeeper(db, { search, similar: null, people: null, busy: () => false }, 60_000);
    keeper.loaded(g.photos, null, {});
    // "Another tab" commits: this memory does not have that photo.
    const w = new LibraryWriter(db);
    w.add(item('elsewhere.jpg'));
    await w.close();
    await keeper.saveNow();
    keeper.dispose();
    expect((await readPhotosSnapshot(db, 'catalog')).snapshot).toBeNull();
    expect(keeper.photos.value).toBeNull();
    expect(keeper.behind).toEqual([]);
  });
});
