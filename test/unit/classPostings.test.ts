import { describe, expect, it } from 'vitest';
import { ClassPostings } from '../../src/library/search/classPostings';
import { prng } from './libraryFixtures';

/** The live rows of a class, as photo id → score. */
function liveRows(p: ClassPostings, classIndex: number): Map<number, number> {
  const out = new Map<number, number>();
  const rows = p.rows(classIndex);
  if (!rows) return out;
  for (let i = 0; i < rows.length; i++) if (p.stamps[rows.ids[i]] === rows.stamps[i]) out.set(rows.ids[i], rows.scores[i]);
  return out;
}

describe('ClassPostings', () => {
  it('answers like a map of maps under adds, replacements and removals, and trims to the same answers', () => {
    const rand = prng(7);
    const p = new ClassPostings();
    const truth = new Map<number, [number, number][]>();
    for (let step = 0; step < 5000; step++) {
      const id = 1 + Math.floor(rand() * 300);
      const old = truth.get(id);
      if (old) p.remove(id, old);
      if (rand() < 0.25) {
        truth.delete(id);
        continue;
      }
      const labels: [number, number][] = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => [Math.floor(rand() * 20), rand()]);
      p.add(id, labels);
      truth.set(id, labels);
    }
    const expected = (c: number) => {
      const m = new Map<number, number>();
      for (const [id, labels] of truth) for (const [k, s] of labels) if (k === c) m.set(id, Math.max(s, m.get(id) ?? -1));
      return m;
    };
    for (let c = 0; c < 20; c++) {
      expect(liveRows(p, c)).toEqual(expected(c));
      expect(p.count(c)).toBe(expected(c).size);
      expect(p.has(c)).toBe(expected(c).size > 0);
    }
    p.trim();
    for (let c = 0; c < 20; c++) {
      expect(liveRows(p, c)).toEqual(expected(c));
      expect(p.rows(c)?.length ?? 0).toBe(expected(c).size);
    }
  });
});
