import type { PhotoRecord } from '../types';
import { OBJECT_THRESHOLD } from '../search/evidence';
import { PlaceIndex } from '../places/placeIndex';
import type { PhotoPlace } from '../places/place';

/** What the UI needs of a photo without touching IndexedDB; thumbs stay on disk. */
export interface PhotoMeta {
  id: number;
  path: string;
  takenAt: number | null;
  lastModified: number;
  width: number;
  height: number;
  faceCount: number;
  /** Area of the largest face as a fraction of the photo (0..1); absent when no faces or written before it was kept. */
  largestFace?: number;
  labels: [number, number][];
  /** Detected objects as [OBJECT_CLASS_BASE + COCO class, best score], one per class; absent when none. */
  objects?: [number, number][];
  /** How many people the object detector is sure of (COCO "person" boxes over its threshold); absent when none. */
  personBoxes?: number;
  camera: string | null;
  gps: boolean;
  /** Resolved from the GPS (places/); absent without GPS or until resolved. */
  place?: PhotoPlace;
  error?: string;
  /** Text read in the photo, lines joined by newlines (textTerms.ts); absent when none. */
  photoText?: string;
}

export interface IndexCounts {
  photos: number;
  faces: number;
  skipped: number;
}

/** Detected objects share the label postings under class ids from here on (COCO class + base). */
export const OBJECT_CLASS_BASE = 10_000;
/** COCO's "person" class. */
export const PERSON_OBJECT = 0;

/**
 * A photo's meta. Every PhotoMeta (here and unpackCatalog) is made with all its fields in this order, absent ones
 * undefined: one object shape, so passes over every photo (the grid's layout, people words) read their fields
 * without V8's megamorphic lookups.
 */
export function toMeta(r: PhotoRecord & { id: number }): PhotoMeta {
  let objects: [number, number][] | undefined;
  let persons = 0;
  if (r.objects?.length) {
    const best = new Map<number, number>();
    for (const o of r.objects) {
      best.set(OBJECT_CLASS_BASE + o.classIndex, Math.max(o.score, best.get(OBJECT_CLASS_BASE + o.classIndex) ?? 0));
      if (o.classIndex === PERSON_OBJECT && o.score >= OBJECT_THRESHOLD) persons++;
    }
    objects = [...best];
  }
  return {
    id: r.id,
    path: r.path,
    takenAt: r.takenAt,
    lastModified: r.lastModified,
    width: r.width,
    height: r.height,
    faceCount: r.faceCount,
    largestFace: r.largestFace || undefined,
    labels: r.labels,
    objects,
    personBoxes: persons || undefined,
    camera: r.camera,
    gps: r.gps != null,
    place: r.place || undefined,
    error: r.error ?? undefined,
    photoText: r.text?.length ? r.text.map((l) => l.text).join('\n') : undefined,
  };
}

/** The grid's order: by date taken, else the file's date, newest first; the higher id first on the same date. */
export function newerFirst(a: PhotoMeta, b: PhotoMeta): number {
  return (b.takenAt ?? b.lastModified) - (a.takenAt ?? a.lastModified) || b.id - a.id;
}

/**
 * The photos of the library as the UI lists them: by id and path, newest first, with counts. Kept apart from
 * the label postings, which only search reads.
 */
export class PhotoCatalog {
  private readonly photos = new Map<number, PhotoMeta>();
  private readonly idByPath = new Map<string, number>();
  /** Photos listed from a snapshot whose paths idByPath does not hold yet. */
  private pathsPending = false;
  private newestFirstIds: number[] | null = null;
  private rankById: Int32Array | null = null;
  private faceTotal = 0;
  private skippedTotal = 0;
  /** The largest id ever listed: ids index typed scratch arrays. */
  maxId = 0;
  /** Places: photos by city, region and country name (kept in step by list/unlist). */
  readonly places = new PlaceIndex(() => this.photos.values());

  get counts(): IndexCounts {
    return { photos: this.photos.size - this.skippedTotal, faces: this.faceTotal, skipped: this.skippedTotal };
  }

  get size(): number {
    return this.photos.size;
  }

  get(id: number): PhotoMeta | undefined {
    return this.photos.get(id);
  }

  has(id: number): boolean {
    return this.photos.has(id);
  }

  idOfPath(path: string): number | undefined {
    return this.pathIndex().get(path);
  }

  /** Every photo's metadata, skipped files included (for the catalog snapshot). */
  metas(): IterableIterator<PhotoMeta> {
    return this.photos.values();
  }

  list(meta: PhotoMeta): void {
    this.pathIndex().set(meta.path, meta.id);
    this.listed(meta);
    this.changed();
  }

  /**
   * Lists the photos of a startup snapshot, which holds each id and path once. The lookup by path (for indexing
   * and removals, not for the grid) is built when first asked: at 100k photos hashing every path held up the open.
   */
  listSnapshot(metas: readonly PhotoMeta[]): void {
    this.pathIndex();
    for (const m of metas) this.listed(m);
    this.pathsPending = true;
    this.changed();
  }

  private listed(meta: PhotoMeta): void {
    this.photos.set(meta.id, meta);
    if (meta.id > this.maxId) this.maxId = meta.id;
    this.faceTotal += meta.faceCount;
    if (meta.error != null) this.skippedTotal++;
    this.places.add(meta.id, meta.place);
  }

  private pathIndex(): Map<string, number> {
    if (this.pathsPending) {
      this.pathsPending = false;
      for (const m of this.photos.values()) this.idByPath.set(m.path, m.id);
    }
    return this.idByPath;
  }

  /** Takes a photo off the list; returns what it held, or undefined for an unknown id. */
  unlist(id: number): PhotoMeta | undefined {
    const old = this.photos.get(id);
    if (!old) return undefined;
    this.photos.delete(id);
    const byPath = this.pathIndex();
    if (byPath.get(old.path) === id) byPath.delete(old.path);
    this.faceTotal -= old.faceCount;
    if (old.error != null) this.skippedTotal--;
    this.places.remove(id);
    this.changed();
    return old;
  }

  /** Indexed photo ids (not skipped files), newest first by takenAt, else file date; valid until the catalog changes. */
  newestFirst(): readonly number[] {
    if (!this.newestFirstIds) {
      const rows: PhotoMeta[] = [];
      for (const m of this.photos.values()) if (m.error == null) rows.push(m);
      this.newestFirstIds = rows.sort(newerFirst).map((m) => m.id);
    }
    return this.newestFirstIds;
  }

  /** A photo's position in newestFirst() (0 = newest); -1 for skipped files and unknown ids. */
  newestRank(id: number): number {
    if (!this.newestFirstIds || !this.rankById) {
      const order = this.newestFirst();
      // Stored as rank + 1, so the zero fill means "not listed".
      const rankById = new Int32Array(this.maxId + 1);
      for (let i = 0; i < order.length; i++) rankById[order[i]] = i + 1;
      this.rankById = rankById;
    }
    return id >= 0 && id < this.rankById.length ? this.rankById[id] - 1 : -1;
  }

  /** Files that could not be indexed, with their reason. */
  skipped(): PhotoMeta[] {
    if (this.skippedTotal === 0) return [];
    const out: PhotoMeta[] = [];
    for (const m of this.photos.values()) if (m.error != null) out.push(m);
    return out;
  }

  private changed(): void {
    this.newestFirstIds = null;
    this.rankById = null;
  }
}
