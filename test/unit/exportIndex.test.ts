import 'fake-indexeddb/auto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, setMeta, type LibraryDb } from '../../src/library/store/db';
import { LibraryWriter } from '../../src/library/store/writer';
import { diffFolder } from '../../src/library/indexing/scanner';
import {
  EXPORT_FILE_NAME, ImportError, LibraryNotEmpty, exportIndex, importIndex, readExportFile, type ExportFile,
} from '../../src/library/store/exportIndex';
import { face, freshDb, item } from './libraryFixtures';

async function sampleLibrary(): Promise<LibraryDb> {
  const db = await freshDb();
  // Places: the photo with GPS gets a place as it is written, and it must survive the round trip.
  const writer = new LibraryWriter(db, { flushMs: 60_000, place: () => ({ city: 'Munich', region: 'Bavaria', country: 'Germany', cc: 'DE', v: 1 }) });
  writer.add(item('trip/cat.jpg', { faces: [], labels: [{ classIndex: 282, score: 0.9 }], takenAt: 1_500_000_000_000, camera: 'Canon EOS', gps: [48.1, 11.5], text: [{ text: 'Café Roma', score: 0.97, quad: [0.1, 0.1, 0.5, 0.1, 0.5, 0.2, 0.1, 0.2] }] }));
  writer.add(item('trip/people.jpg', { faces: [face(1), face(2)], embedding: new Float32Array([0.5, -1.25, 3]) }, 2048, 77));
  writer.add({ entry: { path: 'broken.jpg', size: 3, lastModified: 5 }, error: 'corrupt JPEG' });
  await writer.flush();
  const faces = await db.getAll('faces');
  const personId = await db.add('people', { name: 'Ada', coverFaceId: faces[0].id!, hidden: false, createdAt: 42 });
  await db.put('faces', { ...faces[0], personId });
  await setMeta(db, 'folderName', 'Holiday');
  return db;
}

/** Every store's records, thumbs read out, for comparing two libraries. */
async function dump(db: LibraryDb) {
  const thumbKeys = await db.getAllKeys('thumbs');
  const thumbs = await Promise.all((await db.getAll('thumbs')).map((t, i) => t.text().then((text) => [thumbKeys[i], text])));
  return {
    photos: await db.getAll('photos'),
    thumbs,
    faces: (await db.getAll('faces')).map((f) => ({ ...f, landmarks: Array.from(f.landmarks), descriptor: Array.from(f.descriptor) })),
    people: await db.getAll('people'),
    embeddings: (await db.getAll('embeddings')).map((e) => ({ ...e, vector: Array.from(e.vector) })),
    folderName: await db.get('meta', 'folderName'),
  };
}

const named = (blob: Blob, name: string) => Object.assign(blob, { name });
const gz = (text: string) => named(new Blob([gzipSync(Buffer.from(text))]), EXPORT_FILE_NAME);

describe('export and import', () => {
  it('round-trips every record, descriptor bits included, into an empty profile', async () => {
    const db = await sampleLibrary();
    const file = await exportIndex(db, { thumbnails: true, chunk: 1 });
    const into = await freshDb();
    const result = await importIndex(into, named(file, EXPORT_FILE_NAME));
    expect(result).toEqual({ photos: 3, faces: 2, people: 1, folderName: 'Holiday' });
    expect(await dump(into)).toEqual(await dump(db));
    expect((await dump(into)).thumbs).toHaveLength(2); // the skipped file has none
    expect((await into.getAll('photos')).find((p) => p.path === 'trip/cat.jpg')?.place).toEqual({ city: 'Munich', region: 'Bavaria', country: 'Germany', cc: 'DE', v: 1 });
    // Text read in a photo comes along with it (schema 4).
    expect((await into.getAll('photos')).find((p) => p.path === 'trip/cat.jpg')?.text?.[0].text).toBe('Café Roma');
    // The key generators moved past the imported ids: new records never collide.
    const { id: _, ...copy } = (await into.getAll('photos'))[0];
    const next = await into.add('photos', { ...copy, path: 'new.jpg' });
    expect(next).toBeGreaterThan(3);
  });

  it('leaves thumbnails out by default, and the file is gzip with the schema version in it', async () => {
    const db = await sampleLibrary();
    const blob = await exportIndex(db);
    const data = await readExportFile(named(blob, EXPORT_FILE_NAME));
    expect(data).toMatchObject({ format: 'shoebox-index', version: 1, schemaVersion: SCHEMA_VERSION, folderName: 'Holiday', thumbnails: false });
    expect(data.photos.every((p) => p.thumb === undefined)).toBe(true);
    expect(data.faces[0].descriptor).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const into = await freshDb();
    await importIndex(into, named(blob, EXPORT_FILE_NAME));
    expect(await into.count('thumbs')).toBe(0);
    expect(await into.count('photos')).toBe(3);
  });

  it('a malformed place in the file is dropped (to be named again from the GPS), the rest of the photo kept', async () => {
    const db = await sampleLibrary();
    const data = await readExportFile(named(await exportIndex(db), EXPORT_FILE_NAME));
    const cat = data.photos.find((p) => p.path === 'trip/cat.jpg')!;
    expect(cat.place?.city).toBe('Munich');
    (cat as { place: unknown }).place = { city: 42, v: 'x' };
    const into = await freshDb();
    await importIndex(into, gz(JSON.stringify(data)));
    const back = (await into.getAll('photos')).find((p) => p.path === 'trip/cat.jpg')!;
    expect(back.place).toBeUndefined();
    expect(back.gps).toEqual([48.1, 11.5]);
  });

  it('after an import, the same folder diffs as unchanged: nothing is re-indexed', async () => {
    const db = await sampleLibrary();
    const into = await freshDb();
    await importIndex(into, named(await exportIndex(db), EXPORT_FILE_NAME));
    const entries = [
      { path: 'trip/cat.jpg', size: 100, lastModified: 1000 },
      { path: 'trip/people.jpg', size: 2048, lastModified: 77 },
      { path: 'broken.jpg', size: 3, lastModified: 5 },
      { path: 'trip/new.jpg', size: 9, lastModified: 9 },
    ].map((e) => ({ ...e, getFile: async () => new File([], e.path) }));
    const diff = await diffFolder(into, entries);
    expect(diff.toIndex.map((e) => e.path)).toEqual(['trip/new.jpg']);
    expect(diff.unchanged).toBe(3);
  });

  it('refuses to overwrite a non-empty library unless asked to replace it', async () => {
    const db = await sampleLibrary();
    const file = named(await exportIndex(db), EXPORT_FILE_NAME);
    const other = await freshDb();
    const writer = new LibraryWriter(other, { flushMs: 60_000 });
    writer.add(item('mine.jpg'));
    await writer.flush();
    const before = await dump(other);
    await expect(importIndex(other, file)).rejects.toBeInstanceOf(LibraryNotEmpty);
    expect(await dump(other)).toEqual(before);
    await importIndex(other, file, { replace: true });
    expect((await other.getAll('photos')).map((p) => p.path).sort()).toEqual(['broken.jpg', 'trip/cat.jpg', 'trip/people.jpg']);
    expect(await other.count('queue')).toBe(0);
  });

  it('a newer version, a damaged file or the wrong kind of file: a clear error, and nothing changes', async () => {
    const db = await sampleLibrary();
    const good = new Uint8Array(await (await exportIndex(db)).arrayBuffer());
    const text = await new Response(new Blob([good]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
    const json = JSON.parse(text) as ExportFile;
    const target = await sampleLibrary();
    const before = await dump(target);
    const cases: [string, Blob & { name: string }, RegExp][] = [
      ['newer', gz(JSON.stringify({ ...json, version: 2 })), /newer version of Shoebox \(format v2; this one reads v1\)/],
      ['cut short', named(new Blob([good.subarray(0, good.length >> 1)]), EXPORT_FILE_NAME), /damaged/],
      ['flipped bytes', named(new Blob([good.map((b, i) => (i > 40 && i < 60 ? b ^ 0xff : b))]), EXPORT_FILE_NAME), /damaged/],
      ['a photo', named(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16])]), 'cat.jpg'), /“cat.jpg” is not a Shoebox index/],
      ['other json.gz', gz('{"hello":"world"}'), /is not a Shoebox index/],
      ['bad descriptor', gz(JSON.stringify({ ...json, faces: json.faces.map((f) => ({ ...f, descriptor: 'AAAA' })) })), /damaged/],
      ['face of no photo', gz(JSON.stringify({ ...json, faces: json.faces.map((f) => ({ ...f, photoId: 999 })) })), /damaged/],
      ['duplicate path', gz(JSON.stringify({ ...json, photos: json.photos.map((p) => ({ ...p, path: 'same.jpg' })) })), /damaged/],
    ];
    for (const [what, file, message] of cases) {
      const err = await importIndex(target, file, { replace: true }).then(() => null, (e: unknown) => e);
      expect(err, what).toBeInstanceOf(ImportError);
      expect((err as Error).message, what).toMatch(message);
      expect((err as Error).message, what).toMatch(/nothing was changed/);
      expect(await dump(target), what).toEqual(before);
    }
  });
});
