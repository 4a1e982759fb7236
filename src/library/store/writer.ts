import { MODEL_VERSION, type PhotoAnalysis } from '../../engine/types';
import { putPhoto, type LibraryDb } from './db';
import type { FaceRecord, PhotoRecord } from '../types';
import { bumpGenerations, type Generations } from './generations';
import type { PhotoPlace } from '../places/place';

export interface EntryInfo {
  path: string;
  size: number;
  lastModified: number;
}

/** The engine adds a whole-image embedding (packed uint8); it is stored when present. */
export type AnalysisWithEmbedding = Omit<PhotoAnalysis, 'embedding'> & { embedding?: Uint8Array | Float32Array | null };

export type WriteItem =
  | { entry: EntryInfo; analysis: AnalysisWithEmbedding }
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
  const a = item.analysis;
  const record: PhotoRecord = {
    path, size, lastModified,
    width: a.width, height: a.height, takenAt: a.takenAt, camera: a.camera, gps: a.gps, thumb: a.thumb,
    labels: a.labels.map((l) => [l.classIndex, l.score] as [number, number]),
    faceCount: a.faces.length,
    modelVersion: a.modelVersion,
    indexedAt,
  };
  if (a.objects) record.objects = a.objects.map((o) => ({ classIndex: o.classIndex, score: o.score, box: o.box }));
  // Face boxes are in pixels: the share of the photo the largest face fills.
  const largestFace = a.width * a.height > 0 ? Math.max(0, ...a.faces.map((f) => (f.box[2] * f.box[3]) / (a.width * a.height))) : 0;
  if (largestFace > 0) record.largestFace = Math.round(largestFace * 1e4) / 1e4;
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

    const writeOne = async (item: WriteItem): Promise<CommittedPhoto> => {
      const record = toPhotoRecord(item, indexedAt);
      const place = record.gps && this.place?.(record.gps);
      if (place) record.place = place;
      const oldId = await photos.index('path').getKey(record.path);
      const replaced = oldId !== undefined;
      if (replaced) {
        record.id = oldId;
        const oldFaces = await faces.index('photoId').getAllKeys(oldId);
        await Promise.all([...oldFaces.map((k) => faces.delete(k)), embeddings.delete(oldId)]);
      }
      const id = await putPhoto({ photos, thumbs }, record);
      const a = 'analysis' in item ? item.analysis : null;
      const stored: StoredFace[] = await Promise.all(
        (a?.faces ?? []).map(async (f) => {
          const face: FaceRecord = {
            photoId: id,
            box: f.box,
            score: f.score,
            landmarks: f.landmarks,
            descriptor: f.descriptor,
            personId: null,
          };
          const faceId = await faces.add(face);
          return { ...face, id: faceId };
        }),
      );
      const pending: Promise<unknown>[] = [queue.delete(record.path)];
      if (a?.embedding) pending.push(embeddings.put({ photoId: id, vector: a.embedding }));
      await Promise.all(pending);
      const done: CommittedPhoto = { photo: { ...record, id }, faces: stored, replaced };
      if (a?.embedding) done.embedding = a.embedding;
      return done;
    };

    let committed: CommittedPhoto[];
    let generations: Generations;
    try {
      // All photos in flight at once: IDB pipelines the requests instead of a round trip per step.
      [committed, generations] = await Promise.all([
        Promise.all(items.map(writeOne)),
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
