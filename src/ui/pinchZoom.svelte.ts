/**
 * Touch gestures of the photo view, as plain state: two pointers pinch (scale about their midpoint), one pointer
 * pans a zoomed photo, and a quick horizontal swipe on an unzoomed photo asks to step (-1 or +1).
 */
export class PinchZoom {
  scale = $state(1);
  x = $state(0);
  y = $state(0);
  private pointers = new Map<number, { x: number; y: number; x0: number; y0: number; t0: number }>();
  private pinch: { dist: number; scale: number } | null = null;
  private swipeable = true;

  static readonly MAX = 5;
  static readonly SWIPE_PX = 50;

  reset(): void {
    this.scale = 1;
    this.x = 0;
    this.y = 0;
    this.pointers.clear();
    this.pinch = null;
  }

  down(id: number, x: number, y: number): void {
    this.pointers.set(id, { x, y, x0: x, y0: y, t0: performance.now() });
    if (this.pointers.size === 1) this.swipeable = this.scale === 1;
    if (this.pointers.size === 2) {
      this.swipeable = false;
      this.pinch = { dist: this.distance(), scale: this.scale };
    }
  }

  move(id: number, x: number, y: number): void {
    const p = this.pointers.get(id);
    if (!p) return;
    const dx = x - p.x;
    const dy = y - p.y;
    p.x = x;
    p.y = y;
    if (this.pinch && this.pointers.size >= 2) {
      this.scale = Math.min(PinchZoom.MAX, Math.max(1, (this.pinch.scale * this.distance()) / (this.pinch.dist || 1)));
      if (this.scale === 1) this.x = this.y = 0;
    } else if (this.scale > 1) {
      this.x += dx;
      this.y += dy;
    }
  }

  /** A pointer lifted: returns -1 or +1 when it ended a swipe to the previous or next photo. */
  up(id: number): -1 | 1 | 0 {
    const p = this.pointers.get(id);
    this.pointers.delete(id);
    if (this.pointers.size < 2) this.pinch = null;
    if (!p || !this.swipeable || this.pointers.size > 0) return 0;
    const dx = p.x - p.x0;
    const dy = p.y - p.y0;
    if (Math.abs(dx) < PinchZoom.SWIPE_PX || Math.abs(dx) < 2 * Math.abs(dy)) return 0;
    return dx < 0 ? 1 : -1;
  }

  private distance(): number {
    const [a, b] = [...this.pointers.values()];
    return Math.hypot(a.x - b.x, a.y - b.y);
  }
}
