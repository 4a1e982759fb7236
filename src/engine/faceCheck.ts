/**
 * A geometric second check on SSD detections: a human face's 68 landmarks have two eyes side by side above
 * a nose above a mouth, at sensible proportions of the box. Animal faces and textures that fool SSD give
 * landmark sets that break these rules. Thresholds were tuned on the shared photos, face-api's demo photos
 * and skimage's chelsea.png.
 */
export interface Point {
  x: number;
  y: number;
}

const mean = (pts: Point[]) => ({ x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length });

export function faceGeometry(points: Point[], box: { width: number; height: number }) {
  const leftEye = mean(points.slice(36, 42));
  const rightEye = mean(points.slice(42, 48));
  const nose = mean(points.slice(27, 36));
  const mouth = mean(points.slice(48, 68));
  const eyeDist = Math.hypot(rightEye.x - leftEye.x, rightEye.y - leftEye.y);
  const eyesMid = { x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2 };
  // Roll-invariant: measure along the face's own vertical axis.
  const ux = (rightEye.x - leftEye.x) / (eyeDist || 1);
  const uy = (rightEye.y - leftEye.y) / (eyeDist || 1);
  const down = (p: Point) => -(p.x - eyesMid.x) * uy + (p.y - eyesMid.y) * ux;
  return {
    eyeRatio: eyeDist / Math.max(box.width, 1),
    noseDown: down(nose) / (eyeDist || 1),
    mouthDown: down(mouth) / (eyeDist || 1),
  };
}

export function plausibleFace(points: Point[], box: { width: number; height: number }): boolean {
  const g = faceGeometry(points, box);
  return g.eyeRatio > 0.2 && g.eyeRatio < 0.75 && g.noseDown > 0.2 && g.mouthDown > g.noseDown && g.mouthDown < 2.2;
}
