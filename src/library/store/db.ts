import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames, type StoreValue } from 'idb';
import type {
  EmbeddingRecord,
  FaceRecord,
  PersonRecord,
  PhotoRecord,
  QueueRecord,
  QueueState,
} from '../types';

export interface ShoeboxSchema extends DBSchema {
  photos: {
    key: number;
    value: PhotoRecord;
    // takenAt null is not a valid key, so photos without a date are simply absent from that index.
    indexes: { path: string; takenAt: number };
  };
  faces: {
    key: number;
    value: FaceRecord;
    indexes: { photoId: number; personId: number };
  };
  embeddings: { key: number; value: EmbeddingRecord };
  /** A photo's thumbnail under the photo's id (schema 2). */
  thumbs: { key: number; value: Blob };
  people: { key: number; value: PersonRecord; indexes: { name: string } };
  queue: { key: string; value: QueueRecord; indexes: { state: QueueState } };
  // Out-of-line keys: folder handle, schemaVersion, settings.
  meta: { key: string; value: unknown };
}

export type LibraryDb = IDBPDatabase<ShoeboxSchema>;
export type StoreName = StoreNames<ShoeboxSchema>;
export type UpgradeTx = IDBPTransaction<ShoeboxSchema, StoreName[], 'versionchange'>;

/**
 * One step of the schema: `migrations[v]` takes a database at version v to v + 1.
 * A step may be async, but must only await IDB requests on `tx` (any other await lets the upgrade commit).
 */
export type Migration = (db: LibraryDb, tx: UpgradeTx) => void | Promise<void>;

export const migrations: Record<number, Migration> = {
  0: (db) => {
    const photos = db.createObjectStore('photos', { keyPath: 'id', autoIncrement: true });
    photos.createIndex('path', 'path', { unique: true });
    photos.createIndex('takenAt', 'takenAt');

    const faces = db.createObjectStore('faces', { keyPath: 'id', autoIncrement: true });
    faces.createIndex('photoId', 'photoId');
    faces.createIndex('personId', 'personId');

    db.createObjectStore('embeddings', { keyPath: 'photoId' });

    const people = db.createObjectStore('people', { keyPath: 'id', autoIncrement: true });
    people.createIndex('name', 'name');

    const queue = db.createObjectStore('queue', { keyPath: 'path' });
    queue.createIndex('state', 'state');

    db.createObjectStore('meta');
  },
  // New thumbnails go to a store of their own. Records written before keep theirs (readers fall back to
  // `record.thumb`): moving 100k thumbnails inside the upgrade transaction took over five minutes of blank app.
  1: (db) => {
    db.createObjectStore('thumbs');
  },
  // Photos gain `place`, named offline from their GPS. Nothing is rewritten here: the place data is a fetch, and
  // any await but an IDB request commits the upgrade; rewriting every GPS record inside it would also hold a blank
  // app, as moving v1's thumbnails did. Photos with GPS and no place are named after load (places/backfill.ts).
  2: () => {},
  // Text read in photos lives in each photo record (`text`, like `objects`): no store changes. Photos indexed
  // before have none; MODEL_VERSION 3 has the next scan read them again.
  3: () => {},
};

export const SCHEMA_VERSION = 4;

/** The two stores of a readwrite transaction that hold a photo (any transaction over both). */
export interface PhotoStores {
  photos: { put(record: PhotoRecord): Promise<number> };
  thumbs: { put(thumb: Blob, id: number): Promise<number>; delete(id: number): Promise<void> };
}

/** Puts a photo record and its thumbnail (into `thumbs`, or none); resolves to the photo's id. */
export async function putPhoto(stores: PhotoStores, record: PhotoRecord): Promise<number> {
  const { thumb, ...rest } = record;
  const id = await stores.photos.put(rest);
  await (thumb ? stores.thumbs.put(thumb, id) : stores.thumbs.delete(id));
  return id;
}

/** A photo's thumbnail: from `thumbs`, else from its record (records written by schema 1 hold their own). */
export async function readThumb(
  stores: { thumbs: { get(id: number): Promise<Blob | undefined> }; photos: { get(id: number): Promise<PhotoRecord | undefined> } },
  id: number,
): Promise<Blob | undefined> {
  return (await stores.thumbs.get(id)) ?? (await stores.photos.get(id))?.thumb ?? undefined;
}

export interface OpenOptions {
  /** For migration tests: open at another version with another list of steps. */
  version?: number;
  migrations?: Record<number, Migration>;
  /** Another tab wants a newer schema: by default this connection closes so the upgrade can proceed. */
  onBlocking?: () => void;
}

export async function runMigrations(
  db: LibraryDb,
  tx: UpgradeTx,
  oldVersion: number,
  newVersion: number,
  steps: Record<number, Migration>,
): Promise<void> {
  try {
    for (let v = oldVersion; v < newVersion; v++) {
      const step = steps[v];
      if (!step) throw new Error(`No migration from schema version ${v} to ${v + 1}`);
      // Sync steps stay in the same tick, so the versionchange transaction never goes inactive between them.
      const pending = step(db, tx);
      if (pending) await pending;
    }
    await tx.objectStore('meta').put(newVersion, 'schemaVersion');
  } catch (err) {
    // Aborting rolls back every step, so a failed upgrade leaves the old data and version untouched.
    try {
      tx.abort();
    } catch {
      /* already finished */
    }
    throw err;
  }
}

export async function openLibraryDb(name = 'shoebox', options: OpenOptions = {}): Promise<LibraryDb> {
  const version = options.version ?? SCHEMA_VERSION;
  const steps = options.migrations ?? migrations;
  let upgradeError: unknown;
  let db: LibraryDb;
  try {
    db = await openDB<ShoeboxSchema>(name, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        // An aborted upgrade already rejects openDB; this keeps its tx.done from being reported as unhandled.
        tx.done.catch(() => undefined);
        runMigrations(db, tx, oldVersion, newVersion ?? version, steps).catch((err) => {
          upgradeError = err;
        });
      },
      blocking() {
        if (options.onBlocking) options.onBlocking();
        else db?.close();
      },
    });
  } catch (err) {
    // The abort's own error ("AbortError") hides the cause; report the migration's error instead.
    throw upgradeError ?? err;
  }
  return db;
}

export async function getMeta<T = unknown>(db: LibraryDb, key: string): Promise<T | undefined> {
  return (await db.get('meta', key)) as T | undefined;
}

export async function setMeta(db: LibraryDb, key: string, value: unknown): Promise<void> {
  await db.put('meta', value, key);
}

/**
 * Every record of a store in key order, handed over a page at a time. Key-ordered getAll pages: a cursor step per
 * record costs an event-loop turn each, far slower at 100k.
 */
export async function forEachPage<N extends 'photos' | 'faces' | 'embeddings'>(
  db: LibraryDb,
  store: N,
  onPage: (page: StoreValue<ShoeboxSchema, N>[]) => void,
  batch = 5000,
): Promise<void> {
  const keyPath = db.transaction(store).store.keyPath as string;
  let after: IDBValidKey | null = null;
  for (;;) {
    const range: IDBKeyRange | undefined = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
    const page: StoreValue<ShoeboxSchema, N>[] = await db.getAll(store, range, batch);
    onPage(page);
    if (page.length < batch) return;
    after = (page[page.length - 1] as unknown as Record<string, IDBValidKey>)[keyPath];
  }
}
