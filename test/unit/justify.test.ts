import { describe, expect, it } from 'vitest';
import { clampAspect, justifyRows, targetRowHeight } from '../../src/ui/justify';

describe('justifyRows', () => {
  const gap = 4;
  const widthOf = (ars: number[], r: { from: number; to: number; height: number }) => ars.slice(r.from, r.to).reduce((s, a) => s + a * r.height, 0) + gap * (r.to - r.from - 1);

  it('fills each full row to the width exactly, keeping aspect ratios, and leaves the last row at the target height', () => {
    const ars = [1.5, 0.75, 1, 1.33, 1.5, 1.5, 0.66, 1, 2, 1.5, 1];
    const rows = justifyRows((i) => ars[i], 0, ars.length, 1000, 200, gap);
    expect(rows[0].from).toBe(0);
    expect(rows.at(-1)!.to).toBe(ars.length);
    for (let i = 1; i < rows.length; i++) expect(rows[i].from).toBe(rows[i - 1].to);
    for (const r of rows.filter((r) => r.full)) {
      expect(widthOf(ars, r)).toBeCloseTo(1000, 6);
      // A row closes as soon as it is full, so it is never scaled below the target by more than its last photo.
      expect(r.height).toBeLessThanOrEqual(200);
    }
    const last = rows.at(-1)!;
    if (!last.full) {
      expect(last.height).toBe(200);
      expect(widthOf(ars, last)).toBeLessThan(1000);
    }
  });

  it('lays out a range only, appending to the rows given', () => {
    const rows = justifyRows(() => 1, 0, 3, 1000, 200, gap);
    justifyRows(() => 1, 3, 10, 1000, 200, gap, rows);
    expect(rows.map((r) => [r.from, r.to])).toEqual([[0, 3], [3, 8], [8, 10]]);
    expect(rows[0].full).toBe(false);
  });

  it('a panorama wider than the grid gets a row of its own', () => {
    const rows = justifyRows((i) => [1, 3, 1][i], 0, 3, 300, 200, gap);
    expect(rows.map((r) => [r.from, r.to])).toEqual([[0, 2], [2, 3]]);
  });

  it('is linear: 100k photos in a few milliseconds', () => {
    const ars = Float32Array.from({ length: 100_000 }, (_, i) => [1.5, 0.75, 1.33][i % 3]);
    const t = performance.now();
    const rows = justifyRows((i) => ars[i], 0, ars.length, 1200, 220, gap);
    expect(performance.now() - t).toBeLessThan(100);
    expect(rows.length).toBeGreaterThan(10_000);
  });

  it('clamps extreme shapes and unknown sizes', () => {
    expect(clampAspect(0, 0)).toBe(1);
    expect(clampAspect(10000, 100)).toBe(3);
    expect(clampAspect(100, 10000)).toBe(0.5);
    expect(targetRowHeight(360)).toBeLessThan(targetRowHeight(1400));
  });
});
