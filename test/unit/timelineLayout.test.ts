import { describe, expect, it } from 'vitest';
import { groupPhotos, layoutRows, type LaidOutPhoto } from '../../src/ui/timelineLayout';

const day = 86_400_000;
const at = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12).getTime();
const label = (d: Date) => `${d.getFullYear()}/${d.getMonth() + 1}`;

/** Photos newest first: two in March 2024 (one without an EXIF date), three in January 2024, one in 2019. */
const photos = new Map<number, LaidOutPhoto>([
  [1, { width: 4000, height: 3000, takenAt: at(2024, 3, 20), lastModified: 0 }],
  [2, { width: 3000, height: 4000, takenAt: null, lastModified: at(2024, 3, 2) }],
  [3, { width: 6000, height: 1000, takenAt: at(2024, 1, 30), lastModified: 0 }],
  [4, { width: 1000, height: 1000, takenAt: at(2024, 1, 2), lastModified: 0 }],
  [5, { width: 0, height: 0, takenAt: at(2024, 1, 1) + day / 4, lastModified: 0 }],
  [6, { width: 4000, height: 3000, takenAt: at(2019, 7, 4), lastModified: 0 }],
]);
const ids = [1, 2, 3, 4, 5, 6];

describe('timeline layout', () => {
  it('groups newest-first photos by the month they were taken, or their file date without one', () => {
    const g = groupPhotos(ids, (id) => photos.get(id), true, label);
    expect(g.months.map((m) => [m.key, m.label, m.start, m.end])).toEqual([
      ['2024-03', '2024/3', 0, 2],
      ['2024-01', '2024/1', 2, 5],
      ['2019-07', '2019/7', 5, 6],
    ]);
    // Panoramas are cropped to 3:1, unknown sizes shown square.
    expect(Array.from(g.aspects)).toEqual([4 / 3, 0.75, 3, 1, 1, 4 / 3].map(Math.fround));
  });

  it('puts a heading before each month and every photo in exactly one row, in order', () => {
    const g = groupPhotos(ids, (id) => photos.get(id), true, label);
    const { rows, monthRows } = layoutRows(g, 600, 200, 4);
    expect(monthRows.map((r) => rows[r])).toEqual([
      { kind: 'month', key: '2024-03', label: '2024/3', count: 2 },
      { kind: 'month', key: '2024-01', label: '2024/1', count: 3 },
      { kind: 'month', key: '2019-07', label: '2019/7', count: 1 },
    ]);
    const shown = rows.flatMap((r) => (r.kind === 'photos' ? Array.from({ length: r.to - r.from }, (_, k) => r.from + k) : []));
    expect(shown).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    // A full row fills the width exactly: its photos at its height, plus the gaps.
    for (const r of rows) {
      if (r.kind !== 'photos' || !r.full) continue;
      const widths = Array.from(g.aspects.subarray(r.from, r.to)).reduce((s, a) => s + a * r.height, 0);
      expect(widths + 4 * (r.to - r.from - 1)).toBeCloseTo(600, 6);
    }
  });

  it('ungrouped, the photos run on in one list of rows without headings', () => {
    const g = groupPhotos(ids, (id) => photos.get(id), false, label);
    expect(g.months).toEqual([]);
    const { rows, monthRows } = layoutRows(g, 600, 200, 4);
    expect(monthRows).toEqual([]);
    expect(rows.every((r) => r.kind === 'photos')).toBe(true);
    expect(rows.at(-1)).toMatchObject({ to: 6 });
  });
});
