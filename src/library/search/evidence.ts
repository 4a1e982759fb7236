/**
 * How sure Shoebox is that a photo shows a concept. The classifier's evidence is the probability mass of the
 * concept's classes among the photo's top labels; the object detector's is its best box of the concept. Each
 * detector has its own calibrated threshold (tuned on held-out ImageNet photos, the same for every word: see
 * docs/BENCHMARKS.md), and a photo's score is the chance that either detector, where it passes, is right.
 */

/** Label mass a photo needs to be an answer. */
export const LABEL_THRESHOLD = 0.25;
/** CenterNet box score a photo needs to be an answer (its scores run higher than its precision: "dog 48%" on a cat). */
export const OBJECT_THRESHOLD = 0.8;

/** 0 when neither detector passes its threshold; otherwise the combined probability (noisy OR of those that pass). */
export function conceptScore(labelMass: number, objectScore: number): number {
  const l = labelMass >= LABEL_THRESHOLD ? Math.min(1, labelMass) : 0;
  const o = objectScore >= OBJECT_THRESHOLD ? objectScore : 0;
  return l === 0 && o === 0 ? 0 : 1 - (1 - l) * (1 - o);
}
