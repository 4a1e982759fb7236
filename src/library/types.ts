import type { Box, TextLine } from '../engine/types';
import type { PhotoPlace } from './places/place';
import type { Stage } from './indexing/stages';

/** One photo in the `photos` store. Skipped files are kept too, with `error` set, so they are not retried until they change. */
export interface PhotoRecord {
  id?: number;
  /** Path relative to the picked folder, with '/' separators, e.g. "trips/2019/a.jpg". */
  path: string;
  size: number;
  lastModified: number;
  width: number;
  height: number;
  takenAt: number | null;
  camera: string | null;
  /** [latitude, longitude] in degrees. */
  gps: [number, number] | null;
  /** Schema 3: the place resolved offline from `gps`. Absent until resolved (or without GPS). */
  place?: PhotoPlace;
  /**
   * The WebP thumbnail. Since schema 2 it is written to the `thumbs` store under the photo's id, not to this record:
   * a Blob in a record makes reading it several times slower (a full read of 100k photos took 24 s with them).
   * Records written by schema 1 still hold theirs here.
   */
  thumb?: Blob | null;
  /** [classIndex, score] pairs, best first. */
  labels: [number, number][];
  faceCount: number;
  modelVersion: number;
  indexedAt: number;
  /** Why the file could not be indexed ("not an image", "corrupt JPEG"…). */
  error?: string;
  /** COCO objects, best first; absent on records indexed with objects switched off (or before they existed). */
  objects?: ObjectRecord[];
  /** Area of the largest face as a fraction of the photo, for "selfie"; absent without faces or on older records. */
  largestFace?: number;
  /** Lines of text read in the photo (quads as fractions); absent when none was found or text reading was off. */
  text?: TextLine[];
}

export interface ObjectRecord {
  /** COCO class 0..79 (engine/labels objectName). */
  classIndex: number;
  score: number;
  /** Fractions of the photo's width and height: [x, y, width, height]. */
  box: Box;
}

export interface FaceRecord {
  id?: number;
  photoId: number;
  box: Box;
  score: number;
  landmarks: Int16Array;
  descriptor: Float32Array;
  personId: number | null;
  /** People the user said this face is not ("not this person"): clustering never puts it back there. */
  notPeople?: number[];
}

export interface PersonRecord {
  id?: number;
  name: string | null;
  coverFaceId: number | null;
  hidden: boolean;
  createdAt: number;
  /**
   * Mean descriptor of the person's good faces when last seen: when every photo of a named person is gone
   * (removed, or the folder re-indexed), a new face this close brings the person and the name back.
   */
  anchor?: number[] | null;
  /** People the user said are someone else (a rejected "is this also …?" suggestion). */
  notSame?: number[];
}

export interface EmbeddingRecord {
  photoId: number;
  /** The engine's packed uint8 embedding (1 KiB); Float32Array is read too. */
  vector: Uint8Array | Float32Array;
}

export type QueueState = 'queued' | 'working' | 'failed';

export interface QueueRecord {
  path: string;
  state: QueueState;
  attempts: number;
  reason?: string;
  /** Staged indexing: the stages this photo still lacks ('labels' = its first pass). Absent: the whole photo. */
  lacks?: Stage[];
}

/** What a folder source yields for each file; no pixels are read until getFile(). */
export interface SourceEntry {
  path: string;
  size: number;
  lastModified: number;
  getFile(): Promise<File>;
}
