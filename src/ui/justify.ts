/** One row of a justified grid: photos [from, to) at one height; `full` rows fill the width exactly. */
export interface JustifiedRow {
  from: number;
  to: number;
  height: number;
  full: boolean;
}

/** Panoramas and slivers are shown within these aspect ratios (cropped), so no photo becomes a line. */
export const MIN_ASPECT = 0.5;
export const MAX_ASPECT = 3;

export function clampAspect(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return 1;
  return Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, width / height));
}

/**
 * Rows of equal height that keep each photo's aspect ratio (as Google Photos and Immich lay out): photos are added
 * to a row at `target` height until it is as wide as `width`, then the row is scaled to fit exactly. The last row
 * keeps the target height. One pass, O(n), with no object per photo.
 */
export function justifyRows(aspect: (index: number) => number, from: number, to: number, width: number, target: number, gap: number, out: JustifiedRow[] = []): JustifiedRow[] {
  let start = from;
  let sum = 0;
  for (let i = from; i < to; i++) {
    sum += aspect(i);
    const gaps = gap * (i - start);
    if (sum * target + gaps >= width) {
      out.push({ from: start, to: i + 1, height: (width - gaps) / sum, full: true });
      start = i + 1;
      sum = 0;
    }
  }
  if (start < to) out.push({ from: start, to, height: target, full: false });
  return out;
}

/** The row height to aim for at a grid width: smaller on phones, so a row holds two or three photos. */
export function targetRowHeight(width: number): number {
  return width < 500 ? 120 : width < 900 ? 170 : 220;
}
