import { describe, expect, it } from 'vitest';
import { convexHull, ctcDecode, detectBoxes, minAreaRect, rectToQuad, sampleQuad, sortReadingOrder, type Point, type Quad } from '../../src/engine/textDecode';

const round = (q: Quad) => q.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]);

describe('minAreaRect', () => {
  it('finds an axis-aligned rectangle', () => {
    const pts: Point[] = [];
    for (let x = 2; x <= 12; x++) for (let y = 5; y <= 8; y++) pts.push([x, y]);
    const r = minAreaRect(pts);
    expect(r.center).toEqual([7, 6.5]);
    expect([r.width, r.height].sort((a, b) => a - b)).toEqual([3, 10]);
    expect(round(rectToQuad(r))).toEqual([[2, 5], [12, 5], [12, 8], [2, 8]]);
  });

  it('finds a rotated rectangle as tight as the points', () => {
    // A 20 × 4 rectangle turned 30°.
    const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const pts: Point[] = [[0, 0], [20, 0], [20, 4], [0, 4], [10, 2]].map(([x, y]) => [50 + x * c - y * s, 50 + x * s + y * c]);
    const r = minAreaRect(pts);
    expect(r.width * r.height).toBeCloseTo(80, 6);
    const q = rectToQuad(r);
    // Reading direction along the long side, left to right and down the slope.
    expect(q[0][0]).toBeCloseTo(50, 6);
    expect(q[0][1]).toBeCloseTo(50, 6);
    expect(q[1][0]).toBeCloseTo(50 + 20 * c, 6);
    expect(q[1][1]).toBeCloseTo(50 + 20 * s, 6);
  });

  it('reads a clearly upright box bottom to top', () => {
    const q = rectToQuad({ center: [10, 10], axis: [1, 0], width: 4, height: 20 });
    expect(round(q)).toEqual([[8, 20], [8, 0], [12, 0], [12, 20]]);
  });

  it('hull drops inner and collinear points', () => {
    expect(convexHull([[0, 0], [1, 0], [2, 0], [2, 2], [0, 2], [1, 1]])).toHaveLength(4);
  });
});

describe('detectBoxes (DB post-processing)', () => {
  const map = (w: number, h: number, rects: [number, number, number, number, number][]) => {
    const m = new Float32Array(w * h);
    for (const [x0, y0, x1, y1, p] of rects) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) m[y * w + x] = p;
    return m;
  };

  it('grows each region by the unclip distance, in reading order', () => {
    // Two lines: a 21 × 5 region at (10..30, 20..24) and a 11 × 5 one above it.
    const m = map(64, 48, [[10, 20, 30, 24, 0.9], [5, 4, 15, 8, 0.8]]);
    const boxes = detectBoxes(m, 64, 48);
    expect(boxes).toHaveLength(2);
    expect(boxes[0].score).toBeCloseTo(0.8, 6);
    // Region 21 × 5 px: d = 21·5·1.5 / (2·26) ≈ 3.029; pixel centres 10..30 → edges 9.5..30.5, grown by d.
    const d = (21 * 5 * 1.5) / 52;
    const q = boxes[1].quad;
    expect(q[0][0]).toBeCloseTo(10 - 0.5 - d, 6);
    expect(q[0][1]).toBeCloseTo(20 - 0.5 - d, 6);
    expect(q[2][0]).toBeCloseTo(30 + 0.5 + d, 6);
    expect(q[2][1]).toBeCloseTo(24 + 0.5 + d, 6);
  });

  it('drops faint and tiny regions', () => {
    const m = map(64, 48, [[10, 20, 30, 24, 0.5], [40, 40, 41, 41, 0.95]]);
    expect(detectBoxes(m, 64, 48)).toEqual([]);
  });

  it('sorts boxes on one line left to right', () => {
    const at = (x: number, y: number) => ({ quad: [[x, y], [x + 5, y], [x + 5, y + 5], [x, y + 5]] as Quad });
    expect(sortReadingOrder([at(50, 12), at(10, 14), at(10, 40)]).map((b) => b.quad[0])).toEqual([[10, 14], [50, 12], [10, 40]]);
  });
});

describe('sampleQuad', () => {
  it('copies an axis-aligned crop, BGR in −1..1', () => {
    // 4 × 2 RGBA image, pixel (x, y) = (10x, 20y, 7).
    const data = new Uint8ClampedArray(4 * 2 * 4);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) data.set([10 * x, 20 * y, 7, 255], (y * 4 + x) * 4);
    const out = new Float32Array(3 * 2 * 3);
    sampleQuad({ data, width: 4, height: 2 }, [[1, 0], [3, 0], [3, 2], [1, 2]], out, 0, 2, 2, 3);
    const px = (v: number) => v / 127.5 - 1;
    // Plane 0 is blue, 1 green, 2 red; column 2 is padding.
    expect(Array.from(out.slice(0, 6)).map((v) => Math.round(v * 1e4))).toEqual([px(7), px(7), 0, px(7), px(7), 0].map((v) => Math.round(v * 1e4)));
    expect(out[2 * 6 + 0]).toBeCloseTo(px(10), 5);
    expect(out[2 * 6 + 1]).toBeCloseTo(px(20), 5);
    expect(out[1 * 6 + 3]).toBeCloseTo(px(20), 5);
  });
});

describe('ctcDecode', () => {
  it('collapses repeats, drops blanks, keeps doubled letters split by a blank', () => {
    const chars = ['a', 'b', 'l', 'o'];
    // Steps: b b _ a l _ l o o  → "ball o"? no: b, a, l, l, o → "ballo"
    const seq = [2, 2, 0, 1, 3, 0, 3, 4, 4];
    const probs = new Float32Array(seq.length * 5);
    seq.forEach((k, t) => {
      probs.fill(0.05, t * 5, t * 5 + 5);
      probs[t * 5 + k] = 0.8;
    });
    const r = ctcDecode(probs, 0, seq.length, 5, chars);
    expect(r.text).toBe('ballo');
    expect(r.score).toBeCloseTo(0.8, 6);
  });
});
