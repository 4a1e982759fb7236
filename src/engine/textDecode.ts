/**
 * The pure-JS halves of PP-OCR, kept apart from the runtime so unit tests can hold them to known outputs:
 * DB post-processing (probability map → rotated text boxes), the crop of a box into the recogniser's input,
 * and greedy CTC decoding. Follows PaddleOCR's DBPostProcess and CTCLabelDecode.
 */

/** A point [x, y]. */
export type Point = [number, number];
/** Corners top-left, top-right, bottom-right, bottom-left, reading direction along top-left → top-right. */
export type Quad = [Point, Point, Point, Point];

export interface DbOptions {
  /** A map pixel is text above this probability. */
  threshold: number;
  /** A region is kept when its mean probability is above this. */
  boxThreshold: number;
  /** How far a region grows back out (DB shrank its training targets by this ratio). */
  unclipRatio: number;
  /** Regions whose short side is under this many map pixels are noise. */
  minSize: number;
  maxBoxes: number;
}

export const DB_DEFAULTS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3, maxBoxes: 40 };

export interface DbBox {
  quad: Quad;
  /** Mean probability of the region's pixels. */
  score: number;
}

/** Convex hull (Andrew's monotone chain), counter-clockwise in y-up terms; collinear points dropped. */
export function convexHull(points: Point[]): Point[] {
  const p = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Point[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

export interface RotatedRect {
  center: Point;
  /** Unit vector of the `width` side; the `height` side is perpendicular to it. */
  axis: Point;
  width: number;
  height: number;
}

/** The smallest-area rectangle around the points (rotating calipers over the hull's edges), like cv2.minAreaRect. */
export function minAreaRect(points: Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 1) return { center: [hull[0][0], hull[0][1]], axis: [1, 0], width: 0, height: 0 };
  let best: RotatedRect | null = null;
  let bestArea = Infinity;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i];
    const b = hull[(i + 1) % hull.length];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len === 0) continue;
    const ux = (b[0] - a[0]) / len;
    const uy = (b[1] - a[1]) / len;
    let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
    for (const q of hull) {
      const pu = q[0] * ux + q[1] * uy;
      const pv = -q[0] * uy + q[1] * ux;
      if (pu < minU) minU = pu;
      if (pu > maxU) maxU = pu;
      if (pv < minV) minV = pv;
      if (pv > maxV) maxV = pv;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (area < bestArea - 1e-9) {
      bestArea = area;
      const cu = (minU + maxU) / 2;
      const cv = (minV + maxV) / 2;
      best = { center: [cu * ux - cv * uy, cu * uy + cv * ux], axis: [ux, uy], width: maxU - minU, height: maxV - minV };
    }
  }
  return best!;
}

/**
 * The rectangle's corners in reading order. The reading axis is the side nearer horizontal, unless the box is
 * clearly upright (taller by 1.5×, as PaddleOCR rotates such crops), then it reads bottom to top.
 */
export function rectToQuad(r: RotatedRect): Quad {
  let [ux, uy] = r.axis;
  let w = r.width;
  let h = r.height;
  // Make u the axis nearer horizontal.
  if (Math.abs(ux) < Math.abs(uy)) {
    [ux, uy] = [uy, -ux];
    [w, h] = [h, w];
  }
  if (ux < 0) [ux, uy] = [-ux, -uy];
  if (h >= 1.5 * w) {
    // Upright: read along the long side, upwards (u = (0, -1) for an axis-aligned box).
    [ux, uy] = [uy, -ux];
    [w, h] = [h, w];
  }
  // v is u turned a quarter clockwise on screen (y down): it points from the top of the text to its bottom.
  const vx = -uy;
  const vy = ux;
  const [cx, cy] = r.center;
  const a = w / 2;
  const b = h / 2;
  return [
    [cx - a * ux - b * vx, cy - a * uy - b * vy],
    [cx + a * ux - b * vx, cy + a * uy - b * vy],
    [cx + a * ux + b * vx, cy + a * uy + b * vy],
    [cx - a * ux + b * vx, cy - a * uy + b * vy],
  ];
}

/**
 * DB post-processing: threshold the map, take each 8-connected region, fit its minimum-area rectangle, keep it if
 * its mean probability is high enough, and grow it back by DB's unclip distance (area × ratio / perimeter on each
 * side: the offset of a rectangle is its rounded outline, whose bounding rectangle this is).
 * Quads are in map pixels (pixel centres at integer coordinates).
 */
export function detectBoxes(map: Float32Array, width: number, height: number, opts: Partial<DbOptions> = {}): DbBox[] {
  const o = { ...DB_DEFAULTS, ...opts };
  const n = width * height;
  const label = new Int32Array(n);
  const stack = new Int32Array(n);
  const boxes: DbBox[] = [];
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (label[start] !== 0 || !(map[start] > o.threshold)) continue;
    next++;
    label[start] = next;
    let top = 0;
    stack[top++] = start;
    const points: Point[] = [];
    let sum = 0;
    let count = 0;
    while (top > 0) {
      const i = stack[--top];
      count++;
      const x = i % width;
      const y = (i - x) / width;
      sum += map[i];
      // Only edge pixels can be hull points.
      let edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
          const j = yy * width + xx;
          if (!(map[j] > o.threshold)) {
            edge = true;
            continue;
          }
          if (label[j] === 0) {
            label[j] = next;
            stack[top++] = j;
          }
        }
      }
      if (edge) points.push([x, y]);
    }
    // Mean over the region's own pixels (PaddleOCR's "fast" score averages its polygon's box, a little lower).
    const score = sum / count;
    if (score < o.boxThreshold) continue;
    const rect = minAreaRect(points);
    if (Math.min(rect.width, rect.height) < o.minSize - 1) continue;
    // Pixel centres span width - 1: the region covers one pixel more each way.
    const w = rect.width + 1;
    const h = rect.height + 1;
    const d = (w * h * o.unclipRatio) / (2 * (w + h));
    const grown: RotatedRect = { ...rect, width: w + 2 * d, height: h + 2 * d };
    if (Math.min(grown.width, grown.height) < o.minSize + 2) continue;
    boxes.push({ quad: rectToQuad(grown), score });
  }
  boxes.sort((a, b) => b.score - a.score);
  const kept = boxes.slice(0, o.maxBoxes);
  return sortReadingOrder(kept);
}

/** Top to bottom, then left to right within a line (boxes whose tops are within 10 px are one line), as PaddleOCR. */
export function sortReadingOrder<T extends { quad: Quad }>(boxes: T[]): T[] {
  const top = (b: T) => Math.min(b.quad[0][1], b.quad[1][1]);
  const left = (b: T) => b.quad[0][0];
  const out = boxes.slice().sort((a, b) => top(a) - top(b) || left(a) - left(b));
  for (let i = 0; i + 1 < out.length; i++) {
    for (let j = i; j >= 0 && Math.abs(top(out[j + 1]) - top(out[j])) < 10 && left(out[j + 1]) < left(out[j]); j--) {
      [out[j], out[j + 1]] = [out[j + 1], out[j]];
    }
  }
  return out;
}

/** Image data as a canvas gives it: RGBA rows. */
export interface Rgba {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/**
 * Samples the quad (in `src` pixels) into `out` as a 3 × outH × stride float block at column offset 0, BGR and
 * scaled to −1..1 as PaddleOCR's recogniser and direction classifier expect; columns past outW are left as they are
 * (zero: the padding PaddleOCR uses). Bilinear, with the quad's top-left at the output's top-left.
 * `flip` reads the quad turned half round (text upside down).
 */
export function sampleQuad(src: Rgba, quad: Quad, out: Float32Array, offset: number, outW: number, outH: number, stride: number, flip = false): void {
  let [p0, p1, , p3] = quad;
  if (flip) [p0, p1, p3] = [quad[2], quad[3], quad[1]];
  const ux = (p1[0] - p0[0]) / outW;
  const uy = (p1[1] - p0[1]) / outW;
  const vx = (p3[0] - p0[0]) / outH;
  const vy = (p3[1] - p0[1]) / outH;
  const { data, width, height } = src;
  const plane = outH * stride;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      // Output pixel centres map to source coordinates; source pixel centres sit at +0.5.
      const sx = p0[0] + (x + 0.5) * ux + (y + 0.5) * vx - 0.5;
      const sy = p0[1] + (x + 0.5) * uy + (y + 0.5) * vy - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const xa = Math.min(width - 1, Math.max(0, x0));
      const xb = Math.min(width - 1, Math.max(0, x0 + 1));
      const ya = Math.min(height - 1, Math.max(0, y0));
      const yb = Math.min(height - 1, Math.max(0, y0 + 1));
      const i00 = (ya * width + xa) * 4;
      const i01 = (ya * width + xb) * 4;
      const i10 = (yb * width + xa) * 4;
      const i11 = (yb * width + xb) * 4;
      const at = offset + y * stride + x;
      for (let c = 0; c < 3; c++) {
        const v = (data[i00 + c] * (1 - fx) + data[i01 + c] * fx) * (1 - fy) + (data[i10 + c] * (1 - fx) + data[i11 + c] * fx) * fy;
        // RGBA channel c goes to BGR plane 2 - c.
        out[at + (2 - c) * plane] = v / 127.5 - 1;
      }
    }
  }
}

/** Length of a quad's reading side and of its other side. */
export function quadSize(q: Quad): { width: number; height: number } {
  return { width: Math.hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]), height: Math.hypot(q[3][0] - q[0][0], q[3][1] - q[0][1]) };
}

/**
 * Greedy CTC decoding of one line: per step the likeliest class; repeats collapse, blanks (class 0) vanish.
 * `probs` holds steps × classes softmax rows from `offset`; class k ≥ 1 is `chars[k - 1]`. The score is the mean
 * probability of the characters kept.
 */
export function ctcDecode(probs: Float32Array, offset: number, steps: number, classes: number, chars: readonly string[]): { text: string; score: number } {
  let text = '';
  let sum = 0;
  let kept = 0;
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestP = probs[row];
    for (let k = 1; k < classes; k++) {
      const p = probs[row + k];
      if (p > bestP) {
        bestP = p;
        best = k;
      }
    }
    if (best !== 0 && best !== prev) {
      text += chars[best - 1] ?? '';
      sum += bestP;
      kept++;
    }
    prev = best;
  }
  return { text, score: kept ? sum / kept : 0 };
}
