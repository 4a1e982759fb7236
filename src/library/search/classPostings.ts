/**
 * Label and object postings per class, as typed arrays: row i of a class is (photo id, score, the photo's stamp
 * when the row was written). A photo's rows stay live while its stamp is unchanged; replacing or removing the
 * photo moves its stamp on, and a class's dead rows are dropped once they outnumber its live ones. Nothing here is
 * a JS object per row, so a library of 100k photos (a million rows) costs the garbage collector almost nothing.
 */
export interface ClassRows {
  /** Rows 0..length-1 (the arrays may be longer). */
  readonly length: number;
  readonly ids: Int32Array;
  readonly scores: Float64Array;
  readonly stamps: Uint32Array;
}

class RowList implements ClassRows {
  length = 0;
  live = 0;
  ids = new Int32Array(4);
  scores = new Float64Array(4);
  stamps = new Uint32Array(4);

  push(id: number, score: number, stamp: number): void {
    if (this.length === this.ids.length) this.grow(Math.max(4, this.length * 2));
    this.ids[this.length] = id;
    this.scores[this.length] = score;
    this.stamps[this.length++] = stamp;
    this.live++;
  }

  grow(capacity: number): void {
    const ids = new Int32Array(capacity);
    const scores = new Float64Array(capacity);
    const stamps = new Uint32Array(capacity);
    ids.set(this.ids.subarray(0, this.length));
    scores.set(this.scores.subarray(0, this.length));
    stamps.set(this.stamps.subarray(0, this.length));
    Object.assign(this, { ids, scores, stamps });
  }

  /** Drops dead rows in place. */
  compact(stampOf: Uint32Array): void {
    let kept = 0;
    for (let i = 0; i < this.length; i++) {
      if (stampOf[this.ids[i]] !== this.stamps[i]) continue;
      this.ids[kept] = this.ids[i];
      this.scores[kept] = this.scores[i];
      this.stamps[kept++] = this.stamps[i];
    }
    this.length = kept;
  }
}

export class ClassPostings {
  private readonly lists = new Map<number, RowList>();
  /** Current stamp per photo id; 0 = no rows. */
  private stampOf = new Uint32Array(1024);
  private nextStamp = 1;

  /** Writes a photo's rows: its classes and scores (a class listed twice keeps its best score). */
  add(photoId: number, classes: Iterable<readonly [number, number]>): void {
    this.ensureId(photoId);
    const stamp = this.nextStamp++;
    this.stampOf[photoId] = stamp;
    const best = new Map<number, number>();
    for (const [classIndex, score] of classes) best.set(classIndex, Math.max(score, best.get(classIndex) ?? -Infinity));
    for (const [classIndex, score] of best) {
      let list = this.lists.get(classIndex);
      if (!list) this.lists.set(classIndex, (list = new RowList()));
      list.push(photoId, score, stamp);
    }
  }

  /** Retires a photo's rows; `classes` are the ones it was added with. */
  remove(photoId: number, classes: Iterable<readonly [number, number]>): void {
    if (photoId >= this.stampOf.length || this.stampOf[photoId] === 0) return;
    this.stampOf[photoId] = 0;
    const seen = new Set<number>();
    for (const [classIndex] of classes) {
      if (seen.has(classIndex)) continue;
      seen.add(classIndex);
      const list = this.lists.get(classIndex);
      if (!list) continue;
      list.live--;
      if (list.live === 0) this.lists.delete(classIndex);
      else if (list.length - list.live > Math.max(32, list.live)) list.compact(this.stampOf);
    }
  }

  /** A class's rows (some may be dead: check `isLive`), or null when no photo has it. */
  rows(classIndex: number): ClassRows | null {
    return this.lists.get(classIndex) ?? null;
  }

  /** The stamp array rows are checked against: a row is live when `stamps[photo] === row stamp`. */
  get stamps(): Uint32Array {
    return this.stampOf;
  }

  has(classIndex: number): boolean {
    return this.lists.has(classIndex);
  }

  /** Photos with this class. */
  count(classIndex: number): number {
    return this.lists.get(classIndex)?.live ?? 0;
  }

  classes(): IterableIterator<number> {
    return this.lists.keys();
  }

  /** Drops every dead row and the spare capacity: for an idle moment after loading. */
  trim(): void {
    for (const list of this.lists.values()) {
      list.compact(this.stampOf);
      if (list.ids.length > list.length * 1.25 + 16) list.grow(list.length);
    }
  }

  private ensureId(photoId: number): void {
    if (photoId < this.stampOf.length) return;
    const grown = new Uint32Array(Math.max(photoId + 1, this.stampOf.length * 2));
    grown.set(this.stampOf);
    this.stampOf = grown;
  }
}
