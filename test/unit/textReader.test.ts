import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as textReader from '../../src/engine/textReader';
import { readBmp } from './bmp';

const models = join(import.meta.dirname, '../../public/models');

/** Nearest-neighbour resize: enough for the detector's copy in a test. */
function resize(src: { data: Uint8ClampedArray; width: number; height: number }, width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, Math.floor(((x + 0.5) * src.width) / width));
      const sy = Math.min(src.height - 1, Math.floor(((y + 0.5) * src.height) / height));
      data.set(src.data.subarray((sy * src.width + sx) * 4, (sy * src.width + sx) * 4 + 4), (y * width + x) * 4);
    }
  return { data, width, height };
}

describe('textReader (onnxruntime-web in Node)', () => {
  beforeAll(async () => {
    textReader.configureRuntime();
    const read = (f: string) => new Uint8Array(readFileSync(join(models, f)));
    await textReader.loadFrom({ det: read(textReader.DET_FILE), rec: read(textReader.REC_FILE), cls: read(textReader.CLS_FILE), keys: readFileSync(join(models, textReader.KEYS_FILE), 'utf8') });
    // Compiling three sessions takes seconds on a loaded 2-core machine.
  }, 60_000);

  it('reads a rendered receipt line, with boxes in reading order', async () => {
    const px = readBmp('../../unit/fixtures/text/espresso.bmp');
    const size = textReader.detSize(px.width, px.height);
    expect(size).toEqual({ width: 320, height: 96 });
    const lines = await textReader.run((side) => {
      const s = textReader.detSize(px.width, px.height, side);
      return resize(px, s.width, s.height);
    }, () => px);
    // The recogniser (trained mostly on Chinese) often leaves out the space between words; search copes (textTerms).
    expect(lines.map((l) => l.text.replace(/ /g, ''))).toEqual(['ESPRESSO2.50', 'Thankyou']);
    for (const l of lines) {
      expect(l.score).toBeGreaterThan(0.8);
      expect(l.quad).toHaveLength(8);
      for (const v of l.quad) expect(v >= -0.05 && v <= 1.05).toBe(true);
    }
    // The first line's box sits in the top half, left of centre where it starts.
    expect(lines[0].quad[1]).toBeLessThan(0.5);
    expect(lines[1].quad[5]).toBeGreaterThan(0.5);
    expect(lines[0].quad[0]).toBeLessThan(0.15);
  });

  it('reads text in a corner of a larger photo, with its boxes where the text is', async () => {
    // The receipt pasted at (280, 340) of a plain 640 × 480 copy: the detector runs on the gated region only.
    const px = readBmp('../../unit/fixtures/text/espresso.bmp');
    const [w, h, ox, oy] = [640, 480, 280, 340];
    const big = { data: new Uint8ClampedArray(w * h * 4).fill(255), width: w, height: h };
    for (let y = 0; y < px.height; y++) big.data.set(px.data.subarray(y * px.width * 4, (y + 1) * px.width * 4), ((oy + y) * w + ox) * 4);
    const lines = await textReader.run(() => big, () => big);
    expect(lines.map((l) => l.text.replace(/ /g, ''))).toEqual(['ESPRESSO2.50', 'Thankyou']);
    for (const l of lines) {
      const xs = l.quad.filter((_, i) => i % 2 === 0).map((v) => v * w);
      const ys = l.quad.filter((_, i) => i % 2 === 1).map((v) => v * h);
      expect(Math.min(...xs)).toBeGreaterThan(ox - 8);
      expect(Math.max(...xs)).toBeLessThan(ox + px.width + 8);
      expect(Math.min(...ys)).toBeGreaterThan(oy - 8);
      expect(Math.max(...ys)).toBeLessThan(oy + px.height + 8);
    }
  });

  it('reads a receipt photographed upside down, with each line starting where its text starts', async () => {
    const px = readBmp('../../unit/fixtures/text/espresso.bmp');
    const turned = { ...px, data: new Uint8ClampedArray(px.data) };
    new Uint32Array(turned.data.buffer).reverse();
    const lines = await textReader.run((side) => {
      const s = textReader.detSize(px.width, px.height, side);
      return resize(turned, s.width, s.height);
    }, () => turned);
    expect(lines.map((l) => l.text.replace(/ /g, ''))).toEqual(['Thankyou', 'ESPRESSO2.50']);
    // ESPRESSO 2.50 now runs right to left along the bottom: its first corner is at the right, low.
    const espresso = lines[1].quad;
    expect(espresso[0]).toBeGreaterThan(0.5);
    expect(espresso[1]).toBeGreaterThan(0.5);
    expect(espresso[2]).toBeLessThan(espresso[0]);
  });

  it('finds large print on the copy of half the side', async () => {
    // The receipt four times as large; its boxes are ~30 px tall in the detector's copy, so they count as large
    // print from 20 px.
    const px = readBmp('../../unit/fixtures/text/espresso.bmp');
    const large = resize(px, px.width * 4, px.height * 4);
    // On a white page as tall as it is wide, so that the print covers a third of it.
    const big = { data: new Uint8ClampedArray(large.width * large.width * 4).fill(255), width: large.width, height: large.width };
    big.data.set(large.data, large.width * 4 * 400);
    const asked: number[] = [];
    const copy = (side: number) => {
      asked.push(side);
      const s = textReader.detSize(big.width, big.height, side);
      return resize(big, s.width, s.height);
    };
    const lines = await textReader.run(copy, () => big, { halfFrom: 20 });
    expect(lines.map((l) => l.text.replace(/ /g, ''))).toEqual(['ESPRESSO2.50', 'Thankyou']);
    expect(asked).toContain(textReader.DET_SIDE / 2);
    // Read the same with large print looked for at full size only.
    const full = await textReader.run((side) => resize(big, textReader.detSize(big.width, big.height, side).width, textReader.detSize(big.width, big.height, side).height), () => big, { halfFrom: 0 });
    expect(full.map((l) => l.text)).toEqual(lines.map((l) => l.text));
  });

  it('finds nothing on a plain image, without running recognition', async () => {
    const blank = { data: new Uint8ClampedArray(320 * 256 * 4).fill(200), width: 320, height: 256 };
    let asked = false;
    const lines = await textReader.run(() => blank, () => ((asked = true), blank));
    expect(lines).toEqual([]);
    expect(asked).toBe(false);
  });
});
