/** Result order for a query: by score, then newest first. */

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);
/** rank → row + 1 while ranking; all zero between calls (only the rows set are cleared), so never re-filled. */
let rowOfRank = new Int32Array(0);
/** Two buffers each, swapped between radix passes; kept between calls so a query allocates little. */
let radixRows = [new Int32Array(0), new Int32Array(0)];
let radixKeys = [new Uint32Array(0), new Uint32Array(0)];
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * Result order: score desc, then rank asc (ranks: distinct integers ≥ 0). A comparator sort of 50k photos takes
 * tens of ms, so: rows in rank order by a counting pass, then a stable LSD radix sort on the score's float32 bits
 * (which order like the numbers); runs whose float32 scores tie but whose exact scores differ are then put right
 * with the comparator.
 */
export function rankByScore(pool: ArrayLike<number>, scores: ArrayLike<number>, ranks: Int32Array): number[] {
  const n = pool.length;
  let maxRank = 0;
  for (let i = 0; i < n; i++) if (ranks[i] > maxRank) maxRank = ranks[i];
  if (rowOfRank.length <= maxRank) rowOfRank = new Int32Array(Math.ceil((maxRank + 1) * 1.25));
  for (let i = 0; i < n; i++) rowOfRank[ranks[i]] = i + 1;
  if (radixRows[0].length < n) {
    const cap = Math.ceil(n * 1.25);
    radixRows = [new Int32Array(cap), new Int32Array(cap)];
    radixKeys = [new Uint32Array(cap), new Uint32Array(cap)];
  }
  let [rows, rowsOut] = radixRows;
  let [keys, keysOut] = radixKeys;
  for (let r = 0, k = 0; k < n && r <= maxRank; r++) {
    const row = rowOfRank[r] - 1;
    if (row < 0) continue;
    rowOfRank[r] = 0;
    rows[k] = row;
    f32[0] = scores[row];
    keys[k++] = 0xffffffff - f32bits[0];
  }
  // Rows and their keys move together, so each pass reads keys in order.
  const counts = new Int32Array(RADIX);
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & (RADIX - 1)]++;
    if (counts.includes(n)) continue; // every row has this digit: the pass would change nothing
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(keys[i] >>> shift) & (RADIX - 1)]++;
      rowsOut[at] = rows[i];
      keysOut[at] = keys[i];
    }
    [rows, rowsOut] = [rowsOut, rows];
    [keys, keysOut] = [keysOut, keys];
  }
  for (let i = 0; i < n; ) {
    let j = i + 1;
    let mixed = false;
    for (; j < n && keys[j] === keys[i]; j++) if (scores[rows[j]] !== scores[rows[i]]) mixed = true;
    if (mixed) rows.set(Array.from(rows.subarray(i, j)).sort((a, b) => scores[b] - scores[a] || ranks[a] - ranks[b]), i);
    i = j;
  }
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = pool[rows[i]];
  return out;
}
