import { describe, expect, it } from 'vitest';
import { RunLog } from '../../src/library/indexing/runLog';

const timing = (i: number, error: string | null = null) => ({
  path: `p${i}.jpg`,
  start: i * 10,
  end: i * 10 + 25,
  error,
  stages: error ? null : { decode: 2, detect: 6 },
});

describe('RunLog', () => {
  it('keeps totals over every photo but only the latest timings', () => {
    const log = new RunLog(100);
    for (let i = 0; i < 1000; i++) log.add(timing(i, i % 10 === 0 ? 'corrupt JPEG' : null));
    expect(log.photos).toBe(1000);
    expect(log.errors).toBe(100);
    expect(log.seconds).toBeCloseTo((999 * 10 + 25) / 1000);
    expect(log.stageMeans).toEqual({ decode: 2, detect: 6 });
    expect(log.recent.map((t) => t.path)).toEqual(Array.from({ length: 100 }, (_, i) => `p${900 + i}.jpg`));
    // The kept list never holds more than twice the cap.
    expect((log as unknown as { latest: unknown[] }).latest.length).toBeLessThan(200);
  });

  it('keeps every timing of a run shorter than the cap', () => {
    const log = new RunLog(100);
    for (let i = 0; i < 40; i++) log.add(timing(i));
    expect(log.recent).toHaveLength(40);
    expect(new RunLog().seconds).toBe(0);
  });
});
