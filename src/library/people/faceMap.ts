/**
 * The face map's projection: descriptors → 2-D by PCA. PCA rather than t-SNE/UMAP: it is exact, deterministic,
 * instant for 100k faces, and a new face lands where the old ones are. People still separate, since the
 * descriptor's largest variances are between people.
 */

/** Most rows used to estimate the axes; all rows are projected. Strided, so the choice is deterministic. */
const MAX_SAMPLE = 4000;
const ITERATIONS = 200;

export interface Projection {
  /** x0, y0, x1, y1, … in the order of the input. */
  points: Float32Array;
  /** The two principal axes (unit vectors) and the mean they are centred on. */
  axes: [Float64Array, Float64Array];
  mean: Float64Array;
  /** Variance along each axis (the first is the larger). */
  variance: [number, number];
}

/** Top eigenvector of a symmetric matrix (row-major, d × d) by power iteration from a fixed start. */
function topEigen(m: Float64Array, d: number): { vector: Float64Array; value: number } {
  let v = new Float64Array(d);
  for (let i = 0; i < d; i++) v[i] = 1 + i / d; // fixed, not orthogonal to any real axis in practice
  let value = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += m[i * d + j] * v[j];
      w[i] = s;
    }
    const norm = Math.hypot(...w);
    if (norm === 0) break;
    for (let i = 0; i < d; i++) w[i] /= norm;
    value = norm;
    v = w;
  }
  // Same data, same picture: the largest component points the positive way.
  let big = 0;
  for (let i = 1; i < d; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
  if (v[big] < 0) for (let i = 0; i < d; i++) v[i] = -v[i];
  return { vector: v, value };
}

export function projectFaces(vectors: readonly ArrayLike<number>[]): Projection {
  const n = vectors.length;
  const d = n ? vectors[0].length : 0;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let i = 0; i < d; i++) mean[i] += v[i] / n;

  const step = Math.max(1, Math.ceil(n / MAX_SAMPLE));
  const cov = new Float64Array(d * d);
  let used = 0;
  const x = new Float64Array(d);
  for (let k = 0; k < n; k += step, used++) {
    const v = vectors[k];
    for (let i = 0; i < d; i++) x[i] = v[i] - mean[i];
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += xi * x[j];
    }
  }
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      const c = used > 1 ? cov[i * d + j] / (used - 1) : 0;
      cov[i * d + j] = c;
      cov[j * d + i] = c;
    }

  const first = topEigen(cov, d);
  // Deflate: remove the first axis' variance, and the second axis is the top of what is left.
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] -= first.value * first.vector[i] * first.vector[j];
  const second = topEigen(cov, d);

  const points = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const v = vectors[k];
    let a = 0;
    let b = 0;
    for (let i = 0; i < d; i++) {
      const c = v[i] - mean[i];
      a += c * first.vector[i];
      b += c * second.vector[i];
    }
    points[2 * k] = a;
    points[2 * k + 1] = b;
  }
  return { points, axes: [first.vector, second.vector], mean, variance: [first.value, second.value] };
}
