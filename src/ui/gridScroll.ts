/**
 * When the photo grid last scrolled. A fling renders a screenful of new rows each frame; reading, decoding and
 * painting thumbnails for rows that are gone a frame later is what dropped most frames, so cells mounted while
 * the grid moves wait to see whether they stay (see Thumb.svelte).
 */
let lastScroll = -Infinity;

/** How long after the last scroll event the grid counts as still moving. */
export const SCROLL_SETTLE_MS = 120;

export function markGridScroll(): void {
  lastScroll = performance.now();
}

export function gridScrolling(): boolean {
  return performance.now() - lastScroll < SCROLL_SETTLE_MS;
}

/** A grid row: a square-ish thumbnail, one caption line and the gap below, fixed so no row needs measuring. */
const THUMB = 174;
const CAPTION = 16;
const GAP = 6;
export const GRID_ROW_HEIGHT = THUMB + CAPTION + GAP;
export const GRID_ROW_STYLE = `--row: ${GRID_ROW_HEIGHT}px; --thumb: ${THUMB}px; --caption: ${CAPTION}px`;
