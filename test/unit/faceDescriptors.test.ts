import { describe, expect, it } from 'vitest';
import { clusterFaces, clusteringQuality, euclidean, type ClusterFace } from '../../src/library/people/clustering';
import { PEOPLE_CLUSTERING } from '../../src/library/people/people';
import { FACE_MATCH_THRESHOLD } from '../../src/engine/types';
import { fixtureFaces } from './faceFixture';
import { prng } from './libraryFixtures';

// Clustering on real face-api descriptors: face-api's demo photos, face.jpg and grace_hopper.bmp, each with
// rescaled, re-encoded, cropped, darkened, mirrored and portrait-cropped copies (scripts/face-descriptors.mjs).
// No one appears in two source photos (checked by eye on a contact sheet), so every source face is an identity.

const all = fixtureFaces();
const photoIds = new Map<string, number>();
const faces: ClusterFace[] = all.map((f, i) => ({
  id: i + 1,
  descriptor: f.descriptor,
  score: f.score,
  boxSize: Math.min(f.box[2], f.box[3]),
  photoId: photoIds.get(f.photo) ?? (photoIds.set(f.photo, photoIds.size + 1), photoIds.size),
}));
const truth = new Map(all.map((f, i) => [i + 1, f.identity]));

function shuffled<T>(xs: T[], seed: number): T[] {
  const r = prng(seed);
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
const ORDERS = [0, 1, 2, 3, 4, 5].map((seed) => (seed ? shuffled(faces, seed) : faces));

describe('the descriptor fixture', () => {
  it('holds 27 people (26 from face-api and face.jpg, plus Grace Hopper) with copies of each', () => {
    const ids = new Set(all.map((f) => f.identity));
    expect(ids.size).toBe(27);
    expect(all.length).toBeGreaterThanOrEqual(170);
    for (const id of ids) expect(all.filter((f) => f.identity === id).length, id).toBeGreaterThanOrEqual(4);
    expect(all.every((f) => f.descriptor.length === 128)).toBe(true);
  });

  it('look-alikes exist: some different people are closer than the face match threshold', () => {
    const originals = all.filter((f) => f.variant === 'original');
    let close = 0;
    for (let i = 0; i < originals.length; i++)
      for (let j = i + 1; j < originals.length; j++) if (euclidean(originals[i].descriptor, originals[j].descriptor) < FACE_MATCH_THRESHOLD) close++;
    expect(close).toBeGreaterThanOrEqual(2);
  });
});

describe('clustering real descriptors with the app options', () => {
  it('never mixes two people, in any order (purity 1), and keeps copies together (inverse purity ≥ 0.95)', () => {
    for (const [k, order] of ORDERS.entries()) {
      const q = clusteringQuality(clusterFaces(order, PEOPLE_CLUSTERING).assignments(), truth);
      expect(q.purity, `order ${k}`).toBe(1);
      expect(q.inversePurity, `order ${k}`).toBeGreaterThanOrEqual(0.95);
      expect(q.pairRecall, `order ${k}`).toBeGreaterThanOrEqual(0.9);
      expect(q.people, `order ${k}`).toBeLessThanOrEqual(36);
    }
  });

  it('rescaled, re-encoded and cropped copies join their original', () => {
    const c = clusterFaces(faces, PEOPLE_CLUSTERING);
    const copies = ['original', 'small', 'large', 'crop', 'portrait'];
    let together = 0;
    const identities = [...new Set(all.map((f) => f.identity))];
    for (const id of identities) {
      const people = new Set(faces.filter((f) => truth.get(f.id) === id && copies.includes(all[f.id - 1].variant)).map((f) => c.personOf(f.id)));
      if (people.size === 1) together++;
    }
    expect(together / identities.length).toBeGreaterThanOrEqual(0.9);
  });

  it("every copy of Grace Hopper, mirrored and darkened too, is one person, and no one else's", () => {
    const c = clusterFaces(faces, PEOPLE_CLUSTERING);
    const grace = faces.filter((f) => truth.get(f.id) === 'shared/grace_hopper.bmp#0');
    expect(grace.length).toBe(7);
    const pid = c.personOf(grace[0].id)!;
    expect(grace.every((f) => c.personOf(f.id) === pid)).toBe(true);
    expect(c.facesOf(pid).length).toBe(7);
  });

  it('two faces of one photo are never one person', () => {
    const c = clusterFaces(faces, PEOPLE_CLUSTERING);
    for (const pid of c.personIds()) {
      const photos = c.facesOf(pid).map((id) => faces[id - 1].photoId);
      expect(new Set(photos).size).toBe(photos.length);
    }
  });

  it('why the centroid radius is 0.4: at the full face threshold (0.5) look-alikes merge', () => {
    const loose = clusteringQuality(clusterFaces(faces, { ...PEOPLE_CLUSTERING, centroidThreshold: FACE_MATCH_THRESHOLD }).assignments(), truth);
    expect(loose.purity).toBeLessThan(1);
  });
});
