import { describe, expect, it } from 'vitest';
import { projectFaces } from '../../src/library/people/faceMap';
import { fixtureFaces } from './faceFixture';
import { prng } from './libraryFixtures';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

describe('projectFaces (PCA to 2-D)', () => {
  it('finds the two directions of largest variance, largest first', () => {
    const r = prng(7);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    // Std 3 along (1,1,0,0,0)/√2, 2 along (0,0,1,0,0), 0.5 elsewhere, around a shifted mean.
    const u = [Math.SQRT1_2, Math.SQRT1_2, 0, 0, 0];
    const w = [0, 0, 1, 0, 0];
    const vs = Array.from({ length: 3000 }, () => {
      const a = 3 * gauss();
      const b = 2 * gauss();
      return u.map((x, i) => 5 + a * x + b * w[i] + 0.5 * gauss() * (i >= 3 ? 1 : 0));
    });
    const p = projectFaces(vs);
    expect(Math.abs(dot(p.axes[0], u))).toBeGreaterThan(0.99);
    expect(Math.abs(dot(p.axes[1], w))).toBeGreaterThan(0.99);
    expect(Math.abs(dot(p.axes[0], p.axes[1]))).toBeLessThan(1e-6);
    expect(p.variance[0]).toBeGreaterThan(8);
    expect(p.variance[0]).toBeLessThan(10);
    expect(p.variance[1]).toBeGreaterThan(3.5);
    expect(p.variance[1]).toBeLessThan(4.5);
    expect(p.points).toHaveLength(6000);
  });

  it('puts copies of one face close together on real descriptors, and is deterministic', () => {
    const faces = fixtureFaces();
    const p = projectFaces(faces.map((f) => f.descriptor));
    let same = 0, nSame = 0, other = 0, nOther = 0;
    for (let i = 0; i < faces.length; i++)
      for (let j = i + 1; j < faces.length; j++) {
        const d = Math.hypot(p.points[2 * i] - p.points[2 * j], p.points[2 * i + 1] - p.points[2 * j + 1]);
        if (faces[i].identity === faces[j].identity) (same += d), nSame++;
        else (other += d), nOther++;
      }
    expect(same / nSame).toBeLessThan(0.5 * (other / nOther));
    expect(projectFaces(faces.map((f) => f.descriptor)).points).toEqual(p.points);
  });

  it('copes with no faces and with one', () => {
    expect(projectFaces([]).points).toHaveLength(0);
    const one = projectFaces([new Float32Array(128).fill(0.1)]);
    expect(Array.from(one.points)).toEqual([0, 0]);
  });
});
