import { putPhoto, SCHEMA_VERSION, type LibraryDb } from './db';
import type { EmbeddingRecord, FaceRecord, PersonRecord, PhotoRecord } from '../types';
import { isPhotoPlace } from '../places/place';
import { bumpGenerations } from './generations';

/**
 * The portable index: one gzip'd JSON file with everything but the photos themselves, so a library moves to
 * another browser or profile without re-running the models. Typed arrays are base64 of their bytes
 * (little-endian, as every browser stores them); thumbnails are optional.
 */
export const EXPORT_FORMAT = 'shoebox-index';
export const EXPORT_VERSION = 1;
export const EXPORT_FILE_NAME = `shoebox-index-v${EXPORT_VERSION}.json.gz`;

export type ExportedPhoto = Omit<PhotoRecord, 'thumb' | 'id'> & { id: number; thumb?: { type: string; data: string } };
export type ExportedFace = Omit<FaceRecord, 'landmarks' | 'descriptor' | 'id'> & { id: number; landmarks: string; descriptor: string };
/** `dtype` u8: the embedder's own 0–255 outputs (what the app stores); f32 otherwise. */
export type ExportedEmbedding = { photoId: number; vector: string; dtype?: 'u8' | 'f32' };

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  schemaVersion: number;
  exportedAt: string;
  folderName: string | null;
  thumbnails: boolean;
  counts: { photos: number; faces: number; people: number };
}

export interface ExportFile extends ExportHeader {
  photos: ExportedPhoto[];
  faces: ExportedFace[];
  people: (PersonRecord & { id: number })[];
  embeddings: ExportedEmbedding[];
}

/** A file that cannot be imported; the message is for the user, and nothing was changed. */
export class ImportError extends Error {
  override name = 'ImportError';
}

/** The profile already has an index; importing would replace it, which needs the user's yes. */
export class LibraryNotEmpty extends Error {
  override name = 'LibraryNotEmpty';
  constructor(readonly photos: number) {
    super(`This browser already has an index of ${photos} photos; importing replaces it.`);
  }
}

// ── bytes ─────────────────────────────────────────────────

export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const typedToBase64 = (a: Float32Array | Int16Array | Uint8Array) => bytesToBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

// ── export ────────────────────────────────────────────────

export interface ExportOptions {
  thumbnails?: boolean;
  /** Records per chunk of JSON handed to the compressor. */
  chunk?: number;
}

/** The whole library as a gzip'd JSON Blob, read in one transaction so it is a consistent snapshot. */
export async function exportIndex(db: LibraryDb, options: ExportOptions = {}): Promise<Blob> {
  const thumbnails = options.thumbnails ?? false;
  const chunk = options.chunk ?? 500;
  const tx = db.transaction(['photos', 'thumbs', 'faces', 'people', 'embeddings', 'meta']);
  const [photos, thumbIds, thumbBlobs, faces, people, embeddings, folderName] = await Promise.all([
    tx.objectStore('photos').getAll(),
    thumbnails ? tx.objectStore('thumbs').getAllKeys() : [],
    thumbnails ? tx.objectStore('thumbs').getAll() : [],
    tx.objectStore('faces').getAll(),
    tx.objectStore('people').getAll(),
    tx.objectStore('embeddings').getAll(),
    tx.objectStore('meta').get('folderName') as Promise<string | undefined>,
    tx.done,
  ]);
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    schemaVersion: SCHEMA_VERSION,
    exportedAt: new Date().toISOString(),
    folderName: folderName ?? null,
    thumbnails,
    counts: { photos: photos.length, faces: faces.length, people: people.length },
  };

  const thumbOf = new Map(thumbIds.map((id, i) => [id, thumbBlobs[i]]));
  const photoOut = async (p: PhotoRecord): Promise<ExportedPhoto> => {
    const { thumb: legacy, ...rest } = p;
    const out = rest as ExportedPhoto;
    const thumb = thumbOf.get(p.id!) ?? legacy; // a record written by schema 1 holds its own
    if (thumbnails && thumb) out.thumb = { type: thumb.type, data: bytesToBase64(new Uint8Array(await thumb.arrayBuffer())) };
    return out;
  };
  const faceOut = (f: FaceRecord): ExportedFace => ({
    ...(f as FaceRecord & { id: number }),
    landmarks: typedToBase64(f.landmarks),
    descriptor: typedToBase64(f.descriptor),
  });
  const embeddingOut = (e: EmbeddingRecord): ExportedEmbedding => ({
    photoId: e.photoId,
    vector: typedToBase64(e.vector),
    dtype: e.vector instanceof Uint8Array ? 'u8' : 'f32',
  });

  // Written piece by piece, so a large library never sits in memory as one string.
  const sections: [string, unknown[], (r: never) => unknown][] = [
    ['photos', photos, photoOut as (r: never) => unknown],
    ['faces', faces, faceOut as (r: never) => unknown],
    ['people', people, ((p: PersonRecord) => p) as (r: never) => unknown],
    ['embeddings', embeddings, embeddingOut as (r: never) => unknown],
  ];
  async function* pieces(): AsyncGenerator<string> {
    yield JSON.stringify(header).slice(0, -1);
    for (const [name, records, map] of sections) {
      yield `,${JSON.stringify(name)}:[`;
      for (let i = 0; i < records.length; i += chunk) {
        const part = await Promise.all(records.slice(i, i + chunk).map((r) => map(r as never)));
        yield (i ? ',' : '') + part.map((r) => JSON.stringify(r)).join(',');
      }
      yield ']';
    }
    yield '}';
  }
  const it = pieces();
  const text = new ReadableStream<string>({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  const gz = text.pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream('gzip'));
  return new Response(gz, { headers: { 'Content-Type': 'application/gzip' } }).blob();
}

// ── import ────────────────────────────────────────────────

const DAMAGED = 'The index file is damaged and cannot be imported; nothing was changed.';

function notAnIndex(name: string): ImportError {
  return new ImportError(`“${name}” is not a Shoebox index. Choose a ${EXPORT_FILE_NAME} file made with “Export index”; nothing was changed.`);
}

/** Unpacks and checks a file; throws ImportError with the user's reason. */
export async function readExportFile(file: Blob & { name?: string }): Promise<ExportFile> {
  const name = file.name ?? 'This file';
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (head[0] !== 0x1f || head[1] !== 0x8b) throw notAnIndex(name);
  let text: string;
  try {
    text = await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).text();
  } catch {
    throw new ImportError(DAMAGED);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // A gzip of something else (a .json.gz of another app) is still not ours; a cut one of ours is damaged.
    throw text.trimStart().startsWith(`{"format":"${EXPORT_FORMAT}"`) ? new ImportError(DAMAGED) : notAnIndex(name);
  }
  const file_ = data as Partial<ExportFile>;
  if (!file_ || typeof file_ !== 'object' || file_.format !== EXPORT_FORMAT) throw notAnIndex(name);
  if (typeof file_.version !== 'number' || !Number.isInteger(file_.version) || file_.version < 1) throw new ImportError(DAMAGED);
  if (file_.version > EXPORT_VERSION) {
    throw new ImportError(
      `This index was exported by a newer version of Shoebox (format v${file_.version}; this one reads v${EXPORT_VERSION}). Update Shoebox to import it; nothing was changed.`,
    );
  }
  for (const key of ['photos', 'faces', 'people', 'embeddings'] as const) if (!Array.isArray(file_[key])) throw new ImportError(DAMAGED);
  const counts = file_.counts;
  if (counts && (counts.photos !== file_.photos!.length || counts.faces !== file_.faces!.length || counts.people !== file_.people!.length)) {
    throw new ImportError(DAMAGED);
  }
  return file_ as ExportFile;
}

const isId = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** Base64 back to bytes of the expected length (null: any length). */
function decodeTyped<T>(b64: unknown, bytes: number | null, make: (buf: ArrayBuffer) => T): T {
  if (typeof b64 !== 'string') throw new ImportError(DAMAGED);
  let raw: Uint8Array<ArrayBuffer>;
  try {
    raw = base64ToBytes(b64);
  } catch {
    throw new ImportError(DAMAGED);
  }
  if (bytes !== null && raw.byteLength !== bytes) throw new ImportError(DAMAGED);
  return make(raw.buffer);
}

/** Turns the file's records back into store records, checking every field a reader relies on. */
export function toRecords(file: ExportFile) {
  const photos: PhotoRecord[] = file.photos.map((p) => {
    if (!isId(p.id) || typeof p.path !== 'string' || !p.path || !isNum(p.size) || !isNum(p.lastModified) || !isNum(p.modelVersion) || !Array.isArray(p.labels)) {
      throw new ImportError(DAMAGED);
    }
    // Text read in the photo (schema 4): search and the photo view read every line's text and quad.
    if (p.text !== undefined && !(Array.isArray(p.text) && p.text.every((l) => typeof l?.text === 'string' && Array.isArray(l.quad) && l.quad.length === 8 && l.quad.every(isNum)))) {
      throw new ImportError(DAMAGED);
    }
    const { thumb, place, ...rest } = p;
    let blob: Blob | null = null;
    if (thumb) {
      if (typeof thumb.type !== 'string' || typeof thumb.data !== 'string') throw new ImportError(DAMAGED);
      blob = new Blob([decodeTyped(thumb.data, null, (b) => b)], { type: thumb.type });
    }
    return {
      ...rest,
      // Places: a malformed place is dropped, and the photo's GPS is named again after the import.
      ...(isPhotoPlace(place) ? { place } : {}),
      width: rest.width ?? 0, height: rest.height ?? 0, takenAt: rest.takenAt ?? null, camera: rest.camera ?? null, gps: rest.gps ?? null,
      faceCount: rest.faceCount ?? 0, indexedAt: rest.indexedAt ?? 0,
      thumb: blob,
    };
  });
  const photoIds = new Set(photos.map((p) => p.id));
  const faces: FaceRecord[] = file.faces.map((f) => {
    if (!isId(f.id) || !photoIds.has(f.photoId) || !Array.isArray(f.box) || f.box.length !== 4 || !f.box.every(isNum)) throw new ImportError(DAMAGED);
    return {
      ...f,
      landmarks: decodeTyped(f.landmarks, 136 * 2, (b) => new Int16Array(b)),
      descriptor: decodeTyped(f.descriptor, 128 * 4, (b) => new Float32Array(b)),
      personId: f.personId ?? null,
    };
  });
  const people: PersonRecord[] = file.people.map((p) => {
    if (!isId(p.id)) throw new ImportError(DAMAGED);
    return { ...p, name: p.name ?? null, coverFaceId: p.coverFaceId ?? null, hidden: !!p.hidden, createdAt: p.createdAt ?? 0 };
  });
  const embeddings: EmbeddingRecord[] = file.embeddings.map((e) => {
    if (!photoIds.has(e.photoId)) throw new ImportError(DAMAGED);
    const raw = decodeTyped(e.vector, null, (b) => b);
    if (e.dtype === 'u8') return { photoId: e.photoId, vector: new Uint8Array(raw) };
    if (raw.byteLength % 4) throw new ImportError(DAMAGED);
    return { photoId: e.photoId, vector: new Float32Array(raw) };
  });
  return { photos, faces, people, embeddings };
}

export interface ImportResult {
  photos: number;
  faces: number;
  people: number;
  folderName: string | null;
}

/**
 * Restores an exported index. Refuses a non-empty library unless `replace`; everything is checked before
 * the one transaction that writes, so a bad file, or a failure while writing, changes nothing.
 */
export async function importIndex(db: LibraryDb, file: Blob & { name?: string }, options: { replace?: boolean } = {}): Promise<ImportResult> {
  const data = await readExportFile(file);
  const records = toRecords(data);
  if (!options.replace) {
    const existing = await db.count('photos');
    if (existing > 0) throw new LibraryNotEmpty(existing);
  }
  const tx = db.transaction(['photos', 'thumbs', 'faces', 'people', 'embeddings', 'queue', 'meta'], 'readwrite');
  tx.done.catch(() => undefined);
  try {
    const stores = ['photos', 'thumbs', 'faces', 'people', 'embeddings', 'queue'] as const;
    await Promise.all(stores.map((s) => tx.objectStore(s).clear()));
    const meta = tx.objectStore('meta');
    await Promise.all([
      ...records.photos.map((r) => putPhoto({ photos: tx.objectStore('photos'), thumbs: tx.objectStore('thumbs') }, r)),
      ...records.faces.map((r) => tx.objectStore('faces').put(r)),
      ...records.people.map((r) => tx.objectStore('people').put(r)),
      ...records.embeddings.map((r) => tx.objectStore('embeddings').put(r)),
      meta.put(data.folderName, 'folderName'),
      // A folder handle belongs to the profile that picked it; the imported index must be re-pointed.
      meta.delete('folderHandle'),
      bumpGenerations(meta, ['photos', 'faces']),
    ]);
    await tx.done;
  } catch (err) {
    try {
      tx.abort();
    } catch {
      /* already aborted */
    }
    const name = (tx.error ?? (err as Error))?.name;
    if (name === 'QuotaExceededError') throw new ImportError('Storage is full: the index could not be imported; nothing was changed.');
    throw new ImportError(DAMAGED);
  }
  return { photos: records.photos.length, faces: records.faces.length, people: records.people.length, folderName: data.folderName ?? null };
}
