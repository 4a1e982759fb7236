import { describe, expect, it } from 'vitest';
import { gateRegions, luminance, mergeRegions, shrink, textRegions } from '../../src/engine/textGate';
import { readBmp } from './bmp';

function image(width: number, height: number, paint: (x: number, y: number) => number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const v = paint(x, y);
      data.set([v, v, v, 255], (y * width + x) * 4);
    }
  return { data, width, height };
}

describe('text gate', () => {
  it('keeps the printed lines of a receipt, and little else', () => {
    const px = readBmp('../../unit/fixtures/text/espresso.bmp');
    const regions = textRegions(px, 0);
    expect(regions.length).toBeGreaterThan(0);
    // Both lines (ESPRESSO 2.50 at y≈30, Thank you at y≈70) lie inside what is kept; the empty right side is not.
    const inside = (x: number, y: number) => regions.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height);
    expect(inside(60, 30)).toBe(true);
    expect(inside(60, 70)).toBe(true);
    expect(inside(300, 70)).toBe(false);
  });

  it('keeps nothing of a flat image, a smooth gradient or a single hard edge', () => {
    expect(textRegions(image(320, 240, () => 200))).toEqual([]);
    expect(textRegions(image(320, 240, (x, y) => (x + y) / 2.5))).toEqual([]);
    expect(textRegions(image(320, 240, (_, y) => (y < 120 ? 20 : 235)))).toEqual([]);
    // Vertical stripes: edges one way only.
    expect(textRegions(image(320, 240, (x) => (x % 6 < 3 ? 20 : 235)))).toEqual([]);
  });

  it('needs a run of cells: one isolated speck is not text', () => {
    const speck = image(320, 240, (x, y) => (x >= 100 && x < 106 && y >= 100 && y < 106 && (x + y) % 2 ? 0 : 255));
    expect(gateRegions(luminance(speck), 320, 240)).toEqual([]);
  });

  it('merges regions that overlap once grown, and clips them to the image', () => {
    const merged = mergeRegions([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 }, { x: 80, y: 80, width: 10, height: 10 }], 95, 95, 6);
    expect(merged).toEqual([{ x: 0, y: 0, width: 36, height: 16 }, { x: 74, y: 74, width: 21, height: 21 }]);
  });

  it('marks where print was seen: the fine copy, the coarse copy (large letters), or both once merged', () => {
    const merged = mergeRegions([{ x: 0, y: 0, width: 10, height: 10, fine: true }, { x: 12, y: 0, width: 10, height: 10, coarse: true }, { x: 80, y: 80, width: 10, height: 10, coarse: true }], 95, 95, 2);
    expect(merged.map((r) => [r.fine ?? false, r.coarse ?? false])).toEqual([[true, true], [false, true]]);
    // Letters 40 px tall with 6 px strokes: too far apart for the fine cells, seen on the coarse copy.
    const big = image(320, 240, (x, y) => {
      const inLetter = y >= 100 && y < 140 && x >= 40 && x < 280 && (x - 40) % 40 < 30;
      const stroke = inLetter && ((x - 40) % 40 < 6 || (x - 40) % 40 >= 24 || y < 106 || (y >= 117 && y < 123) || y >= 134);
      return stroke ? 0 : 255;
    });
    const regions = textRegions(big, 0);
    expect(regions.length).toBeGreaterThan(0);
    expect(regions.some((r) => r.coarse)).toBe(true);
  });

  it('shrinks by block means', () => {
    const y = Uint8Array.from([0, 2, 10, 10, 4, 6, 10, 10]);
    expect(shrink(y, 4, 2, 2)).toEqual({ y: Uint8Array.from([3, 10]), width: 2, height: 1 });
  });
});
