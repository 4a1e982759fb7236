import { describe, expect, it } from 'vitest';
import {
  clusterFaces,
  clusteringQuality,
  euclidean,
  FaceClusterer,
  type ClusterFace,
  type FaceClustererOptions,
} from '../../src/library/people/clustering';

// ─────────────── synthetic face-api-like descriptors ───────────────

const DIM = 128;
const OPTS: FaceClustererOptions = { threshold: 0.5 };

/** mulberry32: small, seeded, good enough for test data. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const direction = () => {
    const v = Float32Array.from({ length: DIM }, gauss);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const shuffle = <T,>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  return { next, gauss, direction, shuffle };
}

const add = (a: Float32Array, b: Float32Array, k = 1) => a.map((x, i) => x + k * b[i]);

/**
 * Identity centres on the unit sphere, ~0.8–1.2 apart like face-api's: a shared component of random
 * weight plus a private direction (random 128-d directions are nearly orthogonal).
 */
function identities(count: number, seed: number): Float32Array[] {
  const r = rng(seed);
  const shared = r.direction();
  return Array.from({ length: count }, () => {
    const a = 0.75 + 0.7 * r.next();
    const v = add(r.direction(), shared, a);
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  });
}

/** A face `dist` away from `centre` in a random direction. */
const jitter = (r: ReturnType<typeof rng>, centre: Float32Array, dist: number) => add(centre, r.direction(), dist);

let nextFaceId = 1;
function face(descriptor: Float32Array, quality: 'good' | 'lowScore' | 'tiny' = 'good'): ClusterFace {
  return {
    id: nextFaceId++,
    descriptor,
    score: quality === 'lowScore' ? 0.55 : 0.97,
    boxSize: quality === 'tiny' ? 18 : 120,
  };
}

interface Labelled {
  faces: ClusterFace[];
  truth: Map<number, number>;
}
/** `perIdentity` faces per identity at ~0.15–0.3 from the centre (pairs ~0.3–0.4 apart); some low quality. */
function dataset(centres: Float32Array[], seed: number, perIdentity: (i: number) => number, lowShare = 0.1): Labelled {
  const r = rng(seed);
  const faces: ClusterFace[] = [];
  const truth = new Map<number, number>();
  centres.forEach((c, i) => {
    for (let k = 0; k < perIdentity(i); k++) {
      const low = r.next() < lowShare;
      const f = face(jitter(r, c, low ? 0.2 + 0.15 * r.next() : 0.15 + 0.15 * r.next()), low ? (r.next() < 0.5 ? 'lowScore' : 'tiny') : 'good');
      faces.push(f);
      truth.set(f.id, i);
    }
  });
  r.shuffle(faces);
  return { faces, truth };
}

/** Single linkage (what DBSCAN with minPts 1 does): are a and b connected through steps ≤ threshold? */
function singleLinkConnected(faces: ClusterFace[], a: number, b: number, threshold: number): boolean {
  const seen = new Set([a]);
  const queue = [a];
  while (queue.length) {
    const id = queue.pop();
    const cur = faces.find((f) => f.id === id)!;
    for (const f of faces)
      if (!seen.has(f.id) && euclidean(cur.descriptor, f.descriptor) <= threshold) {
        seen.add(f.id);
        queue.push(f.id);
      }
  }
  return seen.has(b);
}

// ─────────────── tests ───────────────

describe('euclidean', () => {
  it('is the L2 distance', () => {
    expect(euclidean([0, 0, 0], [1, 2, 2])).toBe(3);
    expect(euclidean(new Float32Array([1, 1]), new Float32Array([1, 1]))).toBe(0);
  });
});

describe('synthetic data looks like face-api descriptors', () => {
  it('identities are 0.8–1.2 apart, same-person faces ~0.3', () => {
    const cs = identities(30, 1);
    const between: number[] = [];
    for (let i = 0; i < cs.length; i++) for (let j = i + 1; j < cs.length; j++) between.push(euclidean(cs[i], cs[j]));
    expect(Math.min(...between)).toBeGreaterThan(0.7);
    expect(Math.max(...between)).toBeLessThan(1.3);
    const r = rng(2);
    const same = Array.from({ length: 200 }, () => euclidean(jitter(r, cs[0], 0.22), jitter(r, cs[0], 0.22)));
    const mean = same.reduce((a, b) => a + b) / same.length;
    expect(mean).toBeGreaterThan(0.25);
    expect(mean).toBeLessThan(0.4);
  });
});

describe('FaceClusterer', () => {
  it('recovers identities with purity > 0.95', () => {
    const cs = identities(40, 3);
    const sizeRng = rng(4);
    const { faces, truth } = dataset(cs, 5, () => 5 + Math.floor(sizeRng.next() * 36));
    const c = clusterFaces(faces, OPTS);
    const q = clusteringQuality(c.assignments(), truth);
    expect(q.purity).toBeGreaterThan(0.95);
    expect(q.inversePurity).toBeGreaterThan(0.9);
    expect(q.pairPrecision).toBeGreaterThan(0.95);
    expect(q.people).toBeLessThanOrEqual(Math.ceil(q.identities * 1.25));
  });

  it('stays pure with noisier faces too (pairs up to ~0.55 apart): splits rather than mixes', () => {
    const cs = identities(25, 6);
    const r = rng(7);
    const faces: ClusterFace[] = [];
    const truth = new Map<number, number>();
    cs.forEach((centre, i) => {
      for (let k = 0; k < 20; k++) {
        const f = face(jitter(r, centre, 0.2 + 0.2 * r.next()));
        faces.push(f);
        truth.set(f.id, i);
      }
    });
    r.shuffle(faces);
    const q = clusteringQuality(clusterFaces(faces, OPTS).assignments(), truth);
    expect(q.purity).toBeGreaterThan(0.95);
    expect(q.inversePurity).toBeGreaterThan(0.75);
  });

  it('does not chain two people through a bridge of in-between faces', () => {
    const r = rng(8);
    const A = identities(1, 9)[0];
    // B is 1.2 from A along a direction orthogonal to A.
    const dir = r.direction();
    const dot = dir.reduce((s, x, i) => s + x * A[i], 0);
    const ortho = add(dir, A, -dot);
    const unit = ortho.map((x) => x / Math.hypot(...ortho));
    const B = add(A, unit, 1.2);
    expect(euclidean(A, B)).toBeCloseTo(1.2, 5);

    for (let trial = 0; trial < 25; trial++) {
      const tr = rng(100 + trial);
      const aFaces = Array.from({ length: 20 }, () => face(jitter(tr, A, 0.15 + 0.15 * tr.next())));
      const bFaces = Array.from({ length: 20 }, () => face(jitter(tr, B, 0.15 + 0.15 * tr.next())));
      // Three faces at each 0.4 step: A → 0.4 → 0.8 → B(1.2).
      const bridge = [0.4, 0.8].flatMap((t) => Array.from({ length: 3 }, () => face(jitter(tr, add(A, unit, t), 0.05))));
      const all = [...aFaces, ...bFaces, ...bridge];
      if (trial === 0) {
        // Every step is within the threshold: plain single linkage / DBSCAN merges A and B.
        expect(singleLinkConnected(all, aFaces[0].id, bFaces[0].id, 0.5)).toBe(true);
      }
      const orders = [
        [...aFaces, ...bridge, ...bFaces],
        [...bridge, ...aFaces, ...bFaces],
        [...bridge.slice().reverse(), ...bFaces, ...aFaces],
        tr.shuffle([...all]),
      ];
      for (const order of orders) {
        const c = clusterFaces(order, OPTS);
        const aPeople = new Set(aFaces.map((f) => c.personOf(f.id)));
        for (const f of bFaces) expect(aPeople.has(c.personOf(f.id))).toBe(false);
        // …and each side is still (mostly) one person.
        const biggest = (fs: ClusterFace[]) => {
          const counts = new Map<number, number>();
          for (const f of fs) counts.set(c.personOf(f.id)!, (counts.get(c.personOf(f.id)!) ?? 0) + 1);
          return Math.max(...counts.values());
        };
        expect(biggest(aFaces)).toBeGreaterThanOrEqual(18);
        expect(biggest(bFaces)).toBeGreaterThanOrEqual(18);
      }
    }
  });

  it('a dense bridge (0.1 steps) does not merge A and B either', () => {
    const r = rng(11);
    const [A, B] = identities(2, 12);
    const dist = euclidean(A, B);
    const steps = Math.floor(dist / 0.1);
    const bridge = Array.from({ length: steps - 1 }, (_, k) => face(add(A, add(B, A, -1), (k + 1) / steps)));
    const aFaces = Array.from({ length: 15 }, () => face(jitter(r, A, 0.2)));
    const bFaces = Array.from({ length: 15 }, () => face(jitter(r, B, 0.2)));
    for (const order of [[...bridge, ...aFaces, ...bFaces], [...aFaces, ...bridge, ...bFaces], r.shuffle([...aFaces, ...bFaces, ...bridge])]) {
      const c = clusterFaces(order, OPTS);
      const aPeople = new Set(aFaces.map((f) => c.personOf(f.id)));
      for (const f of bFaces) expect(aPeople.has(c.personOf(f.id))).toBe(false);
    }
  });

  it('low-quality faces are assigned but never cores, and never seed a person others join', () => {
    const [X, Y] = identities(2, 13);
    const r = rng(14);
    const c = new FaceClusterer(OPTS);
    // Blurry faces first: nobody to join, so each waits alone, without cores.
    const early = Array.from({ length: 4 }, (_, k) => face(jitter(r, X, 0.2), k % 2 ? 'tiny' : 'lowScore'));
    const earlyPeople = early.map((f) => c.assign(f));
    expect(new Set(earlyPeople).size).toBe(4);
    for (const f of early) expect(c.isCore(f.id)).toBe(false);
    for (const p of earlyPeople) expect(c.centroid(p)).toBeNull();

    // The first good face of X does not join a blurry one: it starts a person.
    const good = Array.from({ length: 6 }, () => face(jitter(r, X, 0.2)));
    const P = c.assign(good[0]);
    expect(earlyPeople).not.toContain(P);
    for (const f of good.slice(1)) expect(c.assign(f)).toBe(P);
    for (const f of good) expect(c.isCore(f.id)).toBe(true);

    // A blurry face now joins P, as a non-core, and leaves P's centroid alone.
    const before = c.centroid(P)!;
    const late = face(jitter(r, X, 0.25), 'tiny');
    expect(c.assign(late)).toBe(P);
    expect(c.isCore(late.id)).toBe(false);
    expect(c.centroid(P)).toEqual(before);
    expect(c.coresOf(P)).toHaveLength(6);

    // The early ones get their second chance in a batch pass.
    const moves = c.reassignOrphans();
    expect(moves.map((m) => m.faceId).sort()).toEqual(early.map((f) => f.id).sort());
    expect(c.facesOf(P)).toHaveLength(11);
    expect(c.personIds()).toEqual([P]);

    // A different person's blurry face stays alone; a good face of Y next to it starts its own person.
    const yLow = face(jitter(r, Y, 0.1), 'lowScore');
    const yLowPerson = c.assign(yLow);
    expect(yLowPerson).not.toBe(P);
    const yGood = face(jitter(r, Y, 0.1));
    expect(c.assign(yGood)).not.toBe(yLowPerson);
  });

  it('removeFace: the face moves to a new person and never rejoins the old one automatically', () => {
    const [X] = identities(1, 15);
    const r = rng(16);
    const c = new FaceClusterer(OPTS);
    const fs = Array.from({ length: 10 }, () => face(jitter(r, X, 0.2)));
    const P = c.assign(fs[0]);
    for (const f of fs.slice(1)) expect(c.assign(f)).toBe(P);

    const f = fs[3];
    const S = c.removeFace(f.id);
    expect(S).not.toBe(P);
    expect(c.personOf(f.id)).toBe(S);
    expect(c.facesOf(S)).toEqual([f.id]);
    expect(c.facesOf(P)).not.toContain(f.id);
    expect(c.constraintsOf(f.id)).toEqual([P]);

    // Re-assigning it (e.g. after re-detection) keeps it out of P.
    expect(c.assign(f)).not.toBe(P);
    // Batch passes don't bring it back either, also for a blurry face.
    const blurry = face(jitter(r, X, 0.2), 'lowScore');
    expect(c.assign(blurry)).toBe(P);
    const B = c.removeFace(blurry.id);
    // (It may join f's new person, which is not P.)
    expect(c.reassignOrphans().filter((m) => m.to === P)).toEqual([]);
    expect(c.personOf(blurry.id)).not.toBe(P);

    // Other faces of X still join P.
    expect(c.assign(face(jitter(r, X, 0.2)))).toBe(P);
    // A person of one face stays put.
    const loneFace = face(jitter(r, identities(2, 99)[1], 0.1));
    const L = c.assign(loneFace);
    expect(c.removeFace(loneFace.id)).toBe(L);
    expect(B).not.toBe(P);

    // The user's explicit "this is P" wins over the constraint.
    c.moveFace(f.id, P);
    expect(c.personOf(f.id)).toBe(P);
    expect(c.constraintsOf(f.id)).toEqual([]);
    expect(c.isCore(f.id)).toBe(true);
  });

  it('merge moves every face and carries constraints over', () => {
    const [X, Y] = identities(2, 17);
    const r = rng(18);
    const c = new FaceClusterer(OPTS);
    const xs = Array.from({ length: 5 }, () => face(jitter(r, X, 0.2)));
    const ys = Array.from({ length: 5 }, () => face(jitter(r, Y, 0.2)));
    for (const f of [...xs, ...ys]) c.assign(f);
    const PX = c.personOf(xs[0].id)!;
    const PY = c.personOf(ys[0].id)!;
    expect(PX).not.toBe(PY);

    // ys[4] was kept out of PY; after merging PY into PX it must stay out of PX too.
    const lone = c.removeFace(ys[4].id);
    expect(c.merge(PX, PY)).toBe(PX);
    expect(c.personIds().sort()).toEqual([PX, lone].sort());
    expect(c.facesOf(PX).sort()).toEqual([...xs, ...ys.slice(0, 4)].map((f) => f.id).sort());
    expect(c.constraintsOf(ys[4].id)).toEqual([PX]);
    expect(c.assign(ys[4])).not.toBe(PX);

    // The centroid is the mean of all cores now.
    const members = [...xs, ...ys.slice(0, 4)];
    const mean = new Float32Array(DIM).map((_, i) => members.reduce((s, f) => s + f.descriptor[i], 0) / members.length);
    expect(euclidean(c.centroid(PX)!, mean)).toBeLessThan(1e-5);

    // Merging a split-off face back clears its constraint.
    const x0 = c.removeFace(xs[0].id);
    c.merge(PX, x0);
    expect(c.personOf(xs[0].id)).toBe(PX);
    expect(c.constraintsOf(xs[0].id)).toEqual([]);
    expect(() => c.merge(PX, 999_999)).toThrow();
  });

  it('remove forgets a face; an emptied person disappears', () => {
    const [X] = identities(1, 19);
    const r = rng(20);
    const c = new FaceClusterer(OPTS);
    const fs = Array.from({ length: 3 }, () => face(jitter(r, X, 0.2)));
    const P = c.assign(fs[0]);
    fs.slice(1).forEach((f) => c.assign(f));
    c.remove(fs[0].id);
    expect(c.facesOf(P)).toHaveLength(2);
    const mean = new Float32Array(DIM).map((_, i) => (fs[1].descriptor[i] + fs[2].descriptor[i]) / 2);
    expect(euclidean(c.centroid(P)!, mean)).toBeLessThan(1e-6);
    c.remove(fs[1].id);
    c.remove(fs[2].id);
    expect(c.personIds()).toEqual([]);
    expect(c.size).toBe(0);
    c.remove(12345); // unknown: no-op
  });

  it('is deterministic, takes ids from the caller, and resumes from a snapshot exactly', () => {
    const cs = identities(15, 21);
    const { faces } = dataset(cs, 22, () => 12);
    const run = () => {
      let id = 100;
      const c = new FaceClusterer({ ...OPTS, newPersonId: () => (id += 10) });
      faces.forEach((f) => c.assign(f));
      return c;
    };
    const a = run();
    const b = run();
    expect(a.snapshot()).toEqual(b.snapshot());
    expect(a.personIds().every((id) => id > 100 && id % 10 === 0)).toBe(true);

    // Stop half way, persist, restore into a fresh clusterer, continue: same result as never stopping.
    const half = Math.floor(faces.length / 2);
    const first = new FaceClusterer(OPTS);
    faces.slice(0, half).forEach((f) => first.assign(f));
    const saved = structuredClone(first.snapshot());
    const resumed = new FaceClusterer(OPTS);
    resumed.restore(saved, faces.slice(0, half));
    expect(resumed.snapshot()).toEqual(saved);
    faces.slice(half).forEach((f) => resumed.assign(f));
    const straight = new FaceClusterer(OPTS);
    faces.forEach((f) => straight.assign(f));
    expect(resumed.assignments()).toEqual(straight.assignments());
    expect(resumed.snapshot()).toEqual(straight.snapshot());

    // Faces deleted meanwhile are dropped on restore.
    const partial = new FaceClusterer(OPTS);
    partial.restore(saved, faces.slice(1, half));
    expect(partial.personOf(faces[0].id)).toBeUndefined();
    expect(partial.size).toBe(half - 1);
  });

  it('rejects descriptors of the wrong length', () => {
    const c = new FaceClusterer(OPTS);
    c.assign({ id: 1, descriptor: new Float32Array(DIM), score: 1, boxSize: 100 });
    expect(() => c.assign({ id: 2, descriptor: new Float32Array(64), score: 1, boxSize: 100 })).toThrow(/64/);
  });

  it('suggests the nearest people and merges for close centroids', () => {
    const [X, Y] = identities(2, 23);
    const r = rng(24);
    const c = new FaceClusterer(OPTS);
    const xs = Array.from({ length: 6 }, () => face(jitter(r, X, 0.2)));
    xs.forEach((f) => c.assign(f));
    Array.from({ length: 6 }, () => face(jitter(r, Y, 0.2))).forEach((f) => c.assign(f));
    const PX = c.personOf(xs[0].id)!;
    expect(c.nearest(jitter(r, X, 0.2))[0].personId).toBe(PX);
    expect(c.mergeSuggestions()).toEqual([]);
    const S = c.removeFace(xs[0].id);
    expect(c.mergeSuggestions().map((s) => [s.a, s.b])).toEqual([[PX, S].sort((a, b) => a - b)]);
  });

  it('two faces of one photo are two people: a face never joins a person already in its photo', () => {
    const [X] = identities(1, 30);
    const r = rng(31);
    const c = new FaceClusterer(OPTS);
    const xs = Array.from({ length: 4 }, (_, i) => ({ ...face(jitter(r, X, 0.15)), photoId: i + 1 }));
    xs.forEach((f) => c.assign(f));
    const PX = c.personOf(xs[0].id)!;
    expect(xs.every((f) => c.personOf(f.id) === PX)).toBe(true);
    // A look-alike next to X in photo 2 starts its own person; in a photo of its own it would join X.
    expect(c.assign({ ...face(jitter(r, X, 0.15)), photoId: 2 })).not.toBe(PX);
    expect(c.assign({ ...face(jitter(r, X, 0.15)), photoId: 99 })).toBe(PX);
  });

  it('centroidThreshold can be stricter than the face-to-face threshold', () => {
    const [X] = identities(1, 32);
    const r = rng(33);
    const xs = Array.from({ length: 6 }, () => face(jitter(r, X, 0.15)));
    const far = face(jitter(r, X, 0.3)); // ~0.3 from the centre, ~0.35 from each face
    for (const [centroidThreshold, joins] of [[0.5, true], [0.25, false]] as const) {
      const c = new FaceClusterer({ ...OPTS, centroidThreshold });
      xs.forEach((f) => c.assign(f));
      expect(c.assign(far) === c.personOf(xs[0].id), `centroid ${centroidThreshold}`).toBe(joins);
    }
  });

  it('place puts a face into a given person (creating it), keepOut keeps it from others', () => {
    const [X, Y] = identities(2, 34);
    const r = rng(35);
    const c = new FaceClusterer(OPTS);
    const xs = Array.from({ length: 3 }, () => face(jitter(r, X, 0.15)));
    xs.forEach((f) => c.assign(f));
    const PX = c.personOf(xs[0].id)!;
    const y = face(jitter(r, Y, 0.1));
    c.place(y, PX);
    expect(c.personOf(y.id)).toBe(PX);
    const z = face(jitter(r, Y, 0.1));
    c.place(z, 777);
    expect(c.hasPerson(777)).toBe(true);
    expect(c.facesOf(777)).toEqual([z.id]);
    // Not the person it is in: that is the user's word already.
    const x2 = face(jitter(r, X, 0.1));
    expect(c.assign(x2)).toBe(PX);
    c.keepOut(x2.id, [PX, 777]);
    expect(c.constraintsOf(x2.id)).toEqual([777]);
    const x3 = face(jitter(r, X, 0.1));
    c.place(x3, 888);
    c.keepOut(x3.id, [PX]);
    expect(c.assign(x3)).not.toBe(PX);
  });

  it('after many moves, matching agrees with a clusterer rebuilt from its snapshot', () => {
    const cs = identities(40, 40);
    const r = rng(41);
    const c = new FaceClusterer(OPTS);
    const all: ClusterFace[] = [];
    const agree = () => {
      const rebuilt = new FaceClusterer(OPTS);
      rebuilt.restore(c.snapshot(), all);
      for (let k = 0; k < cs.length; k++) {
        const probe = face(jitter(r, cs[k], 0.2));
        expect(c.assign({ ...probe })).toBe(rebuilt.assign({ ...probe }));
        c.remove(probe.id);
      }
    };
    for (let step = 0; step < 1500; step++) {
      if (step % 300 === 299) agree();
      const roll = r.next();
      if (roll < 0.5 || all.length < 10) {
        const f = face(jitter(r, cs[Math.floor(r.next() * cs.length)], 0.15 + 0.1 * r.next()), r.next() < 0.1 ? 'tiny' : 'good');
        all.push(f);
        c.assign(f);
      } else {
        const f = all.splice(Math.floor(r.next() * all.length), 1)[0];
        if (roll < 0.75) c.remove(f.id);
        else if (roll < 0.85) {
          c.removeFace(f.id);
          all.push(f);
        } else {
          const ps = c.personIds();
          if (ps.length > 1) c.merge(ps[0], ps[ps.length - 1]);
          all.push(f);
        }
      }
    }
    agree();
  });

  it('scales: 5000 faces of 250 people in well under a few seconds', () => {
    const cs = identities(250, 25);
    const { faces, truth } = dataset(cs, 26, () => 20);
    const t0 = performance.now();
    const c = clusterFaces(faces, OPTS);
    const ms = performance.now() - t0;
    expect(clusteringQuality(c.assignments(), truth).purity).toBeGreaterThan(0.95);
    expect(ms).toBeLessThan(5000);
  });
});
