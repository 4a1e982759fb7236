/**
 * Incremental face clustering: faces → people, one face at a time.
 *
 * Why not DBSCAN: face-api descriptors of one person spread ~0.3–0.5 apart and different people sit
 * ~0.6–1.2 apart, so density-reachability chains neighbours of neighbours into one giant "person" as soon
 * as a few in-between faces (bad light, babies, profiles) exist. Here a face joins a person only if it is
 * close to that person's *centroid* and to at least `minSupport` of the person's *core* faces. The centroid
 * test bounds a person's diameter (a chain of steps can't walk away from the centre), and the support test
 * stops a face from joining through an empty middle of a spread-out person.
 *
 * Cores are good faces (score ≥ minCoreScore, box side ≥ minCoreSize). Only cores move the centroid and
 * only people with cores attract faces, so a blurry 20 px face never seeds a person that others join.
 *
 * Cost per assign: O(#people) centroid distances + the cores of the candidate(s) tried, with early exit.
 * Centroids are running sums, so nothing is recomputed globally; their means sit in one packed array that
 * the scan walks linearly (~20 ns per person instead of ~150 with per-person objects and maps).
 *
 * Deterministic: people are scanned in creation order, ties go to the lower id, and ids come from a
 * counter (or the caller's allocator) in call order, so the same faces in the same order give the same people.
 */

export interface ClusterFace {
  id: number;
  /** Held by reference, not copied: don't mutate it afterwards. */
  descriptor: ArrayLike<number>;
  /** Detector confidence, 0..1. */
  score: number;
  /** Side of the face box in photo pixels (e.g. the shorter of width and height). */
  boxSize: number;
  /**
   * The photo it is in. Two faces of one photo are two people, so a face never joins a person who already
   * has a face in its photo automatically (look-alikes in a group photo otherwise merge). Optional.
   */
  photoId?: number;
}

export interface FaceClustererOptions {
  /** Euclidean distance for "same person" (FACE_MATCH_THRESHOLD, ~0.5 for face-api). */
  threshold: number;
  /**
   * Largest distance to a person's centroid (mean of cores) for a face to join. Default `threshold`.
   * A centroid averages noise away, so it can be stricter than the face-to-face threshold.
   */
  centroidThreshold?: number;
  /**
   * How many of a person's cores a face must be within `threshold` of, capped at the person's core count
   * (a person with one core needs that one). Default 2.
   */
  minSupport?: number;
  /** Also require this fraction of the person's cores (0..1). Default 0: only minSupport counts. */
  supportFraction?: number;
  /** Detector score needed to become a core. Default 0.8. */
  minCoreScore?: number;
  /** Face box side in px needed to become a core: descriptors of tiny faces are noise. Default 40. */
  minCoreSize?: number;
  /** Ids for new people, e.g. from the people store. Default: a counter from 1 (kept in snapshots). */
  newPersonId?: () => number;
}

/** Everything needed to resume, small and structured-cloneable: descriptors stay in the faces store. */
export interface ClustererSnapshot {
  version: 1;
  /** Next id of the built-in counter. */
  nextPersonId: number;
  /** People in creation order, their faces in join order. */
  people: { id: number; faces: number[] }[];
  /** [faceId, personIds the face must never join automatically]. */
  notIn: [number, number[]][];
}

export interface Move {
  faceId: number;
  from: number;
  to: number;
}

interface Person {
  id: number;
  members: Set<number>;
  cores: Set<number>;
  /** photoId → how many of the members are in it. */
  photos: Map<number, number>;
  /** Sum of core descriptors, in float64 so long add/remove histories don't drift. */
  sum: Float64Array;
  /** Row of the packed centroid array while the person has cores, else -1. */
  slot: number;
}

/** Euclidean distance between two descriptors of the same length. */
export function euclidean(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** ‖a − b‖ ≤ limit, stopping as soon as the partial sum exceeds it (most pairs fail early). */
function within(a: ArrayLike<number>, b: ArrayLike<number>, limit2: number): boolean {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
    if (s > limit2) return false;
  }
  return true;
}

const EMPTY: ReadonlySet<number> = new Set();

export class FaceClusterer {
  readonly threshold: number;
  readonly centroidThreshold: number;
  readonly minSupport: number;
  readonly supportFraction: number;
  readonly minCoreScore: number;
  readonly minCoreSize: number;
  private readonly t2: number;
  private readonly c2: number;
  private readonly allocate: () => number;
  private nextId = 1;
  private dim = 0;
  private readonly faces = new Map<number, ClusterFace>();
  private readonly personOfFace = new Map<number, number>();
  private readonly persons = new Map<number, Person>();
  private readonly notIn = new Map<number, Set<number>>();
  /** Means of the people with cores, row by row (dim floats each), rows 0..slotCount-1 dense. */
  private centroids = new Float32Array(0);
  private slotPerson: Person[] = [];
  private slotCount = 0;

  constructor(opts: FaceClustererOptions) {
    if (!(opts.threshold > 0)) throw new Error('FaceClusterer: threshold must be > 0');
    this.threshold = opts.threshold;
    this.t2 = opts.threshold * opts.threshold;
    this.centroidThreshold = opts.centroidThreshold ?? opts.threshold;
    this.c2 = this.centroidThreshold * this.centroidThreshold;
    this.minSupport = Math.max(1, Math.floor(opts.minSupport ?? 2));
    this.supportFraction = Math.min(1, Math.max(0, opts.supportFraction ?? 0));
    this.minCoreScore = opts.minCoreScore ?? 0.8;
    this.minCoreSize = opts.minCoreSize ?? 40;
    this.allocate = opts.newPersonId ?? (() => this.nextId++);
  }

  // ─────────────── queries ───────────────

  /** Good enough to define a person: high detector score and a big enough box. */
  isQuality(f: Pick<ClusterFace, 'score' | 'boxSize'>): boolean {
    return f.score >= this.minCoreScore && f.boxSize >= this.minCoreSize;
  }
  isCore(faceId: number): boolean {
    const pid = this.personOfFace.get(faceId);
    return pid !== undefined && this.persons.get(pid)!.cores.has(faceId);
  }
  personOf(faceId: number): number | undefined {
    return this.personOfFace.get(faceId);
  }
  facesOf(personId: number): number[] {
    return [...(this.persons.get(personId)?.members ?? [])];
  }
  /** The person's faces and cores without a copy (live: don't hold on to them across changes). */
  memberSetOf(personId: number): ReadonlySet<number> {
    return this.persons.get(personId)?.members ?? EMPTY;
  }
  coreSetOf(personId: number): ReadonlySet<number> {
    return this.persons.get(personId)?.cores ?? EMPTY;
  }
  /** How many photos the person's faces are in. */
  photoCountOf(personId: number): number {
    return this.persons.get(personId)?.photos.size ?? 0;
  }
  coresOf(personId: number): number[] {
    return [...(this.persons.get(personId)?.cores ?? [])];
  }
  /** Person ids in creation order. */
  personIds(): number[] {
    return [...this.persons.keys()];
  }
  hasPerson(personId: number): boolean {
    return this.persons.has(personId);
  }
  /** A face this clusterer holds (descriptor and quality as given). */
  face(faceId: number): ClusterFace | undefined {
    return this.faces.get(faceId);
  }
  get size(): number {
    return this.faces.size;
  }
  /** Mean of the person's cores; null for a person without cores. */
  centroid(personId: number): Float32Array | null {
    const p = this.persons.get(personId);
    if (!p || !p.cores.size) return null;
    const c = new Float32Array(this.dim);
    for (let i = 0; i < this.dim; i++) c[i] = p.sum[i] / p.cores.size;
    return c;
  }
  /** Person ids this face must never join automatically. */
  constraintsOf(faceId: number): number[] {
    return [...(this.notIn.get(faceId) ?? [])];
  }
  /** Map faceId → personId, e.g. to write back to the faces store or to score against ground truth. */
  assignments(): Map<number, number> {
    return new Map(this.personOfFace);
  }

  /** People (with cores) by centroid distance, nearest first: "who is this?" for a dropped face. */
  nearest(descriptor: ArrayLike<number>, limit = 5): { personId: number; distance: number }[] {
    const out: { personId: number; distance: number }[] = [];
    for (const p of this.persons.values()) {
      if (!p.cores.size) continue;
      out.push({ personId: p.id, distance: Math.sqrt(this.centroidDist2(p, descriptor)) });
    }
    out.sort((a, b) => a.distance - b.distance || a.personId - b.personId);
    return out.slice(0, limit);
  }

  /** Pairs of people whose centroids are close: "are these the same person?" prompts. O(#people²). */
  mergeSuggestions(maxDistance = this.threshold): { a: number; b: number; distance: number }[] {
    const ps = [...this.persons.values()].filter((p) => p.cores.size);
    const cs = ps.map((p) => this.centroid(p.id)!);
    const out: { a: number; b: number; distance: number }[] = [];
    for (let i = 0; i < ps.length; i++)
      for (let j = i + 1; j < ps.length; j++) {
        const d = euclidean(cs[i], cs[j]);
        if (d <= maxDistance) out.push({ a: ps[i].id, b: ps[j].id, distance: d });
      }
    return out.sort((x, y) => x.distance - y.distance || x.a - y.a || x.b - y.b);
  }

  // ─────────────── changes ───────────────

  /** Puts a face into the best person, or a new one; returns its person id. Re-assigning an id moves it. */
  assign(face: ClusterFace): number {
    this.checkDim(face.descriptor);
    if (this.faces.has(face.id)) this.detach(face.id);
    this.faces.set(face.id, face);
    const pid = this.match(face) ?? this.createPerson();
    this.attach(face.id, pid);
    return pid;
  }

  /** Forgets a face (its photo was deleted or re-indexed), with its constraints. Empty people vanish. */
  remove(faceId: number): void {
    if (!this.faces.has(faceId)) return;
    this.detach(faceId);
    this.faces.delete(faceId);
    this.notIn.delete(faceId);
  }

  /**
   * "This isn't X": moves the face to a new singleton person and remembers that it must never rejoin X
   * automatically. A face that is already alone stays where it is. Returns its person id.
   */
  removeFace(faceId: number): number {
    const from = this.personOfFace.get(faceId);
    if (from === undefined) throw new Error(`FaceClusterer: unknown face ${faceId}`);
    if (this.persons.get(from)!.members.size === 1) return from;
    this.detach(faceId);
    this.forbid(faceId, from);
    const pid = this.createPerson();
    this.attach(faceId, pid);
    return pid;
  }
  /**
   * Puts a face into a known person without matching, creating the person with that id when absent: for a
   * face whose person is already decided (a re-indexed photo's face taking over its old face's person).
   */
  place(face: ClusterFace, personId: number): void {
    this.checkDim(face.descriptor);
    if (this.faces.has(face.id)) this.detach(face.id);
    this.faces.set(face.id, face);
    if (!this.persons.has(personId)) this.persons.set(personId, this.emptyPerson(personId));
    this.attach(face.id, personId);
  }

  /** Keeps a face out of these people from now on (for automatic matching; the user's moves still win). */
  keepOut(faceId: number, personIds: Iterable<number>): void {
    if (!this.faces.has(faceId)) throw new Error(`FaceClusterer: unknown face ${faceId}`);
    for (const pid of personIds) if (pid !== this.personOfFace.get(faceId)) this.forbid(faceId, pid);
  }

  /** Alias of removeFace. */
  split(faceId: number): number {
    return this.removeFace(faceId);
  }

  /** "This is X": the user's word beats any constraint against X. */
  moveFace(faceId: number, personId: number): void {
    if (!this.faces.has(faceId)) throw new Error(`FaceClusterer: unknown face ${faceId}`);
    if (!this.persons.has(personId)) throw new Error(`FaceClusterer: unknown person ${personId}`);
    this.notIn.get(faceId)?.delete(personId);
    if (this.personOfFace.get(faceId) === personId) return;
    this.detach(faceId);
    this.attach(faceId, personId);
  }

  /** Moves every face of person b into a; b disappears. Returns a. */
  merge(a: number, b: number): number {
    if (a === b) return a;
    const pa = this.persons.get(a);
    const pb = this.persons.get(b);
    if (!pa || !pb) throw new Error(`FaceClusterer: unknown person ${pa ? b : a}`);
    for (const fid of [...pb.members]) {
      this.detach(fid);
      this.attach(fid, a);
    }
    // The user said a and b are one person: faces kept out of b stay out of a, and a's own faces
    // lose any old "not b" (they are b now).
    for (const [fid, set] of this.notIn) {
      if (!set.delete(b)) continue;
      if (this.personOfFace.get(fid) !== a) set.add(a);
      if (!set.size) this.notIn.delete(fid);
    }
    for (const fid of pa.members) {
      const set = this.notIn.get(fid);
      if (set?.delete(a) && !set.size) this.notIn.delete(fid);
    }
    return a;
  }

  /**
   * Gives faces in people without cores (low-quality faces that arrived before anyone they could join)
   * another chance, now that more people exist. Run it after a batch, not per face: O(orphans × people).
   */
  reassignOrphans(): Move[] {
    const moves: Move[] = [];
    for (const p of [...this.persons.values()]) {
      if (p.cores.size) continue;
      for (const fid of [...p.members]) {
        const to = this.match(this.faces.get(fid)!);
        if (to === null || to === p.id) continue;
        this.detach(fid);
        this.attach(fid, to);
        moves.push({ faceId: fid, from: p.id, to });
      }
    }
    return moves;
  }

  // ─────────────── persistence ───────────────

  snapshot(): ClustererSnapshot {
    return {
      version: 1,
      nextPersonId: this.nextId,
      people: [...this.persons.values()].map((p) => ({ id: p.id, faces: [...p.members] })),
      notIn: [...this.notIn].map(([fid, set]) => [fid, [...set]]),
    };
  }

  /**
   * Replaces the state with a snapshot. `faces` supplies descriptors and quality (from the faces store);
   * snapshot faces missing from it are dropped (deleted since), and faces not in the snapshot are left
   * for the caller to assign(). Cores are re-derived from quality, so changed options apply.
   */
  restore(snap: ClustererSnapshot, faces: Iterable<ClusterFace>): void {
    if (snap?.version !== 1) throw new Error('FaceClusterer: unknown snapshot version');
    const byId = new Map<number, ClusterFace>();
    for (const f of faces) byId.set(f.id, f);
    this.faces.clear();
    this.personOfFace.clear();
    this.persons.clear();
    this.notIn.clear();
    this.slotPerson = [];
    this.slotCount = 0;
    this.dim = 0;
    this.nextId = snap.nextPersonId;
    for (const sp of snap.people) {
      const members = sp.faces.filter((id) => byId.has(id) && !this.faces.has(id));
      if (!members.length) continue;
      this.persons.set(sp.id, this.emptyPerson(sp.id));
      for (const fid of members) {
        const f = byId.get(fid)!;
        this.checkDim(f.descriptor);
        this.faces.set(fid, f);
        this.attach(fid, sp.id);
      }
      if (sp.id >= this.nextId) this.nextId = sp.id + 1;
    }
    for (const [fid, pids] of snap.notIn) if (this.faces.has(fid) && pids.length) this.notIn.set(fid, new Set(pids));
  }

  // ─────────────── internals ───────────────

  /** The person a face should join, or null. Only people with cores attract faces. */
  private match(face: ClusterFace): number | null {
    const x = face.descriptor;
    const banned = this.notIn.get(face.id);
    const cands: { p: Person; d2: number }[] = [];
    const dim = this.dim;
    const rows = this.centroids;
    const limit = this.c2;
    for (let slot = 0; slot < this.slotCount; slot++) {
      let d2 = 0;
      for (let i = 0, base = slot * dim; i < dim; i++) {
        const d = x[i] - rows[base + i];
        d2 += d * d;
        if (d2 > limit) break;
      }
      if (d2 > limit) continue;
      const p = this.slotPerson[slot];
      if (banned?.has(p.id)) continue;
      if (face.photoId !== undefined && (p.photos.get(face.photoId) ?? 0) > (p.members.has(face.id) ? 1 : 0)) continue;
      cands.push({ p, d2 });
    }
    cands.sort((a, b) => a.d2 - b.d2 || a.p.id - b.p.id);
    for (const { p } of cands) if (this.supported(p, x, face.id)) return p.id;
    return null;
  }

  private supported(p: Person, x: ArrayLike<number>, selfId: number): boolean {
    // A face never supports itself (matters when re-matching a face that is already a core).
    const n = p.cores.has(selfId) ? p.cores.size - 1 : p.cores.size;
    if (n <= 0) return false;
    const need = Math.min(n, Math.max(this.minSupport, Math.ceil(this.supportFraction * n)));
    let got = 0;
    let left = n;
    for (const fid of p.cores) {
      if (fid === selfId) continue;
      if (within(x, this.faces.get(fid)!.descriptor, this.t2) && ++got >= need) return true;
      if (got + --left < need) return false; // can't reach it any more
    }
    return false;
  }

  /** Squared distance to the centroid; stops early (returning > limit2) once past limit2. */
  private centroidDist2(p: Person, x: ArrayLike<number>, limit2 = Infinity): number {
    const inv = 1 / p.cores.size;
    const sum = p.sum;
    let s = 0;
    for (let i = 0; i < this.dim; i++) {
      const d = x[i] - sum[i] * inv;
      s += d * d;
      if (s > limit2) return s;
    }
    return s;
  }

  private createPerson(): number {
    const id = this.allocate();
    if (this.persons.has(id)) throw new Error(`FaceClusterer: person id ${id} is already in use`);
    this.persons.set(id, this.emptyPerson(id));
    return id;
  }

  private emptyPerson(id: number): Person {
    return { id, members: new Set(), cores: new Set(), photos: new Map(), sum: new Float64Array(this.dim), slot: -1 };
  }

  /** Rewrites the person's row of the packed centroids after its cores changed (takes or frees a row). */
  private syncCentroid(p: Person): void {
    const dim = this.dim;
    if (!p.cores.size) {
      if (p.slot < 0) return;
      const last = --this.slotCount;
      if (p.slot !== last) {
        const moved = this.slotPerson[last];
        this.centroids.copyWithin(p.slot * dim, last * dim, (last + 1) * dim);
        this.slotPerson[p.slot] = moved;
        moved.slot = p.slot;
      }
      this.slotPerson.length = last;
      p.slot = -1;
      return;
    }
    if (p.slot < 0) {
      if ((this.slotCount + 1) * dim > this.centroids.length) {
        const grown = new Float32Array(Math.max(64, 2 * (this.slotCount + 1)) * dim);
        grown.set(this.centroids);
        this.centroids = grown;
      }
      p.slot = this.slotCount++;
      this.slotPerson[p.slot] = p;
    }
    const inv = 1 / p.cores.size;
    for (let i = 0, base = p.slot * dim; i < dim; i++) this.centroids[base + i] = p.sum[i] * inv;
  }

  private attach(faceId: number, personId: number): void {
    const p = this.persons.get(personId)!;
    const f = this.faces.get(faceId)!;
    p.members.add(faceId);
    this.personOfFace.set(faceId, personId);
    if (f.photoId !== undefined) p.photos.set(f.photoId, (p.photos.get(f.photoId) ?? 0) + 1);
    if (this.isQuality(f)) {
      if (p.sum.length !== this.dim) p.sum = new Float64Array(this.dim);
      p.cores.add(faceId);
      for (let i = 0; i < this.dim; i++) p.sum[i] += f.descriptor[i];
      this.syncCentroid(p);
    }
  }

  private detach(faceId: number): void {
    const pid = this.personOfFace.get(faceId);
    if (pid === undefined) return;
    const p = this.persons.get(pid)!;
    p.members.delete(faceId);
    this.personOfFace.delete(faceId);
    const photoId = this.faces.get(faceId)!.photoId;
    if (photoId !== undefined) {
      const n = p.photos.get(photoId)! - 1;
      if (n) p.photos.set(photoId, n);
      else p.photos.delete(photoId);
    }
    if (p.cores.delete(faceId)) {
      const d = this.faces.get(faceId)!.descriptor;
      if (p.cores.size) for (let i = 0; i < this.dim; i++) p.sum[i] -= d[i];
      else p.sum.fill(0); // exact zero, no leftover rounding
      this.syncCentroid(p);
    }
    if (!p.members.size) this.persons.delete(pid);
  }

  private forbid(faceId: number, personId: number): void {
    let set = this.notIn.get(faceId);
    if (!set) this.notIn.set(faceId, (set = new Set()));
    set.add(personId);
  }

  private checkDim(d: ArrayLike<number>): void {
    if (!this.dim) {
      if (!d.length) throw new Error('FaceClusterer: empty descriptor');
      this.dim = d.length;
      for (const p of this.persons.values()) if (p.sum.length !== this.dim) p.sum = new Float64Array(this.dim);
    } else if (d.length !== this.dim) {
      throw new Error(`FaceClusterer: descriptor has ${d.length} values, expected ${this.dim}`);
    }
  }
}

/** Clusters faces in the given order with a fresh clusterer: the batch form, for tests and re-clustering. */
export function clusterFaces(faces: Iterable<ClusterFace>, opts: FaceClustererOptions): FaceClusterer {
  const c = new FaceClusterer(opts);
  for (const f of faces) c.assign(f);
  c.reassignOrphans();
  return c;
}

export interface ClusteringQuality {
  /** Of each predicted person's faces, the share from its majority identity (1 = no mixed people). */
  purity: number;
  /** Of each identity's faces, the share in its biggest person (1 = no identity split). */
  inversePurity: number;
  /** Face pairs put together that truly belong together / all pairs put together. */
  pairPrecision: number;
  /** Face pairs truly together that were put together / all pairs truly together. */
  pairRecall: number;
  people: number;
  identities: number;
}

/**
 * Scores predicted people against ground truth (faceId → identity label). Faces missing from `truth` are
 * ignored. Kept here so unit tests on synthetic and on real descriptors, and a tuning page, share it.
 */
export function clusteringQuality(pred: ReadonlyMap<number, number>, truth: ReadonlyMap<number, string | number>): ClusteringQuality {
  const table = new Map<number, Map<string | number, number>>(); // person → identity → count
  const identityTotals = new Map<string | number, number>();
  let n = 0;
  for (const [fid, pid] of pred) {
    const t = truth.get(fid);
    if (t === undefined) continue;
    n++;
    let row = table.get(pid);
    if (!row) table.set(pid, (row = new Map()));
    row.set(t, (row.get(t) ?? 0) + 1);
    identityTotals.set(t, (identityTotals.get(t) ?? 0) + 1);
  }
  const pairs = (k: number) => (k * (k - 1)) / 2;
  let majority = 0;
  let together = 0;
  let truePairs = 0;
  const bestOfIdentity = new Map<string | number, number>();
  for (const row of table.values()) {
    let size = 0;
    let best = 0;
    for (const [t, c] of row) {
      size += c;
      best = Math.max(best, c);
      truePairs += pairs(c);
      bestOfIdentity.set(t, Math.max(bestOfIdentity.get(t) ?? 0, c));
    }
    majority += best;
    together += pairs(size);
  }
  let identityPairs = 0;
  for (const c of identityTotals.values()) identityPairs += pairs(c);
  let inverse = 0;
  for (const c of bestOfIdentity.values()) inverse += c;
  return {
    purity: n ? majority / n : 1,
    inversePurity: n ? inverse / n : 1,
    pairPrecision: together ? truePairs / together : 1,
    pairRecall: identityPairs ? truePairs / identityPairs : 1,
    people: table.size,
    identities: identityTotals.size,
  };
}
