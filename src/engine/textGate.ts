import type { Rgba } from './textDecode';

/**
 * Where a photo may hold text, without a network: print is dense, high-contrast strokes that cross both ways
 * (letters have vertical and horizontal edges close together), in runs along a line. Cells of the photo whose
 * strong edges run both ways and sit in a run of such cells are kept; everything else (sky, skin, bokeh, a
 * horizon, a pole) is not looked at again. Run on two scales, so that large letters, whose strokes are too far
 * apart for a cell of the fine copy, show up in the coarse one. The detector then runs only on the regions kept.
 */
export interface GateOptions {
  /** Side of a cell in pixels of the copy looked at. */
  cell: number;
  /** A luminance step (0–255) between neighbours at least this large is a strong edge. */
  edge: number;
  /** A cell counts when this share of its pixels has a strong edge across x and this share one across y. */
  density: number;
  /** Connected cells kept as a region when at least this many cells wide (a word of a few letters). */
  minRun: number;
}

export const GATE_DEFAULTS: GateOptions = { cell: 8, edge: 64, density: 0.06, minRun: 3 };

/** An axis-aligned rectangle in pixels of the copy it was found in. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Seen on the fine copy (print of any size). */
  fine?: boolean;
  /** Seen on the coarse copy: large print, which the detector also finds on a copy of half the side. */
  coarse?: boolean;
}

/** Luminance (BT.601, integer), one byte a pixel. */
export function luminance(src: Rgba): Uint8Array {
  const { data, width, height } = src;
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += 4) out[i] = (data[j] * 77 + data[j + 1] * 150 + data[j + 2] * 29) >> 8;
  return out;
}

/** A copy `factor` times smaller on each side, each pixel the mean of its block. */
export function shrink(y: Uint8Array, width: number, height: number, factor: number): { y: Uint8Array; width: number; height: number } {
  const w = Math.floor(width / factor);
  const h = Math.floor(height / factor);
  const out = new Uint8Array(w * h);
  const n = factor * factor;
  for (let oy = 0; oy < h; oy++) {
    for (let ox = 0; ox < w; ox++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const row = (oy * factor + dy) * width + ox * factor;
        for (let dx = 0; dx < factor; dx++) sum += y[row + dx];
      }
      out[oy * w + ox] = Math.round(sum / n);
    }
  }
  return { y: out, width: w, height: h };
}

/** Regions of one luminance copy that may hold text (in its pixels). */
export function gateRegions(y: Uint8Array, width: number, height: number, opts: Partial<GateOptions> = {}): Region[] {
  const o = { ...GATE_DEFAULTS, ...opts };
  const cw = Math.ceil(width / o.cell);
  const ch = Math.ceil(height / o.cell);
  const across = new Uint16Array(cw * ch);
  const down = new Uint16Array(cw * ch);
  for (let py = 0; py + 1 < height; py++) {
    const row = py * width;
    const cellRow = ((py / o.cell) | 0) * cw;
    for (let px = 0; px + 1 < width; px++) {
      const v = y[row + px];
      const c = cellRow + ((px / o.cell) | 0);
      const dx = y[row + px + 1] - v;
      const dy = y[row + width + px] - v;
      if (dx > o.edge || dx < -o.edge) across[c]++;
      if (dy > o.edge || dy < -o.edge) down[c]++;
    }
  }
  const min = o.density * o.cell * o.cell;
  const on = new Uint8Array(cw * ch);
  for (let c = 0; c < on.length; c++) on[c] = across[c] >= min && down[c] >= min ? 1 : 0;
  // Connected cells (8-neighbours): regions at least minRun cells wide.
  const seen = new Uint8Array(cw * ch);
  const stack: number[] = [];
  const regions: Region[] = [];
  for (let start = 0; start < on.length; start++) {
    if (!on[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let x0 = cw;
    let x1 = -1;
    let y0 = ch;
    let y1 = -1;
    while (stack.length) {
      const c = stack.pop()!;
      const cx = c % cw;
      const cy = (c - cx) / cw;
      x0 = Math.min(x0, cx);
      x1 = Math.max(x1, cx);
      y0 = Math.min(y0, cy);
      y1 = Math.max(y1, cy);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          const n = ny * cw + nx;
          if (on[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    if (x1 - x0 + 1 < o.minRun) continue;
    regions.push({ x: x0 * o.cell, y: y0 * o.cell, width: Math.min(width, (x1 + 1) * o.cell) - x0 * o.cell, height: Math.min(height, (y1 + 1) * o.cell) - y0 * o.cell });
  }
  return regions;
}

/**
 * Grows each region by `margin` on every side (clipped to width × height) and merges those that then overlap; a
 * merged region was seen wherever any of its parts was.
 */
export function mergeRegions(regions: Region[], width: number, height: number, margin: number): Region[] {
  let boxes = regions.map((r) => {
    const x = Math.max(0, r.x - margin);
    const y = Math.max(0, r.y - margin);
    return { ...r, x, y, width: Math.min(width, r.x + r.width + margin) - x, height: Math.min(height, r.y + r.height + margin) - y };
  });
  for (let merged = true; merged; ) {
    merged = false;
    const out: Region[] = [];
    for (const b of boxes) {
      const o = out.find((a) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height);
      if (!o) {
        out.push({ ...b });
        continue;
      }
      const x = Math.min(o.x, b.x);
      const y = Math.min(o.y, b.y);
      o.width = Math.max(o.x + o.width, b.x + b.width) - x;
      o.height = Math.max(o.y + o.height, b.y + b.height) - y;
      o.x = x;
      o.y = y;
      if (b.fine) o.fine = true;
      if (b.coarse) o.coarse = true;
      merged = true;
    }
    boxes = out;
  }
  return boxes;
}

/**
 * Regions of a photo (given as its detector copy) that may hold text, in that copy's pixels, merged and grown by
 * `margin` so the detector sees each line whole with some room around it. Looks at the copy and at one `coarse`
 * times smaller, and marks each region with where it was seen.
 */
export function textRegions(src: Rgba, margin = 16, coarse = 4, opts: Partial<GateOptions> = {}): Region[] {
  const y = luminance(src);
  const fine = gateRegions(y, src.width, src.height, opts).map((r) => ({ ...r, fine: true }));
  const small = shrink(y, src.width, src.height, coarse);
  const big = gateRegions(small.y, small.width, small.height, opts).map((r) => ({ x: r.x * coarse, y: r.y * coarse, width: r.width * coarse, height: r.height * coarse, coarse: true }));
  return mergeRegions([...fine, ...big], src.width, src.height, margin);
}
