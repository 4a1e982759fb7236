import { MODEL_VERSION, type PhotoAnalysis } from '../../engine/types';
import { putPhoto, type LibraryDb } from './db';
import type { FaceRecord, PhotoRecord } from '../types';
import { bumpGenerations, type Generations } from './generations';
import type { PhotoPlace } from '../places/place';
import type { LaterStage } from '../indexing/stages';

export interface EntryInfo {
  path: string;
  size: number;
  lastModified: number;
}

/** The engine adds a whole-image embedding (packed uint8); it is stored when present. */
export type AnalysisWithEmbedding = Omit<PhotoAnalysis, 'embedding'> & { embedding?: Uint8Array | Float32Array | null };

/**
 * A photo's analysis to write. Unstaged (no `pass`), it is the whole photo. Staged indexing writes the first pass
 * (`lacks`: the later stages it leaves queued), then a later pass that merges its `stages` into the stored record
 * (`analysis` null: those stages failed, and are given up like a file that cannot be read).
 */
export type WriteItem =
  | { entry: EntryInfo; analysis: AnalysisWithEmbedding; pass?: 'all' | 'first'; lacks?: LaterStage[] }
  | { entry: EntryInfo; analysis: AnalysisWithEmbedding | null; pass: 'later'; stages: LaterStage[] }
  | { entry: EntryInfo; error: string };

export type StoredPhoto = PhotoRecord & { id: number };
export type StoredFace = FaceRecord & { id: number };

export interface CommittedPhoto {
  photo: StoredPhoto;
  faces: StoredFace[];
  /** True when an older record of the same path was replaced (its faces and embedding were deleted). */
  replaced: boolean;
  /** The image embedding written with it, if any. */
  embedding?: Uint8Array | Float32Array;
  /**
   * What this commit wrote: the whole photo ('all'), its first pass ('first': faces and embedding untouched, an
   * older record's kept until its later pass) or its later stages ('later': `faces` and `embedding` are the new ones).
   */
  pass: 'all' | 'first' | 'later';
}

export interface WriterOptions {
  batchSize?: number;
  flushMs?: number;
  /** `generations`: the stores' change counters after this commit (see generations.ts). */
  onCommit?: (committed: CommittedPhoto[], generations: Generations) => void;
  /** Errors of flushes the writer started itself (size or timer); `flush()` callers get theirs as a rejection. */
  onError?: (err: WriteError) => void;
  now?: () => number;
  /** Places: names a photo's GPS ([lat, lon]); undefined while the place data is not loaded (resolved later). */
  place?: (gps: [number, number]) => PhotoPlace | undefined;
}

/** A failed batch: nothing of it was written, and its queue entries are still there, so a resume retries them. */
export interface WriteError extends Error {
  items: WriteItem[];
}

const COMMIT_STORES = ['photos', 'thumbs', 'faces', 'embeddings', 'queue', 'meta'] as const;

/** What a stored record keeps of its later stages when a first pass rewrites it. */
const LATER_FIELDS = ['faceCount', 'largestFace', 'objects', 'text'] as const;

/** A stored record with the later stages of `a` put in (those in `stages`). */
export function mergeLater(record: PhotoRecord, a: AnalysisWithEmbedding, stages: readonly LaterStage[]): PhotoRecord {
  const merged: PhotoRecord = { ...record };
  if (stages.includes('faces')) {
    merged.faceCount = a.faces.length;
    const largest = largestFaceOf(a);
    if (largest > 0) merged.largestFace = largest;
    else delete merged.largestFace;
  }
  if (stages.includes('objects')) {
    if (a.objects) merged.objects = a.objects.map((o) => ({ classIndex: o.classIndex, score: o.score, box: o.box }));
    else delete merged.objects;
  }
  if (stages.includes('text')) {
    if (a.text?.length) merged.text = a.text.map((l) => ({ text: l.text, score: l.score, quad: l.quad }));
    else delete merged.text;
  }
  return merged;
}

/** Face boxes are in pixels: the share of the photo the largest face fills (0 without faces). */
function largestFaceOf(a: AnalysisWithEmbedding): number {
  const largest = a.width * a.height > 0 ? Math.max(0, ...a.faces.map((f) => (f.box[2] * f.box[3]) / (a.width * a.height))) : 0;
  return Math.round(largest * 1e4) / 1e4;
}

export function toPhotoRecord(item: WriteItem, indexedAt: number): PhotoRecord {
  const { path, size, lastModified } = item.entry;
  if ('error' in item) {
    return {
      path, size, lastModified,
      width: 0, height: 0, takenAt: null, camera: null, gps: null, thumb: null,
      labels: [], faceCount: 0,
      // The scanner never retries an unchanged file that failed, whatever this says.
      modelVersion: MODEL_VERSION,
      indexedAt,
      error: item.error,
    };
  }
  const a = item.analysis!;
  const record: PhotoRecord = {
    path, size, lastModified,
    width: a.width, height: a.height, takenAt: a.takenAt, camera: a.camera, gps: a.gps, thumb: a.thumb,
    labels: a.labels.map((l) => [l.classIndex, l.score] as [number, number]),
    faceCount: a.faces.length,
    modelVersion: a.modelVersion,
    indexedAt,
  };
  if (a.objects) record.objects = a.objects.map((o) => ({ classIndex: o.classIndex, score: o.score, box: o.box }));
  const largestFace = largestFaceOf(a);
  if (largestFace > 0) record.largestFace = largestFace;
  if (a.text?.length) record.text = a.text.map((l) => ({ text: l.text, score: l.score, quad: l.quad }));
  return record;
}

function toWriteError(cause: unknown, items: WriteItem[]): WriteError {
  const name = (cause as { name?: string } | null)?.name;
  const message = (cause as { message?: string } | null)?.message || String(cause);
  const err = new Error(
    name === 'QuotaExceededError' ? `Storage is full: ${message}` : `Could not save ${items.length} photos: ${message}`,
    { cause },
  ) as WriteError;
  // Keep the DOMException's name so callers can tell a full disk from a bug.
  if (name) err.name = name;
  err.items = items;
  return err;
}

export class LibraryWriter {
  readonly batchSize: number;
  readonly flushMs: number;
  private buffer: WriteItem[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private inFlight = 0;
  private readonly onCommit?: (committed: CommittedPhoto[], generations: Generations) => void;
  private readonly onError?: (err: WriteError) => void;
  private readonly now: () => number;
  private readonly place?: (gps: [number, number]) => PhotoPlace | undefined;

  constructor(private readonly db: LibraryDb, options: WriterOptions = {}) {
    this.batchSize = Math.max(1, options.batchSize ?? 200);
    this.flushMs = options.flushMs ?? 1000;
    this.onCommit = options.onCommit;
    this.onError = options.onError;
    this.now = options.now ?? Date.now;
    this.place = options.place;
  }

  /** Items buffered or being written. */
  get pending(): number {
    return this.buffer.length + this.inFlight;
  }

  add(item: WriteItem): void {
    this.buffer.push(item);
    if (this.buffer.length >= this.batchSize) {
      this.flush().catch((err: WriteError) => this.reportError(err));
    } else if (this.timer === null) {
      // The timer bounds how stale the library view can get while a slow folder trickles in.
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush().catch((err: WriteError) => this.reportError(err));
      }, this.flushMs);
    }
  }

  /**
   * Commits everything buffered in one transaction, after any flush already running.
   * Resolves to this batch's committed records; rejects with a WriteError if nothing of it was written.
   */
  flush(): Promise<CommittedPhoto[]> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.inFlight += batch.length;
    // Chained so that batches commit in the order they were added, even if one fails.
    const result = this.tail.then(
      () => this.commit(batch),
      () => this.commit(batch),
    );
    this.tail = result.catch(() => undefined);
    return result.finally(() => {
      this.inFlight -= batch.length;
    });
  }

  /** Flushes and stops the timer; the writer can still be used afterwards. */
  close(): Promise<CommittedPhoto[]> {
    return this.flush();
  }

  private reportError(err: WriteError): void {
    if (this.onError) this.onError(err);
    else console.error(err);
  }

  private async commit(batch: WriteItem[]): Promise<CommittedPhoto[]> {
    if (batch.length === 0) return [];
    // The same path twice in a batch: the later analysis wins, and the unique path index never sees both.
    const byPath = new Map<string, WriteItem>();
    for (const item of batch) byPath.set(item.entry.path, item);
    const items = [...byPath.values()];

    const indexedAt = this.now();
    const tx = this.db.transaction(COMMIT_STORES, 'readwrite');
    // Observed below through `await tx.done`; this only keeps an abort from being reported as unhandled.
    tx.done.catch(() => undefined);
    const photos = tx.objectStore('photos');
    const thumbs = tx.objectStore('thumbs');
    const faces = tx.objectStore('faces');
    const embeddings = tx.objectStore('embeddings');
    const queue = tx.objectStore('queue');

    const addFaces = (id: number, a: AnalysisWithEmbedding | null): Promise<StoredFace[]> =>
      Promise.all(
        (a?.faces ?? []).map(async (f) => {
          const face: FaceRecord = { photoId: id, box: f.box, score: f.score, landmarks: f.landmarks, descriptor: f.descriptor, personId: null };
          const faceId = await faces.add(face);
          return { ...face, id: faceId };
        }),
      );
    const dropFaces = async (id: number) => {
      const old = await faces.index('photoId').getAllKeys(id);
      await Promise.all(old.map((k) => faces.delete(k)));
    };

    /** A later pass: its stages merged into the stored record; null when the photo is gone meanwhile. */
    const writeLater = async (item: Extract<WriteItem, { pass: 'later' }>): Promise<CommittedPhoto | null> => {
      const pending: Promise<unknown>[] = [queue.delete(item.entry.path)];
      const id = await photos.index('path').getKey(item.entry.path);
      const stored = id === undefined ? undefined : await photos.get(id);
      if (id === undefined || !stored || !item.analysis) {
        await Promise.all(pending);
        return null;
      }
      const a = item.analysis;
      const record = { ...mergeLater(stored, a, item.stages), indexedAt };
      const withFaces = item.stages.includes('faces');
      if (withFaces) await dropFaces(id);
      pending.push(photos.put(record));
      if (item.stages.includes('embedding')) pending.push(a.embedding ? embeddings.put({ photoId: id, vector: a.embedding }) : embeddings.delete(id));
      const [storedFaces] = await Promise.all([withFaces ? addFaces(id, a) : Promise.resolve([]), ...pending]);
      const done: CommittedPhoto = { photo: { ...record, id }, faces: storedFaces, replaced: true, pass: 'later' };
      if (a.embedding) done.embedding = a.embedding;
      return done;
    };

    const writeOne = async (item: WriteItem): Promise<CommittedPhoto | null> => {
      if ('pass' in item && item.pass === 'later') return writeLater(item);
      const record = toPhotoRecord(item, indexedAt);
      const place = record.gps && this.place?.(record.gps);
      if (place) record.place = place;
      const oldId = await photos.index('path').getKey(record.path);
      const replaced = oldId !== undefined;
      const first = 'pass' in item && item.pass === 'first';
      if (replaced) {
        record.id = oldId;
        if (first) {
          // Until its later pass lands, a changed photo keeps its older faces, objects, text and embedding.
          const old = await photos.get(oldId);
          for (const k of LATER_FIELDS) if (old?.[k] !== undefined) (record as unknown as Record<string, unknown>)[k] = old[k];
        } else {
          await Promise.all([dropFaces(oldId), embeddings.delete(oldId)]);
        }
      }
      const id = await putPhoto({ photos, thumbs }, record);
      const a = 'analysis' in item && !first ? item.analysis : null;
      const stored = await addFaces(id, a);
      const lacks = 'lacks' in item ? (item.lacks ?? []) : [];
      const pending: Promise<unknown>[] = [
        lacks.length ? queue.put({ path: record.path, state: 'queued', attempts: 0, lacks }) : queue.delete(record.path),
      ];
      if (a?.embedding) pending.push(embeddings.put({ photoId: id, vector: a.embedding }));
      await Promise.all(pending);
      const done: CommittedPhoto = { photo: { ...record, id }, faces: stored, replaced, pass: first ? 'first' : 'all' };
      if (a?.embedding) done.embedding = a.embedding;
      return done;
    };

    let committed: CommittedPhoto[];
    let generations: Generations;
    try {
      // All photos in flight at once: IDB pipelines the requests instead of a round trip per step.
      [committed, generations] = await Promise.all([
        Promise.all(items.map(writeOne)).then((all) => all.filter((c): c is CommittedPhoto => c !== null)),
        bumpGenerations(tx.objectStore('meta'), ['photos', 'faces']),
      ]);
      await tx.done;
    } catch (cause) {
      // A throwing put (or a failed request) must not leave a half-written batch behind.
      try {
        tx.abort();
      } catch {
        /* already aborted or finished */
      }
      // Prefer the transaction's reason (e.g. QuotaExceededError at commit) over the abort echo.
      const reason = tx.error ?? cause;
      throw toWriteError(reason, batch);
    }
    this.onCommit?.(committed, generations);
    return committed;
  }
}
