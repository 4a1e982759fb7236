import type { LibraryDb } from './db';
import { GENERATION_KEYS, type GenerationName } from './generations';
import type { PhotoMeta } from '../search/searchIndex';
import { newerFirst } from '../catalog/photoCatalog';
import type { Box } from '../../engine/types';
import type { PhotoPlace } from '../places/place';

/**
 * Packed copies of what startup needs, kept in `meta`: reading 100k photo records (each with its thumbnail
 * blob) or 250k face records one structured-clone object at a time takes tens of seconds, while a few typed
 * arrays load in well under a second. The stores stay the source of truth; a snapshot is used only when its
 * generation equals the store's change counter (generations.ts), and is rewritten from memory when the app is
 * quiet.
 */
export const SNAPSHOT_KEYS = {
  catalog: 'snapshot:catalog',
  faces: 'snapshot:faces',
  embeddings: 'snapshot:embeddings',
} as const;
const FORMAT = 1;
/** The catalog's own format: 2 added largestFace and personBoxes (people words); an older one is read anew. */
const CATALOG_FORMAT = 2;
/** Faces per chunk: 8 MiB of descriptors, well under the size at which one IDB value gets unwieldy. */
export const FACE_CHUNK = 16_384;
const faceChunkKey = (i: number) => `${SNAPSHOT_KEYS.faces}:${i}`;

/** Photo metadata (search index input) as columns: one path string, label/object lists as CSR runs. */
export interface CatalogSnapshot {
  format: number;
  generation: number;
  ids: Int32Array;
  takenAt: Float64Array;
  lastModified: Float64Array;
  width: Int32Array;
  height: Int32Array;
  faceCount: Int32Array;
  /** PhotoMeta.largestFace, 0 when absent. */
  largestFace: Float64Array;
  /** PhotoMeta.personBoxes, 0 when absent. */
  personBoxes: Int32Array;
  gps: Uint8Array;
  pathEnd: Uint32Array;
  paths: string;
  cameraNames: string[];
  /** Index into cameraNames, −1 when unknown. */
  camera: Int32Array;
  labelEnd: Uint32Array;
  labelClass: Int32Array;
  labelScore: Float64Array;
  objectEnd: Uint32Array;
  objectClass: Int32Array;
  objectScore: Float64Array;
  /** [row, reason] of files that could not be indexed. */
  errors: [number, string][];
  /** Schema 3: each row's index into `placeList`, −1 for none (absent in snapshots written before places). */
  place?: Int32Array;
  placeList?: PhotoPlace[];
  /** [row, text] of photos with text read in them (absent in snapshots written before text existed). */
  texts?: [number, string][];
}

/** What People and FaceIndex need of a face record (no landmarks). */
export interface PackedFace {
  id: number;
  photoId: number;
  box: Box;
  score: number;
  descriptor: ArrayLike<number>;
  personId: number | null;
  notPeople?: number[];
}

interface FacesHeader {
  format: number;
  generation: number;
  count: number;
  chunks: number;
}

interface FacesChunk {
  ids: Int32Array;
  photoIds: Int32Array;
  /** −1 for none. */
  personIds: Int32Array;
  scores: Float64Array;
  boxes: Float64Array;
  descriptors: Float32Array;
  notPeople: [number, number[]][];
}

export interface EmbeddingsSnapshot {
  format: number;
  generation: number;
  ids: Int32Array;
  /** Row-major packed uint8 embeddings (SimilarIndex's own layout). */
  data: Uint8Array;
}

export function packCatalog(metas: Iterable<PhotoMeta>, generation: number): CatalogSnapshot {
  // Newest first, as the grid lists them: the open that reads this snapshot then sorts a list already in order.
  const rows = [...metas].sort(newerFirst);
  const n = rows.length;
  const s: CatalogSnapshot = {
    format: CATALOG_FORMAT, generation,
    ids: new Int32Array(n), takenAt: new Float64Array(n), lastModified: new Float64Array(n),
    width: new Int32Array(n), height: new Int32Array(n), faceCount: new Int32Array(n), gps: new Uint8Array(n),
    largestFace: new Float64Array(n), personBoxes: new Int32Array(n),
    pathEnd: new Uint32Array(n), paths: '', cameraNames: [], camera: new Int32Array(n),
    labelEnd: new Uint32Array(n), labelClass: new Int32Array(0), labelScore: new Float64Array(0),
    objectEnd: new Uint32Array(n), objectClass: new Int32Array(0), objectScore: new Float64Array(0),
    errors: [], texts: [],
    place: new Int32Array(n), placeList: [],
  };
  // Photos share few places: each distinct one is stored once.
  const placeIndex = new Map<string, number>();
  let labels = 0;
  let objects = 0;
  for (const m of rows) {
    labels += m.labels.length;
    objects += m.objects?.length ?? 0;
  }
  s.labelClass = new Int32Array(labels);
  s.labelScore = new Float64Array(labels);
  s.objectClass = new Int32Array(objects);
  s.objectScore = new Float64Array(objects);
  const cameraIndex = new Map<string, number>();
  const paths: string[] = [];
  let pathLength = 0;
  labels = 0;
  objects = 0;
  rows.forEach((m, i) => {
    s.ids[i] = m.id;
    // NaN stands for "no date" (null).
    s.takenAt[i] = m.takenAt ?? NaN;
    s.lastModified[i] = m.lastModified;
    s.width[i] = m.width;
    s.height[i] = m.height;
    s.faceCount[i] = m.faceCount;
    s.largestFace[i] = m.largestFace ?? 0;
    s.personBoxes[i] = m.personBoxes ?? 0;
    s.gps[i] = m.gps ? 1 : 0;
    paths.push(m.path);
    pathLength += m.path.length;
    s.pathEnd[i] = pathLength;
    if (m.camera == null) s.camera[i] = -1;
    else {
      let c = cameraIndex.get(m.camera);
      if (c === undefined) cameraIndex.set(m.camera, (c = s.cameraNames.push(m.camera) - 1));
      s.camera[i] = c;
    }
    for (const [c, score] of m.labels) {
      s.labelClass[labels] = c;
      s.labelScore[labels++] = score;
    }
    s.labelEnd[i] = labels;
    for (const [c, score] of m.objects ?? []) {
      s.objectClass[objects] = c;
      s.objectScore[objects++] = score;
    }
    s.objectEnd[i] = objects;
    if (m.error != null) s.errors.push([i, m.error]);
    if (!m.place) s.place![i] = -1;
    else {
      const key = JSON.stringify(m.place);
      let p = placeIndex.get(key);
      if (p === undefined) placeIndex.set(key, (p = s.placeList!.push(m.place) - 1));
      s.place![i] = p;
    }
    if (m.photoText) s.texts!.push([i, m.photoText]);
  });
  s.paths = paths.join('');
  return s;
}

export function unpackCatalog(s: CatalogSnapshot): PhotoMeta[] {
  const errors = new Map(s.errors);
  const texts = new Map(s.texts ?? []);
  const out: PhotoMeta[] = new Array(s.ids.length);
  let pathStart = 0;
  let label = 0;
  let object = 0;
  for (let i = 0; i < s.ids.length; i++) {
    const labels: [number, number][] = [];
    for (; label < s.labelEnd[i]; label++) labels.push([s.labelClass[label], s.labelScore[label]]);
    let objects: [number, number][] | undefined;
    if (object < s.objectEnd[i]) {
      objects = [];
      for (; object < s.objectEnd[i]; object++) objects.push([s.objectClass[object], s.objectScore[object]]);
    }
    const place = s.place?.[i] ?? -1;
    // Every field, in toMeta's order: one object shape.
    const m: PhotoMeta = {
      id: s.ids[i],
      path: s.paths.slice(pathStart, s.pathEnd[i]),
      takenAt: Number.isNaN(s.takenAt[i]) ? null : s.takenAt[i],
      lastModified: s.lastModified[i],
      width: s.width[i],
      height: s.height[i],
      faceCount: s.faceCount[i],
      largestFace: s.largestFace[i] > 0 ? s.largestFace[i] : undefined,
      labels,
      objects,
      personBoxes: s.personBoxes[i] > 0 ? s.personBoxes[i] : undefined,
      camera: s.camera[i] < 0 ? null : s.cameraNames[s.camera[i]],
      gps: s.gps[i] === 1,
      place: place >= 0 ? s.placeList![place] : undefined,
      error: errors.get(i),
      photoText: texts.get(i) || undefined,
    };
    pathStart = s.pathEnd[i];
    out[i] = m;
  }
  return out;
}

function packFaceChunk(faces: PackedFace[]): FacesChunk {
  const n = faces.length;
  const c: FacesChunk = {
    ids: new Int32Array(n), photoIds: new Int32Array(n), personIds: new Int32Array(n),
    scores: new Float64Array(n), boxes: new Float64Array(n * 4), descriptors: new Float32Array(n * 128), notPeople: [],
  };
  faces.forEach((f, i) => {
    c.ids[i] = f.id;
    c.photoIds[i] = f.photoId;
    c.personIds[i] = f.personId ?? -1;
    c.scores[i] = f.score;
    c.boxes.set(f.box, i * 4);
    c.descriptors.set(f.descriptor, i * 128);
    if (f.notPeople?.length) c.notPeople.push([f.id, f.notPeople]);
  });
  return c;
}

function* unpackFaceChunk(c: FacesChunk): Generator<PackedFace> {
  const notPeople = new Map(c.notPeople);
  for (let i = 0; i < c.ids.length; i++) {
    const face: PackedFace = {
      id: c.ids[i],
      photoId: c.photoIds[i],
      box: Array.from(c.boxes.subarray(i * 4, i * 4 + 4)) as Box,
      score: c.scores[i],
      // A view, not a copy: the chunk stays alive as long as its faces do, and that is the whole library.
      descriptor: c.descriptors.subarray(i * 128, i * 128 + 128),
      personId: c.personIds[i] < 0 ? null : c.personIds[i],
    };
    const not = notPeople.get(face.id);
    if (not) face.notPeople = not;
    yield face;
  }
}

export function packEmbeddings(ids: ArrayLike<number>, data: Uint8Array, generation: number): EmbeddingsSnapshot {
  return { format: FORMAT, generation, ids: Int32Array.from(ids), data };
}

/** The stores' current generations. */
export async function readGenerations(db: LibraryDb): Promise<Record<GenerationName, number>> {
  const tx = db.transaction('meta');
  const [photos, faces] = await Promise.all([tx.store.get(GENERATION_KEYS.photos), tx.store.get(GENERATION_KEYS.faces)]);
  return { photos: Number(photos) || 0, faces: Number(faces) || 0 };
}

/**
 * A full read of a store's records and the generation they are at: `before` (read before the read began) if the
 * counter has not moved since, else null, since records read in pages may then mix two generations.
 */
export async function readAtGeneration<T>(db: LibraryDb, name: GenerationName, before: number, read: () => Promise<T>): Promise<{ value: T; generation: number | null }> {
  const value = await read();
  return { value, generation: (await readGenerations(db))[name] === before ? before : null };
}

/** The catalog or embeddings snapshot if it is current, with the photos generation it was checked against. */
export async function readPhotosSnapshot<K extends 'catalog' | 'embeddings'>(
  db: LibraryDb,
  kind: K,
): Promise<{ generation: number; snapshot: (K extends 'catalog' ? CatalogSnapshot : EmbeddingsSnapshot) | null }> {
  const tx = db.transaction('meta');
  const [generation, snapshot] = await Promise.all([tx.store.get(GENERATION_KEYS.photos), tx.store.get(SNAPSHOT_KEYS[kind])]);
  const g = Number(generation) || 0;
  const s = snapshot as { format?: number; generation?: number } | undefined;
  const format = kind === 'catalog' ? CATALOG_FORMAT : FORMAT;
  return { generation: g, snapshot: s?.format === format && s.generation === g ? (snapshot as never) : null };
}

export interface FacesSnapshot {
  faces: PackedFace[];
  /** The same faces as packed columns, one per stored chunk (FaceIndex.addMany takes them as they are). */
  columns: { ids: Int32Array; photoIds: Int32Array; descriptors: Float32Array }[];
}

/** Every face of a current faces snapshot, or null if it is missing, stale or incomplete. */
export async function readFacesSnapshot(db: LibraryDb): Promise<FacesSnapshot | null> {
  const tx = db.transaction('meta');
  const [header, generation] = (await Promise.all([tx.store.get(SNAPSHOT_KEYS.faces), tx.store.get(GENERATION_KEYS.faces)])) as [
    FacesHeader | undefined,
    unknown,
  ];
  if (header?.format !== FORMAT || header.generation !== (Number(generation) || 0)) return null;
  const chunks = (await Promise.all(Array.from({ length: header.chunks }, (_, i) => tx.store.get(faceChunkKey(i))))) as (FacesChunk | undefined)[];
  const out: FacesSnapshot = { faces: [], columns: [] };
  for (const c of chunks) {
    if (!c) return null;
    for (const f of unpackFaceChunk(c)) out.faces.push(f);
    out.columns.push({ ids: c.ids, photoIds: c.photoIds, descriptors: c.descriptors });
  }
  return out.faces.length === header.count ? out : null;
}

export interface SnapshotWrite {
  catalog?: CatalogSnapshot;
  embeddings?: EmbeddingsSnapshot;
  faces?: { generation: number; faces: PackedFace[]; chunkSize?: number };
}

/**
 * Writes the given snapshots in one transaction, each only if its store is still at the generation it was
 * packed at (another tab may have changed it meanwhile). Resolves to what was written.
 */
export async function writeSnapshots(db: LibraryDb, w: SnapshotWrite): Promise<{ catalog: boolean; embeddings: boolean; faces: boolean }> {
  // Packed before the transaction: a transaction must not sit open across this much work.
  const size = w.faces?.chunkSize ?? FACE_CHUNK;
  const chunks = w.faces
    ? Array.from({ length: Math.ceil(w.faces.faces.length / size) }, (_, i) => packFaceChunk(w.faces!.faces.slice(i * size, (i + 1) * size)))
    : [];
  const tx = db.transaction('meta', 'readwrite');
  const store = tx.store;
  const [photosGen, facesGen, oldHeader] = await Promise.all([
    store.get(GENERATION_KEYS.photos),
    store.get(GENERATION_KEYS.faces),
    store.get(SNAPSHOT_KEYS.faces),
  ]);
  const done = { catalog: false, embeddings: false, faces: false };
  const work: Promise<unknown>[] = [];
  if (w.catalog && w.catalog.generation === (Number(photosGen) || 0)) {
    work.push(store.put(w.catalog, SNAPSHOT_KEYS.catalog));
    done.catalog = true;
  }
  if (w.embeddings && w.embeddings.generation === (Number(photosGen) || 0)) {
    work.push(store.put(w.embeddings, SNAPSHOT_KEYS.embeddings));
    done.embeddings = true;
  }
  if (w.faces && w.faces.generation === (Number(facesGen) || 0)) {
    chunks.forEach((c, i) => work.push(store.put(c, faceChunkKey(i))));
    for (let i = chunks.length; i < ((oldHeader as FacesHeader | undefined)?.chunks ?? 0); i++) work.push(store.delete(faceChunkKey(i)));
    const header: FacesHeader = { format: FORMAT, generation: w.faces.generation, count: w.faces.faces.length, chunks: chunks.length };
    work.push(store.put(header, SNAPSHOT_KEYS.faces));
    done.faces = true;
  }
  await Promise.all([...work, tx.done]);
  return done;
}
