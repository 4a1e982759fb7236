import { MODEL_VERSION } from '../../engine/types';
import type { LibraryDb } from '../store/db';
import type { QueueRecord, SourceEntry } from '../types';
import { bumpGenerations, type Generations } from '../store/generations';

export interface FolderDiff<E extends SourceEntry = SourceEntry> {
  /** New files, changed files, and files indexed by an older model. */
  toIndex: E[];
  unchanged: number;
  /** Ids of photos whose file is gone. */
  removed: number[];
}

interface Known {
  id: number;
  size: number;
  lastModified: number;
  modelVersion: number;
  failed: boolean;
}

/** Compares a folder listing with the `photos` store; reads no pixels and writes nothing. */
export async function diffFolder<E extends SourceEntry>(db: LibraryDb, entries: Iterable<E>): Promise<FolderDiff<E>> {
  // One cursor pass keeps only the fields the diff needs.
  const known = new Map<string, Known>();
  let cursor = await db.transaction('photos').store.openCursor();
  while (cursor) {
    const r = cursor.value;
    known.set(r.path, {
      id: cursor.primaryKey,
      size: r.size,
      lastModified: r.lastModified,
      modelVersion: r.modelVersion,
      failed: r.error != null,
    });
    cursor = await cursor.continue();
  }

  const toIndex: E[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path)) continue;
    seen.add(entry.path);
    const k = known.get(entry.path);
    const sameFile = k !== undefined && k.size === entry.size && k.lastModified === entry.lastModified;
    // A file that failed stays failed until it changes: retrying it on every visit would only fail again.
    if (sameFile && (k.failed || k.modelVersion === MODEL_VERSION)) unchanged++;
    else toIndex.push(entry);
  }

  const removed: number[] = [];
  for (const [path, k] of known) if (!seen.has(path)) removed.push(k.id);
  return { toIndex, unchanged, removed };
}

/** Deletes photos with their thumbnails, faces and embeddings, all in one transaction; resolves to the new generations. */
export async function removePhotos(db: LibraryDb, ids: Iterable<number>): Promise<Generations> {
  const tx = db.transaction(['photos', 'thumbs', 'faces', 'embeddings', 'meta'], 'readwrite');
  const faces = tx.objectStore('faces');
  const work: Promise<unknown>[] = [];
  for (const id of ids) {
    work.push(
      tx.objectStore('photos').delete(id),
      tx.objectStore('thumbs').delete(id),
      tx.objectStore('embeddings').delete(id),
      faces
        .index('photoId')
        .getAllKeys(id)
        .then((keys) => Promise.all(keys.map((k) => faces.delete(k)))),
    );
  }
  const [generations] = await Promise.all([bumpGenerations(tx.objectStore('meta'), ['photos', 'faces']), ...work, tx.done]);
  return generations;
}

/** Puts files in the persistent queue, so an interrupted run resumes from IndexedDB; the writer removes them. */
export async function enqueue(db: LibraryDb, entries: Iterable<{ path: string }>): Promise<void> {
  const tx = db.transaction('queue', 'readwrite');
  const work: Promise<unknown>[] = [];
  for (const { path } of entries) {
    const rec: QueueRecord = { path, state: 'queued', attempts: 0 };
    work.push(tx.store.put(rec));
  }
  await Promise.all([...work, tx.done]);
}

/**
 * Makes the queue exactly this run's files: entries left by an earlier, interrupted run are either in this
 * diff again or no longer need indexing (indexed since, or gone from the folder).
 */
export async function replaceQueue(db: LibraryDb, entries: Iterable<{ path: string } | QueueRecord>): Promise<void> {
  const tx = db.transaction('queue', 'readwrite');
  const work: Promise<unknown>[] = [tx.store.clear()];
  for (const e of entries) {
    const rec: QueueRecord = 'state' in e ? e : { path: e.path, state: 'queued', attempts: 0 };
    work.push(tx.store.put(rec));
  }
  await Promise.all([...work, tx.done]);
}
