import { FaceClusterer, euclidean, type ClusterFace, type FaceClustererOptions } from './clustering';
import { FACE_MATCH_THRESHOLD, type Box } from '../../engine/types';
import { forEachPage, getMeta, type LibraryDb } from '../store/db';
import { bumpGenerations, type Generations } from '../store/generations';
import { normalizeName, type NamedPerson } from '../search/queryParser';
import type { FaceRecord, PersonRecord } from '../types';
import type { CommittedPhoto, StoredFace } from '../store/writer';
import type { PackedFace } from '../store/snapshots';

/**
 * Clustering options tuned on real face-api descriptors (test/fixtures/faceDescriptors.json: the demo photos,
 * face.jpg and grace_hopper.bmp with rescaled, cropped, darkened and mirrored copies; see test/unit/people.test.ts).
 * At a centroid radius of 0.5 look-alikes merge (purity 0.95: two women in sample4 are 0.45 apart); at 0.4 no
 * person mixes two identities in any of 6 orders (purity 1.0) and copies stay together (inverse purity 0.97).
 * Cores from score 0.7: at 0.8 a profile face (0.75) never forms a person and its copies stay apart.
 */
export const PEOPLE_CLUSTERING: Omit<FaceClustererOptions, 'newPersonId'> = {
  threshold: FACE_MATCH_THRESHOLD,
  centroidThreshold: 0.4,
  minSupport: 2,
  minCoreScore: 0.7,
  minCoreSize: 40,
};

/** "Is this also Anna?" is asked for unnamed people whose centroid is this close to a named one. */
export const SUGGEST_DISTANCE = FACE_MATCH_THRESHOLD;

/** A re-indexed photo's face in (nearly) the same place as an old face takes over its person. */
const SAME_PLACE_IOU = 0.5;
/** `meta` key of the person id counter. */
export const NEXT_PERSON_ID_KEY = 'nextPersonId';
const NEXT_ID_KEY = NEXT_PERSON_ID_KEY;
const minCoreSize = PEOPLE_CLUSTERING.minCoreSize ?? 40;

export interface PeopleFace extends ClusterFace {
  photoId: number;
  box: Box;
}

export interface PersonSummary {
  id: number;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  photoCount: number;
  /** The face that shows the person: the user's choice, else the biggest clear face. */
  cover: PeopleFace;
  /** Only small faces: people in the background, who clutter a list of people. */
  background: boolean;
}

export interface Suggestion {
  /** The named person. */
  personId: number;
  /** The unnamed person who may be them. */
  candidateId: number;
  distance: number;
}

export interface FaceMatch {
  personId: number;
  faceId: number;
  distance: number;
}

type StoredPerson = PersonRecord & { id: number };

function toPeopleFace(f: PackedFace): PeopleFace {
  return { id: f.id, photoId: f.photoId, box: f.box, score: f.score, boxSize: Math.min(f.box[2], f.box[3]), descriptor: f.descriptor };
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a[2] * a[3] + b[2] * b[3] - w * h);
}

const sameList = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Every face record, read in large key-ordered batches (much faster than a cursor step per face). */
export async function readFaces(db: LibraryDb, batch = 5000): Promise<StoredFace[]> {
  const out: StoredFace[] = [];
  await forEachPage(db, 'faces', (page) => out.push(...(page as StoredFace[])), batch);
  return out;
}

/**
 * The people of the library: face clusters (FaceClusterer) plus what the user said about them (names, merges,
 * "not this person", hidden, rejected suggestions), kept in IndexedDB.
 *
 * Persistence: a face's person is `faces.personId` and its "not this person" list `faces.notPeople`; names and
 * the rest are `people` records, written only for people the user touched. Loading rebuilds the clusterer from
 * the face records the app reads anyway (no second pass, no snapshot to keep in step), then clusters any face
 * without a person (e.g. indexed just before the tab closed). Changes are written in one transaction per batch,
 * after the writer's own.
 *
 * Ids come from a counter in `meta` (never reused: old "not this person" lists name them), and faces are
 * clustered in commit order, so re-indexing the same folder into an empty library gives the same people. A photo
 * re-indexed in place (model update, changed file) hands each old face's person and constraints to the new face
 * in the same place, so names and fixes survive; a named person whose photos are all gone keeps its name and
 * last centroid, and comes back with the first new face that close.
 */
export class People {
  private readonly clusterer: FaceClusterer;
  private readonly faces = new Map<number, PeopleFace>();
  private readonly facesOfPhoto = new Map<number, number[]>();
  private readonly records = new Map<number, StoredPerson>();
  private readonly deletedRecords = new Set<number>();
  private readonly dirtyFaces = new Set<number>();
  private readonly dirtyPeople = new Set<number>();
  private nextId = 1;
  private savedNextId = 0;
  private reviving: number | null = null;
  private saving: Promise<void> = Promise.resolve();
  private saveQueued = false;
  /** Bumped on every change, for views that cache. */
  version = 0;
  private listCache: { version: number; people: PersonSummary[] } | null = null;
  private suggestionCache: { version: number; found: Suggestion[] } | null = null;
  /** Called after every change. */
  onChange: () => void = () => {};
  /** A write failed: memory keeps the change and the next change retries it. */
  onError: (err: unknown) => void = (err) => console.error(err);
  /** A save changed face records: the faces store's new generation (generations.ts). */
  onSaved: (generations: Generations) => void = () => {};

  /** Every change is in IndexedDB (nothing dirty, no save queued or running). */
  get settled(): boolean {
    return !this.saveQueued && !this.flushing && !this.dirtyFaces.size && !this.dirtyPeople.size && !this.deletedRecords.size;
  }
  private flushing = false;

  private constructor(private readonly db: LibraryDb, private readonly now: () => number) {
    this.clusterer = new FaceClusterer({ ...PEOPLE_CLUSTERING, newPersonId: () => this.allocate() });
  }

  /** `faces`: every face record (see readFaces). */
  static async load(db: LibraryDb, faces: Iterable<PackedFace>, now: () => number = Date.now): Promise<People> {
    const p = new People(db, now);
    for (const r of (await db.getAll('people')) as StoredPerson[]) p.records.set(r.id, r);
    const stored = (await getMeta<number>(db, NEXT_ID_KEY)) ?? 0;
    let next = Math.max(1, stored);
    const all: PeopleFace[] = [];
    const loose: PeopleFace[] = [];
    const members = new Map<number, number[]>();
    const notIn: [number, number[]][] = [];
    for (const f of faces) {
      const pf = toPeopleFace(f);
      all.push(pf);
      p.register(pf);
      if (f.personId == null) loose.push(pf);
      else {
        let list = members.get(f.personId);
        if (!list) members.set(f.personId, (list = []));
        list.push(f.id);
        next = Math.max(next, f.personId + 1);
      }
      if (f.notPeople?.length) notIn.push([f.id, f.notPeople]);
    }
    for (const id of p.records.keys()) next = Math.max(next, id + 1);
    p.nextId = next;
    p.savedNextId = stored;
    const people = [...members].sort((a, b) => a[0] - b[0]).map(([id, ids]) => ({ id, faces: ids.sort((a, b) => a - b) }));
    p.clusterer.restore({ version: 1, nextPersonId: next, people, notIn }, all);
    if (loose.length) {
      for (const f of loose.sort((a, b) => a.id - b.id)) p.assign(f);
      p.settle();
    }
    return p;
  }

  // ─────────────── reading ───────────────

  /** Every face as the faces store holds it (minus landmarks), for the faces snapshot. */
  packedFaces(): PackedFace[] {
    const out: PackedFace[] = [];
    for (const f of this.faces.values()) {
      const face: PackedFace = { id: f.id, photoId: f.photoId, box: f.box, score: f.score, descriptor: f.descriptor, personId: this.clusterer.personOf(f.id) ?? null };
      const not = this.clusterer.constraintsOf(f.id);
      if (not.length) face.notPeople = not.sort((a, b) => a - b);
      out.push(face);
    }
    return out;
  }

  get faceCount(): number {
    return this.faces.size;
  }

  face(faceId: number): PeopleFace | undefined {
    return this.faces.get(faceId);
  }

  /** Every face, for the face map. */
  allFaces(): IterableIterator<PeopleFace> {
    return this.faces.values();
  }

  personOf(faceId: number): number | undefined {
    return this.clusterer.personOf(faceId);
  }

  nameOf(personId: number): string | null {
    return this.records.get(personId)?.name ?? null;
  }

  /** People with a name, also those whose photos are all gone (a search for them finds nothing, quietly). */
  named(): NamedPerson[] {
    const out: NamedPerson[] = [];
    for (const r of this.records.values()) if (r.name) out.push({ id: r.id, name: r.name });
    return out;
  }

  /** Named people with exactly this name (ignoring case, accents and spacing). */
  withName(name: string): number[] {
    const n = normalizeName(name);
    return this.named().filter((p) => normalizeName(p.name) === n).map((p) => p.id);
  }

  photosOf(personId: number): number[] {
    const ids = new Set<number>();
    for (const fid of this.clusterer.facesOf(personId)) ids.add(this.faces.get(fid)!.photoId);
    return [...ids];
  }

  /** The person's faces, in photo order. */
  facesOf(personId: number): PeopleFace[] {
    return this.clusterer
      .facesOf(personId)
      .map((id) => this.faces.get(id)!)
      .sort((a, b) => a.photoId - b.photoId || a.id - b.id);
  }

  peopleIn(photoId: number): number[] {
    const out: number[] = [];
    for (const fid of this.facesOfPhoto.get(photoId) ?? []) {
      const pid = this.clusterer.personOf(fid);
      if (pid !== undefined && !out.includes(pid)) out.push(pid);
    }
    return out;
  }

  person(personId: number): PersonSummary | null {
    if (!this.clusterer.hasPerson(personId)) return null;
    // Live sets, not copies: list() asks this for 3000 people over 250k faces.
    const members = this.clusterer.memberSetOf(personId);
    const cores = this.clusterer.coreSetOf(personId);
    const rec = this.records.get(personId);
    let cover = rec?.coverFaceId != null && members.has(rec.coverFaceId) ? this.faces.get(rec.coverFaceId)! : null;
    if (!cover) {
      const worth = (f: PeopleFace) => f.boxSize * f.score;
      for (const id of cores.size ? cores : members) {
        const f = this.faces.get(id)!;
        if (!cover || worth(f) > worth(cover) || (worth(f) === worth(cover) && f.id < cover.id)) cover = f;
      }
    }
    let background = true;
    for (const id of members) {
      if (this.faces.get(id)!.boxSize >= minCoreSize) {
        background = false;
        break;
      }
    }
    return {
      id: personId,
      name: rec?.name ?? null,
      hidden: rec?.hidden ?? false,
      faceCount: members.size,
      photoCount: this.clusterer.photoCountOf(personId),
      cover: cover!,
      background,
    };
  }


  /** Every person, most photos first (then most faces, then oldest). Shared until the next change: don't mutate. */
  list(): PersonSummary[] {
    // Thousands of people over 250k faces: the People page and each person's page ask again on every render.
    if (this.listCache?.version !== this.version) {
      const people = this.clusterer
        .personIds()
        .map((id) => this.person(id)!)
        .sort((a, b) => b.photoCount - a.photoCount || b.faceCount - a.faceCount || a.id - b.id);
      this.listCache = { version: this.version, people };
    }
    return this.listCache.people;
  }

  /**
   * "Is this also Anna?": unnamed, visible people whose centroid is within SUGGEST_DISTANCE of a named
   * person's, nearest first, each at most once (for its nearest named person), minus rejected pairs and
   * faces the user took out of that person.
   */
  suggestions(): Suggestion[] {
    if (this.suggestionCache?.version !== this.version) this.suggestionCache = { version: this.version, found: this.findSuggestions() };
    return this.suggestionCache.found;
  }

  private findSuggestions(): Suggestion[] {
    // 100 named × 3000 unnamed people at 100k photos: centroids once, packed in one array, and the distance
    // first (it rejects almost every pair within a few of the 128 dimensions).
    const candidates: { id: number; notSame: number[] | undefined }[] = [];
    const centroids: Float32Array[] = [];
    for (const id of this.clusterer.personIds()) {
      const r = this.records.get(id);
      if (r?.name || r?.hidden) continue;
      const centroid = this.clusterer.centroid(id);
      if (!centroid) continue;
      candidates.push({ id, notSame: r?.notSame });
      centroids.push(centroid);
    }
    const dim = centroids[0]?.length ?? 0;
    const packed = new Float32Array(candidates.length * dim);
    centroids.forEach((c, k) => packed.set(c, k * dim));
    const limit2 = SUGGEST_DISTANCE * SUGGEST_DISTANCE;
    const found: Suggestion[] = [];
    for (const r of this.records.values()) {
      if (!r.name || r.hidden || !this.clusterer.hasPerson(r.id)) continue;
      const c = this.clusterer.centroid(r.id);
      if (!c || c.length !== dim) continue;
      for (let k = 0; k < candidates.length; k++) {
        let s = 0;
        for (let i = 0, base = k * dim; i < dim && s <= limit2; i++) {
          const d = c[i] - packed[base + i];
          s += d * d;
        }
        if (s > limit2) continue;
        const { id, notSame } = candidates[k];
        if (r.notSame?.includes(id) || notSame?.includes(r.id)) continue;
        // A face the user took out of this person ("not Anna") is not offered back to them.
        if (this.clusterer.facesOf(id).some((f) => this.clusterer.constraintsOf(f).includes(r.id))) continue;
        found.push({ personId: r.id, candidateId: id, distance: Math.sqrt(s) });
      }
    }
    found.sort((a, b) => a.distance - b.distance || a.candidateId - b.candidateId || a.personId - b.personId);
    const seen = new Set<number>();
    return found.filter((s) => !seen.has(s.candidateId) && seen.add(s.candidateId));
  }



  /** The person of the nearest face within `threshold`, or null: "who is this?" for a face from outside. */
  match(descriptor: ArrayLike<number>, threshold = FACE_MATCH_THRESHOLD): FaceMatch | null {
    let best: FaceMatch | null = null;
    for (const f of this.faces.values()) {
      const d = euclidean(descriptor, f.descriptor);
      if (d <= threshold && (!best || d < best.distance || (d === best.distance && f.id < best.faceId))) {
        best = { personId: this.clusterer.personOf(f.id)!, faceId: f.id, distance: d };
      }
    }
    return best;
  }

  /** Resolves once every change so far is in IndexedDB (rejects if the last write failed). */
  saved(): Promise<void> {
    return this.saving;
  }

  // ─────────────── indexing ───────────────

  /** After the writer committed a batch: cluster the new faces; re-indexed photos keep their people. */
  commit(committed: readonly CommittedPhoto[]): void {
    // Workers finish photos in any order; within a batch at least, cluster in path order.
    const ordered = [...committed].sort((a, b) => (a.photo.path < b.photo.path ? -1 : a.photo.path > b.photo.path ? 1 : 0));
    for (const { photo, faces } of ordered) {
      const old = (this.facesOfPhoto.get(photo.id) ?? []).map((id) => ({
        face: this.faces.get(id)!,
        personId: this.clusterer.personOf(id),
        notIn: this.clusterer.constraintsOf(id),
      }));
      for (const o of old) this.dropFace(o.face.id);
      const fresh = faces.map(toPeopleFace);
      for (const f of fresh) this.register(f);

      const pairs: { i: number; j: number; overlap: number }[] = [];
      old.forEach((o, i) =>
        fresh.forEach((f, j) => {
          const overlap = iou(o.face.box, f.box);
          if (overlap >= SAME_PLACE_IOU) pairs.push({ i, j, overlap });
        }),
      );
      pairs.sort((a, b) => b.overlap - a.overlap || a.i - b.i || a.j - b.j);
      const heir = new Map<number, (typeof old)[number]>();
      const used = new Set<number>();
      for (const { i, j } of pairs) {
        if (heir.has(j) || used.has(i)) continue;
        heir.set(j, old[i]);
        used.add(i);
      }

      fresh.forEach((f, j) => {
        const h = heir.get(j);
        if (h?.personId === undefined) return void this.assign(f);
        this.clusterer.place(f, h.personId);
        if (h.notIn.length) this.clusterer.keepOut(f.id, h.notIn);
        this.dirtyFaces.add(f.id);
        this.dirtyPeople.add(h.personId);
      });
    }
    this.settle();
  }

  /** Photos deleted from the library (their face records are gone already). */
  removePhotos(photoIds: Iterable<number>): void {
    let any = false;
    for (const id of photoIds) for (const fid of this.facesOfPhoto.get(id) ?? []) any = this.dropFace(fid) || any;
    if (any) this.settle();
  }

  // ─────────────── the user's word ───────────────

  /** Names a person ('' or null: unnamed again). Another person with the same name stays separate: see merge. */
  rename(personId: number, name: string | null): void {
    const rec = this.record(personId);
    rec.name = name?.replace(/\s+/g, ' ').trim() || null;
    this.touch(personId);
    this.settle();
  }

  setHidden(personId: number, hidden: boolean): void {
    this.record(personId).hidden = hidden;
    this.touch(personId);
    this.settle();
  }

  /** `from` is `into`: every face of `from` moves and `from` disappears. Returns `into`. */
  merge(into: number, from: number): number {
    if (into === from) return into;
    if (!this.clusterer.hasPerson(into) || !this.clusterer.hasPerson(from)) throw new Error('Unknown person');
    for (const fid of this.clusterer.facesOf(from)) this.dirtyFaces.add(fid);
    // merge() rewrites "not this person" lists that named either of them.
    for (const f of this.faces.values()) {
      const c = this.clusterer.constraintsOf(f.id);
      if (c.includes(from) || c.includes(into)) this.dirtyFaces.add(f.id);
    }
    this.clusterer.merge(into, from);
    const gone = this.records.get(from);
    if (gone) {
      const kept = this.records.get(into);
      const rec = kept ?? this.record(into);
      rec.name ??= gone.name;
      // Hidden only if both were: the user hid neither half of what is now on screen.
      rec.hidden = (kept?.hidden ?? false) && gone.hidden;
      const notSame = new Set([...(rec.notSame ?? []), ...(gone.notSame ?? [])]);
      notSame.delete(into);
      notSame.delete(from);
      if (notSame.size) rec.notSame = [...notSame];
      this.records.delete(from);
      this.deletedRecords.add(from);
    }
    this.touch(into);
    this.settle();
    return into;
  }

  /** "Not this person": the face leaves its person for a new one and never rejoins automatically. */
  removeFace(faceId: number): number {
    const from = this.clusterer.personOf(faceId);
    if (from === undefined) throw new Error('Unknown face');
    const to = this.clusterer.removeFace(faceId);
    this.dirtyFaces.add(faceId);
    this.touch(from);
    this.touch(to);
    this.settle();
    return to;
  }

  acceptSuggestion(s: Suggestion): number {
    return this.merge(s.personId, s.candidateId);
  }

  /** Remembered: the pair is never suggested again. */
  rejectSuggestion(s: Suggestion): void {
    const rec = this.record(s.personId);
    rec.notSame = [...new Set([...(rec.notSame ?? []), s.candidateId])];
    this.touch(s.personId);
    this.settle();
  }

  // ─────────────── internals ───────────────

  private allocate(): number {
    const id = this.reviving ?? this.nextId++;
    this.reviving = null;
    return id;
  }

  private register(f: PeopleFace): void {
    this.faces.set(f.id, f);
    const list = this.facesOfPhoto.get(f.photoId);
    if (list) list.push(f.id);
    else this.facesOfPhoto.set(f.photoId, [f.id]);
  }

  /** Forgets a face; true if it was known. */
  private dropFace(faceId: number): boolean {
    const f = this.faces.get(faceId);
    if (!f) return false;
    const pid = this.clusterer.personOf(faceId);
    this.clusterer.remove(faceId);
    this.faces.delete(faceId);
    const list = this.facesOfPhoto.get(f.photoId)!.filter((id) => id !== faceId);
    if (list.length) this.facesOfPhoto.set(f.photoId, list);
    else this.facesOfPhoto.delete(f.photoId);
    this.dirtyFaces.delete(faceId);
    if (pid !== undefined) this.dirtyPeople.add(pid);
    return true;
  }

  /** Clusters a new face; a clear face near a named person whose photos are all gone brings them back. */
  private assign(f: PeopleFace): number {
    this.reviving = this.clusterer.isQuality(f) ? this.dormantNear(f.descriptor) : null;
    let pid: number;
    try {
      pid = this.clusterer.assign(f);
    } finally {
      this.reviving = null;
    }
    this.dirtyFaces.add(f.id);
    this.dirtyPeople.add(pid);
    return pid;
  }

  private dormantNear(descriptor: ArrayLike<number>): number | null {
    let best: number | null = null;
    let bestD = PEOPLE_CLUSTERING.centroidThreshold ?? PEOPLE_CLUSTERING.threshold;
    for (const r of this.records.values()) {
      if (!r.name || !r.anchor || this.clusterer.hasPerson(r.id)) continue;
      const d = euclidean(descriptor, r.anchor);
      if (d <= bestD) [best, bestD] = [r.id, d];
    }
    return best;
  }

  private record(personId: number): StoredPerson {
    let rec = this.records.get(personId);
    if (!rec) {
      if (!this.clusterer.hasPerson(personId)) throw new Error('Unknown person');
      rec = { id: personId, name: null, coverFaceId: null, hidden: false, createdAt: this.now() };
      this.records.set(personId, rec);
      this.deletedRecords.delete(personId);
    }
    return rec;
  }

  private touch(personId: number): void {
    this.dirtyPeople.add(personId);
  }

  /** After a change: orphans get another chance, then save and tell the views. */
  private settle(): void {
    for (const m of this.clusterer.reassignOrphans()) {
      this.dirtyFaces.add(m.faceId);
      this.dirtyPeople.add(m.from).add(m.to);
    }
    for (const id of this.dirtyPeople) {
      const rec = this.records.get(id);
      if (!rec) continue;
      const c = this.clusterer.hasPerson(id) ? this.clusterer.centroid(id) : null;
      if (c && rec.name) rec.anchor = Array.from(c);
      // A person the user only hid or compared, now without faces, has nothing left worth keeping.
      if (!this.clusterer.hasPerson(id) && !rec.name) {
        this.records.delete(id);
        this.deletedRecords.add(id);
      }
    }
    this.version++;
    this.save();
    this.onChange();
  }

  private save(): void {
    if (this.saveQueued) return;
    this.saveQueued = true;
    const run = () => {
      this.saveQueued = false;
      return this.flush();
    };
    this.saving = this.saving.then(run, run);
    this.saving.catch((err) => this.onError(err));
  }

  private async flush(): Promise<void> {
    const faceIds = [...this.dirtyFaces];
    const personIds = [...this.dirtyPeople];
    const deleted = [...this.deletedRecords];
    const nextId = this.nextId;
    if (!faceIds.length && !personIds.length && !deleted.length && nextId === this.savedNextId) return;
    this.dirtyFaces.clear();
    this.dirtyPeople.clear();
    this.deletedRecords.clear();
    this.flushing = true;
    try {
      let facesWritten = false;
      const tx = this.db.transaction(['faces', 'people', 'meta'], 'readwrite');
      tx.done.catch(() => undefined);
      const faces = tx.objectStore('faces');
      const people = tx.objectStore('people');
      const work: Promise<unknown>[] = [];
      for (const id of faceIds) {
        work.push(
          faces.get(id).then((rec: FaceRecord | undefined) => {
            // Gone since (its photo was re-indexed or removed): nothing to keep.
            if (!rec || !this.faces.has(id)) return;
            const personId = this.clusterer.personOf(id) ?? null;
            const notPeople = this.clusterer.constraintsOf(id).sort((a, b) => a - b);
            if (rec.personId === personId && sameList(rec.notPeople ?? [], notPeople)) return;
            rec.personId = personId;
            if (notPeople.length) rec.notPeople = notPeople;
            else delete rec.notPeople;
            facesWritten = true;
            return faces.put(rec);
          }),
        );
      }
      for (const id of personIds) {
        const rec = this.records.get(id);
        if (rec) work.push(people.put({ ...rec }));
      }
      for (const id of deleted) if (!this.records.has(id)) work.push(people.delete(id));
      if (nextId !== this.savedNextId) work.push(tx.objectStore('meta').put(nextId, NEXT_ID_KEY));
      await Promise.all(work);
      const generations = facesWritten ? await bumpGenerations(tx.objectStore('meta'), ['faces']) : null;
      await tx.done;
      this.savedNextId = nextId;
      if (generations) this.onSaved(generations);
    } catch (err) {
      for (const id of faceIds) if (this.faces.has(id)) this.dirtyFaces.add(id);
      for (const id of personIds) this.dirtyPeople.add(id);
      for (const id of deleted) this.deletedRecords.add(id);
      throw err;
    } finally {
      this.flushing = false;
    }
  }
}
