import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LibraryDb } from '../../src/library/store/db';
import { enqueue } from '../../src/library/indexing/scanner';
import { LibraryWriter, type CommittedPhoto, type WriteError } from '../../src/library/store/writer';
import { entry, face, freshDb, item } from './libraryFixtures';

/** Counts the readwrite transactions the writer opens, by wrapping db.transaction. */
function countWriteTransactions(db: LibraryDb): { count: number } {
  const counter = { count: 0 };
  const original = db.transaction.bind(db);
  db.transaction = ((stores: never, mode?: IDBTransactionMode, opts?: IDBTransactionOptions) => {
    if (mode === 'readwrite') counter.count++;
    return original(stores, mode, opts);
  }) as typeof db.transaction;
  return counter;
}

const restore: (() => void)[] = [];
afterEach(() => {
  while (restore.length) restore.pop()!();
});

/** Makes the Nth add() on the faces store throw, as a full disk would. */
function failNthFaceAdd(nth: number) {
  const proto = IDBObjectStore.prototype;
  const original = proto.add;
  let calls = 0;
  proto.add = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
    if (this.name === 'faces' && ++calls === nth) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return original.apply(this, args);
  };
  restore.push(() => {
    proto.add = original;
  });
}

describe('LibraryWriter', () => {
  it('commits 450 photos in 3 transactions of at most 200', async () => {
    const db = await freshDb();
    const tx = countWriteTransactions(db);
    const batches: number[] = [];
    const writer = new LibraryWriter(db, { flushMs: 60_000, onCommit: (c) => batches.push(c.length) });
    for (let i = 0; i < 450; i++) writer.add(item(`p/${i}.jpg`, { faces: i % 10 === 0 ? [face(i)] : [] }));
    const last = await writer.flush();
    expect(last).toHaveLength(50);
    expect(tx.count).toBe(3);
    expect(batches).toEqual([200, 200, 50]);
    expect(await db.count('photos')).toBe(450);
    expect(await db.count('faces')).toBe(45);
    expect(writer.pending).toBe(0);
    db.close();
  });

  it('flushes a partial batch after flushMs', async () => {
    const db = await freshDb();
    const tx = countWriteTransactions(db);
    const committed = new Promise<CommittedPhoto[]>((resolve) => {
      const writer = new LibraryWriter(db, { flushMs: 10, onCommit: resolve });
      writer.add(item('a.jpg'));
      writer.add(item('b.jpg'));
    });
    expect((await committed).map((c) => c.photo.path)).toEqual(['a.jpg', 'b.jpg']);
    expect(tx.count).toBe(1);
    db.close();
  });

  it('returns records with ids, writes faces, embedding and deletes the queue entry', async () => {
    const db = await freshDb();
    await enqueue(db, [entry('a.jpg'), entry('bad.heic'), entry('other.jpg')]);
    const writer = new LibraryWriter(db);
    const embedding = new Float32Array(1024).fill(0.5);
    writer.add(item('a.jpg', { faces: [face(1), face(2)], embedding, takenAt: 5 }));
    writer.add({ entry: entry('bad.heic'), error: 'cannot decode HEIC' });
    const [a, bad] = await writer.flush();

    expect(a.replaced).toBe(false);
    expect(a.photo).toMatchObject({ path: 'a.jpg', faceCount: 2, takenAt: 5, labels: [[282, 0.8]] });
    expect(a.faces.map((f) => f.photoId)).toEqual([a.photo.id, a.photo.id]);
    const storedFaces = await db.getAllFromIndex('faces', 'photoId', a.photo.id);
    expect(storedFaces.map((f) => f.id).sort()).toEqual(a.faces.map((f) => f.id).sort());
    expect(storedFaces[0].descriptor).toBeInstanceOf(Float32Array);
    expect((await db.get('embeddings', a.photo.id))?.vector).toEqual(embedding);

    expect(bad.photo).toMatchObject({ path: 'bad.heic', error: 'cannot decode HEIC', faceCount: 0, thumb: null });
    expect(await db.getAllKeys('queue')).toEqual(['other.jpg']);
    db.close();
  });

  it('replaces a re-indexed path in place: same id, old faces and embedding gone', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    writer.add(item('a.jpg', { faces: [face(1), face(2)], embedding: new Float32Array(1024) }));
    writer.add(item('b.jpg', { faces: [face(3)] }));
    const [first, b] = await writer.flush();

    writer.add(item('a.jpg', { faces: [face(4)], labels: [{ classIndex: 7, score: 0.3 }] }, 200, 2000));
    const [second] = await writer.flush();
    expect(second.replaced).toBe(true);
    expect(second.photo.id).toBe(first.photo.id);
    expect(await db.count('photos')).toBe(2);
    const faces = await db.getAllFromIndex('faces', 'photoId', first.photo.id);
    expect(faces.map((f) => f.id)).toEqual(second.faces.map((f) => f.id));
    expect(faces[0].box).toEqual(face(4).box);
    expect(await db.get('embeddings', first.photo.id)).toBeUndefined();
    expect(await db.get('photos', first.photo.id)).toMatchObject({ size: 200, lastModified: 2000, labels: [[7, 0.3]] });
    // The other photo is untouched.
    expect(await db.countFromIndex('faces', 'photoId', b.photo.id)).toBe(1);
    db.close();
  });

  it('keeps the last of two analyses of one path in a batch', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    writer.add(item('a.jpg', { width: 1 }));
    writer.add(item('a.jpg', { width: 2 }));
    const committed = await writer.flush();
    expect(committed).toHaveLength(1);
    expect((await db.getAll('photos')).map((p) => p.width)).toEqual([2]);
    db.close();
  });

  it('writes nothing of a batch when a put throws QuotaExceededError', async () => {
    const db = await freshDb();
    const writer = new LibraryWriter(db);
    writer.add(item('old.jpg', { faces: [face(1)] }));
    const [old] = await writer.flush();
    await enqueue(db, [entry('old.jpg'), entry('n0.jpg'), entry('n1.jpg')]);

    const onCommit = vi.fn();
    const failing = new LibraryWriter(db, { onCommit });
    failing.add(item('n0.jpg', { faces: [face(2)] }));
    failing.add(item('old.jpg', { faces: [face(3)] }, 999, 999)); // a replacement, to be rolled back too
    failing.add(item('n1.jpg', { faces: [face(4)] }));
    failNthFaceAdd(2);
    const err = (await failing.flush().catch((e: unknown) => e)) as WriteError;
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('QuotaExceededError');
    expect(err.items.map((i) => i.entry.path)).toEqual(['n0.jpg', 'old.jpg', 'n1.jpg']);
    expect(onCommit).not.toHaveBeenCalled();

    // Exactly the state before the batch.
    expect((await db.getAll('photos')).map((p) => [p.path, p.size])).toEqual([['old.jpg', 100]]);
    expect((await db.getAll('faces')).map((f) => f.id)).toEqual(old.faces.map((f) => f.id));
    expect((await db.getAllKeys('queue')).sort()).toEqual(['n0.jpg', 'n1.jpg', 'old.jpg']);

    // The writer still works afterwards.
    restore.pop()!();
    failing.add(item('n0.jpg'));
    expect(await failing.flush()).toHaveLength(1);
    expect(await db.count('photos')).toBe(2);
    db.close();
  });

  it('reports errors of flushes it started itself to onError', async () => {
    const db = await freshDb();
    const errors: WriteError[] = [];
    const writer = new LibraryWriter(db, { batchSize: 2, onError: (e) => errors.push(e) });
    failNthFaceAdd(1);
    writer.add(item('a.jpg', { faces: [face(1)] }));
    writer.add(item('b.jpg'));
    await writer.flush(); // waits for the size-triggered flush, then commits an empty batch
    expect(errors.map((e) => e.name)).toEqual(['QuotaExceededError']);
    expect(await db.count('photos')).toBe(0);
    db.close();
  });
});
