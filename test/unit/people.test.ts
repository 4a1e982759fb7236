import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { LibraryDb } from '../../src/library/store/db';
import { People, readFaces } from '../../src/library/people/people';
import { removePhotos } from '../../src/library/indexing/scanner';
import { LibraryWriter } from '../../src/library/store/writer';
import { asFaceResult, fixturePhotos, type FixtureFace } from './faceFixture';
import { freshDb, item } from './libraryFixtures';

// The people module on real descriptors, in fake-indexeddb, fed by the real writer as the app does.

type Photo = { path: string; faces: FixtureFace[] };
const PHOTOS = fixturePhotos();
const GRACE = 'shared/grace_hopper.bmp#0';
const photosOf = (identity: string) => PHOTOS.filter((p) => p.faces.some((f) => f.identity === identity));

/** A library as the app runs it: People loaded from the faces store, the writer's commits fed to it. */
async function open(db: LibraryDb) {
  const people = await People.load(db, await readFaces(db));
  const writer = new LibraryWriter(db, { flushMs: 60_000, batchSize: 40, onCommit: (c) => people.commit(c) });
  const add = async (photos: Photo[], size = 100) => {
    for (const p of photos) writer.add(item(p.path, { faces: p.faces.map(asFaceResult) }, size));
    await writer.flush();
    await people.saved();
  };
  return { people, add };
}

async function photoIdOf(db: LibraryDb, path: string): Promise<number> {
  return (await db.getKeyFromIndex('photos', 'path', path))!;
}

/** The person of the face with this identity in this photo. */
async function personIn(db: LibraryDb, people: People, path: string): Promise<number> {
  const ids = people.peopleIn(await photoIdOf(db, path));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The face of the library photo at `path` that is a copy of `identity`. */
async function faceOf(db: LibraryDb, people: People, path: string, identity: string): Promise<number> {
  const photoId = await photoIdOf(db, path);
  const want = PHOTOS.find((p) => p.path === path)!.faces.find((f) => f.identity === identity)!;
  const found = [...people.allFaces()].filter((f) => f.photoId === photoId && f.box.every((v, i) => v === want.box[i]));
  expect(found).toHaveLength(1);
  return found[0].id;
}

async function personOf(db: LibraryDb, people: People, path: string, identity: string): Promise<number> {
  return people.personOf(await faceOf(db, people, path, identity))!;
}

/** People as sets of photo paths, to compare libraries whose face ids differ. */
async function shape(db: LibraryDb, people: People) {
  const paths = new Map((await db.getAll('photos')).map((p) => [p.id!, p.path]));
  return people.list().map((p) => ({ id: p.id, name: p.name, photos: people.photosOf(p.id).map((id) => paths.get(id)).sort() }));
}

describe('People', () => {
  it('clusters every indexed face into a person, stores it on the face, and reloads the same people', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    await add(PHOTOS);
    const faces = await db.getAll('faces');
    expect(faces.length).toBe(PHOTOS.reduce((n, p) => n + p.faces.length, 0));
    expect(faces.every((f) => typeof f.personId === 'number')).toBe(true);
    const before = await shape(db, people);
    expect(before.length).toBeGreaterThanOrEqual(27);
    expect(before.length).toBeLessThanOrEqual(36);
    // Largest first.
    const counts = people.list().map((p) => p.photoCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const again = await People.load(db, await readFaces(db));
    expect(await shape(db, again)).toEqual(before);
    db.close();
  });

  it('is deterministic: the same folder indexed into two empty libraries gives the same people', async () => {
    const a = await freshDb();
    const b = await freshDb();
    const la = await open(a);
    const lb = await open(b);
    await la.add(PHOTOS);
    await lb.add(PHOTOS);
    expect(await shape(b, lb.people)).toEqual(await shape(a, la.people));
    a.close();
    b.close();
  });

  it('finds Grace Hopper as one person in all 7 of her photos, named and searchable by name', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    await add(PHOTOS);
    const grace = await personIn(db, people, 'shared/grace_hopper.bmp/original.jpg');
    expect(people.person(grace)).toMatchObject({ photoCount: 7, faceCount: 7, name: null, background: false });
    people.rename(grace, '  Grace   Hopper ');
    expect(people.named()).toEqual([{ id: grace, name: 'Grace Hopper' }]);
    expect(people.withName('grace hopper')).toEqual([grace]);
    await people.saved();
    const again = await People.load(db, await readFaces(db));
    expect(again.named()).toEqual([{ id: grace, name: 'Grace Hopper' }]);
    expect(again.photosOf(grace).sort()).toEqual(people.photosOf(grace).sort());
    db.close();
  });

  it('keeps a name through re-indexing in place (new face ids) and new photos of the person', async () => {
    const db = await freshDb();
    const grace = photosOf(GRACE);
    const { people, add } = await open(db);
    await add([...PHOTOS.filter((p) => !grace.includes(p)), ...grace.slice(0, 4)]);
    const pid = await personIn(db, people, grace[0].path);
    people.rename(pid, 'Grace');
    await people.saved();
    const oldFaceIds = people.facesOf(pid).map((f) => f.id);

    // The same files, changed on disk: the writer replaces them and their faces get new ids.
    await add(grace.slice(0, 4), 200);
    expect(people.facesOf(pid).map((f) => f.id).some((id) => oldFaceIds.includes(id))).toBe(false);
    expect(people.person(pid)).toMatchObject({ name: 'Grace', photoCount: 4 });
    // New photos of her join the named person.
    await add(grace.slice(4));
    expect(people.person(pid)).toMatchObject({ name: 'Grace', photoCount: 7 });

    const again = await People.load(db, await readFaces(db));
    expect(again.person(pid)).toMatchObject({ name: 'Grace', photoCount: 7 });
    db.close();
  });

  it('a named person whose photos all went away keeps the name and comes back with new photos of them', async () => {
    const db = await freshDb();
    const grace = photosOf(GRACE);
    const { people, add } = await open(db);
    await add(grace);
    const pid = await personIn(db, people, grace[0].path);
    people.rename(pid, 'Grace');
    const ids = await Promise.all(grace.map((p) => photoIdOf(db, p.path)));
    await removePhotos(db, ids);
    people.removePhotos(ids);
    await people.saved();
    expect(people.person(pid)).toBeNull();
    expect(people.named()).toEqual([{ id: pid, name: 'Grace' }]);
    expect(people.photosOf(pid)).toEqual([]);

    const later = await open(db);
    await later.add(grace.map((p) => ({ ...p, path: `moved/${p.path}` })));
    expect(later.people.person(pid)).toMatchObject({ name: 'Grace', photoCount: 7 });
    db.close();
  });

  it('merge and "not this person" persist across a reload and a re-index', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    await add(PHOTOS);
    const photo = 'shared/face.jpg/original.jpg';
    const a = await personOf(db, people, photo, 'shared/face.jpg#0');
    const b = await personOf(db, people, photo, 'shared/face.jpg#1');
    expect(a).not.toBe(b);
    people.rename(b, 'Bob');
    const facesA = people.person(a)!.faceCount;
    const facesB = people.person(b)!.faceCount;
    expect(people.merge(b, a)).toBe(b);
    expect(people.person(a)).toBeNull();
    expect(people.person(b)).toMatchObject({ name: 'Bob', faceCount: facesA + facesB });

    // The first face of face.jpg is not Bob after all.
    const wrong = await faceOf(db, people, photo, 'shared/face.jpg#0');
    const alone = people.removeFace(wrong);
    expect(alone).not.toBe(b);
    expect(people.personOf(wrong)).toBe(alone);
    expect(people.person(b)!.faceCount).toBe(facesA + facesB - 1);
    await people.saved();

    const again = await open(db);
    expect(again.people.person(b)).toMatchObject({ name: 'Bob', faceCount: facesA + facesB - 1 });
    expect(again.people.personOf(wrong)).toBe(alone);
    expect((await db.get('faces', wrong))!.notPeople).toEqual([b]);
    // The photo re-indexed: the new face in that place takes over, still not Bob.
    await again.add(PHOTOS.filter((p) => p.path === photo), 300);
    const heir = await faceOf(db, again.people, photo, 'shared/face.jpg#0');
    expect(heir).not.toBe(wrong);
    expect(again.people.personOf(heir)).toBe(alone);
    await again.people.saved();
    expect((await db.get('faces', heir))!).toMatchObject({ personId: alone, notPeople: [b] });
    expect(again.people.person(b)).toMatchObject({ name: 'Bob', faceCount: facesA + facesB - 1 });
    db.close();
  });

  it('suggests "is this also …?" for close unnamed people; accept merges, reject is remembered', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    await add(PHOTOS);
    // The second woman in sample4 has look-alikes and a mirrored copy that forms its own person.
    const named = await personOf(db, people, 'faceapi/sample4.jpg/original.jpg', 'faceapi/sample4.jpg#1');
    people.rename(named, 'Ann');
    const s = people.suggestions();
    expect(s.length).toBeGreaterThanOrEqual(2);
    expect(s.every((x) => x.personId === named && people.person(x.candidateId)!.name === null)).toBe(true);
    expect(s.map((x) => x.distance)).toEqual(s.map((x) => x.distance).sort((x, y) => x - y));

    const [first, second] = s;
    const size = people.person(named)!.faceCount + people.person(first.candidateId)!.faceCount;
    people.acceptSuggestion(first);
    expect(people.person(named)!.faceCount).toBe(size);
    expect(people.person(first.candidateId)).toBeNull();
    people.rejectSuggestion(second);
    expect(people.suggestions().map((x) => x.candidateId)).not.toContain(second.candidateId);
    await people.saved();
    const again = await People.load(db, await readFaces(db));
    expect(again.person(named)!.faceCount).toBe(size);
    expect(again.person(second.candidateId)).not.toBeNull();
    expect(again.suggestions().map((x) => x.candidateId)).not.toContain(second.candidateId);
    db.close();
  });

  it('never suggests a face back to the person the user took it out of', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    await add(photosOf(GRACE));
    const grace = people.list()[0].id;
    people.rename(grace, 'Grace');
    expect(people.suggestions()).toEqual([]);
    const out = people.facesOf(grace)[2].id;
    const alone = people.removeFace(out);
    expect(people.person(alone)!.faceCount).toBe(1);
    // It is a copy of Grace's face, so only the user's "not Grace" keeps it from being suggested.
    expect(people.match(people.face(out)!.descriptor)!.distance).toBe(0);
    expect(people.suggestions()).toEqual([]);
    await people.saved();
    db.close();
  });

  it('hides a person, persistently', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    await add(photosOf(GRACE));
    const pid = people.list()[0].id;
    people.setHidden(pid, true);
    expect(people.person(pid)!.hidden).toBe(true);
    await people.saved();
    expect((await People.load(db, await readFaces(db))).person(pid)!.hidden).toBe(true);
    db.close();
  });

  it('matches a face from outside the library to the nearest person, or to no one beyond the threshold', async () => {
    const db = await freshDb();
    const { people, add } = await open(db);
    const grace = photosOf(GRACE);
    await add([...PHOTOS.filter((p) => !p.path.startsWith('shared/')), ...grace.slice(1)]);
    const pid = await personIn(db, people, grace[1].path);
    const m = people.match(grace[0].faces[0].descriptor);
    expect(m?.personId).toBe(pid);
    expect(m!.distance).toBeLessThan(0.5);
    // The man with glasses in face.jpg is no one here.
    const man = PHOTOS.find((p) => p.path === 'shared/face.jpg/original.jpg')!.faces[1];
    expect(people.match(man.descriptor)).toBeNull();
    db.close();
  });
});
