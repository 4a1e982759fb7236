import { LibraryWriter, type WriteItem, type CommittedPhoto } from '../library/store/writer';
import type { LibraryDb } from '../library/store/db';
import { NEXT_PERSON_ID_KEY } from '../library/people/people';
import type { FaceRecord, PersonRecord } from '../library/types';
import { MODEL_VERSION, type FaceResult, type PhotoAnalysis } from '../engine/types';

/**
 * A synthetic library written through the app's own writer: realistic labels over the 1000 classes, 0–5 faces per
 * photo with descriptors scattered around a few thousand identity centres, and tiny placeholder thumbnails.
 */
export interface SyntheticOptions {
  photos: number;
  identities?: number;
  /** How many of the most frequent identities get a name (default 100); the rest stay unnamed people. */
  named?: number;
  seed?: number;
  onProgress?: (done: number) => void;
}

export interface SyntheticLibrary {
  photos: number;
  faces: number;
  /** One descriptor per identity centre, to query with. */
  centres: Float32Array[];
  /** Identity (0-based) by faceId; each identity is the person `identity + 1`. */
  identityOfFace: Map<number, number>;
  /** Named people, most faces first. */
  named: { id: number; name: string }[];
}

/** mulberry32: small, fast and seedable, so two runs build the same library (and tests get the same data). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number) {
  return Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
}

async function placeholderThumbs(n: number, rand: () => number): Promise<Blob[]> {
  const out: Blob[] = [];
  for (let i = 0; i < n; i++) {
    const c = new OffscreenCanvas(24, 24);
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = `hsl(${Math.floor(rand() * 360)} 50% 55%)`;
    ctx.fillRect(0, 0, 24, 24);
    out.push(await c.convertToBlob({ type: 'image/webp', quality: 0.5 }));
  }
  return out;
}

export async function buildSyntheticLibrary(db: LibraryDb, opts: SyntheticOptions): Promise<SyntheticLibrary> {
  const rand = prng(opts.seed ?? 1);
  const identities = opts.identities ?? 3000;
  // Descriptor scale like face-api's: identity centres ~1.4 apart, a person's faces ~0.3 from their centre.
  const centres = Array.from({ length: identities }, () => Float32Array.from({ length: 128 }, () => gaussian(rand) * 0.09));
  const thumbs = await placeholderThumbs(64, rand);
  // Popular classes are far more common than rare ones, as in real photos.
  const zipfClass = () => 1 + Math.min(999, Math.floor(Math.pow(rand(), 2.2) * 1000));
  const identityOfFace = new Map<number, number>();
  // Batches commit in the order they were added, and faces in photo order: identities follow the same queue.
  const pendingIdentities: number[] = [];
  let nextIdentity = 0;
  let faces = 0;
  const writer = new LibraryWriter(db, {
    batchSize: 1000,
    flushMs: 60_000,
    onCommit: (committed: CommittedPhoto[]) => {
      for (const c of committed) for (const f of c.faces) identityOfFace.set(f.id, pendingIdentities[nextIdentity++]);
    },
  });
  const start = Date.UTC(2014, 0, 1);
  const span = Date.UTC(2024, 0, 1) - start;
  for (let i = 0; i < opts.photos; i++) {
    const takenAt = start + Math.floor(rand() * span);
    const d = new Date(takenAt);
    const labels = new Map<number, number>();
    let s = 0.3 + rand() * 0.65;
    while (labels.size < 5) {
      labels.set(zipfClass(), Math.round(s * 1e4) / 1e4);
      s *= 0.3 + rand() * 0.4;
    }
    const nFaces = Math.floor(rand() * 6);
    const photoFaces: FaceResult[] = [];
    for (let k = 0; k < nFaces; k++) {
      const identity = Math.floor(Math.pow(rand(), 1.5) * identities);
      const c = centres[identity];
      const descriptor = Float32Array.from(c, (v) => v + gaussian(rand) * 0.025);
      photoFaces.push({ box: [100 + k * 150, 100, 120, 140], score: 0.9 + rand() * 0.1, landmarks: new Int16Array(136), descriptor });
      pendingIdentities.push(identity);
    }
    faces += nFaces;
    const analysis: PhotoAnalysis = {
      width: 4000, height: 3000,
      labels: [...labels].map(([classIndex, score]) => ({ classIndex, score })),
      faces: photoFaces,
      thumb: thumbs[i % thumbs.length],
      takenAt, camera: rand() < 0.5 ? 'Google Pixel 7' : 'Canon EOS 80D', gps: rand() < 0.3 ? [48 + rand(), 2 + rand()] : null,
      stages: {}, modelVersion: MODEL_VERSION,
    };
    const item: WriteItem = {
      entry: { path: `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/IMG_${String(i).padStart(6, '0')}.jpg`, size: 3_000_000 + i, lastModified: takenAt },
      analysis,
    };
    writer.add(item);
    if (writer.pending === 0) opts.onProgress?.(i + 1);
  }
  await writer.close();
  const named = await assignSyntheticPeople(db, identityOfFace, opts.named ?? 100);
  opts.onProgress?.(opts.photos);
  return { photos: opts.photos, faces, centres, identityOfFace, named };
}

const FIRST_NAMES = ['Anna', 'Bruno', 'Clara', 'David', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Karin', 'Lukas', 'Maja', 'Nils', 'Olga', 'Pablo', 'Ruth', 'Sven', 'Tomas', 'Ulla', 'Vera', 'Walter', 'Xenia', 'Yusuf', 'Zoe'];
const LAST_NAMES = ['Berg', 'Costa', 'Dahl', 'Eriksen', 'Fischer', 'Gallo', 'Horvath', 'Ivanova'];

/**
 * Gives every face the person of its identity (person id = identity + 1), as People persists a clustering
 * (`faces.personId`, the id counter in `meta`), and names the `named` identities with the most faces.
 */
export async function assignSyntheticPeople(
  db: LibraryDb,
  identityOfFace: ReadonlyMap<number, number>,
  named: number,
  now = Date.now(),
): Promise<{ id: number; name: string }[]> {
  const faceCount = new Map<number, number>();
  for (const identity of identityOfFace.values()) faceCount.set(identity + 1, (faceCount.get(identity + 1) ?? 0) + 1);
  let after: number | null = null;
  for (;;) {
    const tx = db.transaction('faces', 'readwrite');
    const range: IDBKeyRange | undefined = after === null ? undefined : IDBKeyRange.lowerBound(after, true);
    const page = (await tx.store.getAll(range, 5000)) as (FaceRecord & { id: number })[];
    const writes: Promise<unknown>[] = [];
    for (const f of page) {
      const identity = identityOfFace.get(f.id);
      if (identity === undefined) continue;
      f.personId = identity + 1;
      writes.push(tx.store.put(f));
    }
    await Promise.all(writes);
    await tx.done;
    if (page.length < 5000) break;
    after = page[page.length - 1].id;
  }
  const top = [...faceCount].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, named);
  const people = top.map(([id], i) => ({ id, name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}${i >= FIRST_NAMES.length * LAST_NAMES.length ? ` ${i}` : ''}` }));
  const tx = db.transaction(['people', 'meta'], 'readwrite');
  const writes: Promise<unknown>[] = people.map(({ id, name }) => {
    const rec: PersonRecord = { id, name, coverFaceId: null, hidden: false, createdAt: now };
    return tx.objectStore('people').put(rec);
  });
  writes.push(tx.objectStore('meta').put(Math.max(0, ...faceCount.keys()) + 1, NEXT_PERSON_ID_KEY));
  await Promise.all(writes);
  await tx.done;
  return people;
}
