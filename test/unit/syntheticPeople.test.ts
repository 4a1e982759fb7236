import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { assignSyntheticPeople } from '../../src/bench/syntheticLibrary';
import { People, readFaces } from '../../src/library/people/people';
import { LibraryWriter } from '../../src/library/store/writer';
import { face, freshDb, item } from './libraryFixtures';

describe('the synthetic library’s people', () => {
  it('load as People with the identities as persons, the most frequent ones named, without re-clustering', async () => {
    const db = await freshDb();
    const identityOfFace = new Map<number, number>();
    const photosOfIdentity = new Map<number, Set<number>>();
    const writer = new LibraryWriter(db, {
      onCommit: (committed) => {
        for (const c of committed) {
          c.faces.forEach((f, k) => {
            // Identity 0 in every photo, so it is the most frequent; the others rarer.
            const identity = k === 0 ? 0 : 1 + ((c.photo.id + k) % 5);
            identityOfFace.set(f.id, identity);
            if (!photosOfIdentity.has(identity)) photosOfIdentity.set(identity, new Set());
            photosOfIdentity.get(identity)!.add(c.photo.id);
          });
        }
      },
    });
    for (let i = 0; i < 40; i++) writer.add(item(`p${i}.jpg`, { faces: [face(i * 3 + 1), face(i * 3 + 2), face(i * 3 + 3)].slice(0, 1 + (i % 3)) }));
    await writer.close();

    const named = await assignSyntheticPeople(db, identityOfFace, 2);
    expect(named.map((p) => p.id)[0]).toBe(1);
    expect(new Set(named.map((p) => p.name)).size).toBe(2);

    const people = await People.load(db, await readFaces(db));
    expect(people.named().sort((a, b) => a.id - b.id)).toEqual([...named].sort((a, b) => a.id - b.id));
    expect(people.list().length).toBe(photosOfIdentity.size);
    for (const [faceId, identity] of identityOfFace) expect(people.personOf(faceId)).toBe(identity + 1);
    for (const [identity, photos] of photosOfIdentity) expect(people.photosOf(identity + 1).sort((a, b) => a - b)).toEqual([...photos].sort((a, b) => a - b));
    db.close();
  });
});
