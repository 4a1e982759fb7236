import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { contentBatch, forwardSsd, fuseSsd, type FusedSsd, type SsdParams } from '../../src/engine/ssdFused';
import { installFastConcat } from '../../src/engine/wasmConcat';
import { readBmp, rgbOf } from './bmp';

// The fused SSD against face-api's own forward pass, on the WASM backend (as in the app) in Node, on real
// photos from ../shared: the uncompressed BMPs, so no image decoder is needed here.
const root = join(import.meta.dirname, '../..');

function readPhoto(file: string): tf.Tensor3D {
  const px = readBmp(file);
  return tf.tensor3d(rgbOf(px), [px.height, px.width, 3], 'int32');
}

type Output = { boxes: tf.Tensor2D[]; scores: tf.Tensor1D[] };
const PHOTOS = ['grace_hopper.bmp', 'bird.bmp', 'dragonfly.bmp', 'sunflower.bmp'];

describe('fused SSD MobileNetV1', () => {
  let reference: faceapi.SsdMobilenetv1;
  let fused: FusedSsd;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installFastConcat();
    reference = new faceapi.SsdMobilenetv1();
    await reference.loadFromDisk(join(root, 'public/models/face'));
    fused = fuseSsd(reference.params as unknown as SsdParams);
  });

  async function both(file: string, content: boolean) {
    const image = readPhoto(file);
    const input = await faceapi.toNetInput(image as unknown as faceapi.TNetInput);
    const ref = reference.forwardInput(input) as unknown as Output;
    const ours = tf.tidy(() => {
      const batch = tf.cast(input.toBatchTensor(512, false) as unknown as tf.Tensor4D, 'float32');
      return forwardSsd(fused, batch, content ? input.getReshapedInputDimensions(0) : undefined);
    });
    const read = async (o: Output) => ({ boxes: await o.boxes[0].array(), scores: Array.from(await o.scores[0].data()) });
    const result = { ref: await read(ref), ours: await read(ours), size: [image.shape[0], image.shape[1]] };
    tf.dispose([image, ref as unknown as tf.TensorContainer, ours as unknown as tf.TensorContainer]);
    return result;
  }

  it('on the whole square, every prior gets face-api\'s score and box to float rounding', async () => {
    for (const file of PHOTOS) {
      const { ref, ours } = await both(file, false);
      expect(ours.scores).toHaveLength(5118);
      for (let i = 0; i < ref.scores.length; i++) {
        expect(Math.abs(ours.scores[i] - ref.scores[i]), `${file} prior ${i}`).toBeLessThan(1e-4);
        for (let k = 0; k < 4; k++) expect(Math.abs(ours.boxes[i][k] - ref.boxes[i][k])).toBeLessThan(1e-4);
      }
    }
  });

  it('on the photo only, the faces a person sees keep their score and box', async () => {
    for (const file of PHOTOS) {
      const { ref, ours, size } = await both(file, true);
      const side = Math.max(size[0], size[1]);
      // Priors whose centre lies on the photo and that face-api scores as a possible face.
      const onPhoto = (b: number[]) => ((b[0] + b[2]) / 2) * side < size[0] && ((b[1] + b[3]) / 2) * side < size[1];
      let compared = 0;
      for (let i = 0; i < ref.scores.length; i++) {
        if (ref.scores[i] < 0.3 || !onPhoto(ref.boxes[i])) continue;
        compared++;
        expect(Math.abs(ours.scores[i] - ref.scores[i]), `${file} prior ${i}`).toBeLessThan(0.02);
        for (let k = 0; k < 4; k++) expect(Math.abs(ours.boxes[i][k] - ref.boxes[i][k]) * side).toBeLessThan(2);
      }
      // No new face appears: nothing scores ≥ 0.5 where face-api scored below 0.3.
      const appeared = ours.scores.filter((s, i) => s >= 0.5 && ref.scores[i] < 0.3).length;
      expect(appeared, file).toBe(0);
      if (file === 'grace_hopper.bmp') expect(compared).toBeGreaterThan(0);
    }
  });

  it('Grace Hopper is found once, where face-api finds her', async () => {
    const { ref, ours } = await both('grace_hopper.bmp', true);
    const best = (s: number[]) => s.indexOf(Math.max(...s));
    expect(ours.scores[best(ours.scores)]).toBeGreaterThan(0.9);
    expect(best(ours.scores)).toBe(best(ref.scores));
  });

  it('the photo\'s part of the input square, made without the whole square, is face-api\'s to the last bit', async () => {
    // [height, width]: landscape and portrait, padded and cut short by a row, and sizes where it must decline.
    const exact = [[853, 1280], [1280, 853], [720, 1280], [960, 1280], [961, 1280], [600, 512], [1000, 700]];
    const declined = [[1000, 1500], [400, 300]];
    let seed = 1;
    const random = (n: number) => Int32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255);
    for (const [height, width] of [...exact, ...declined]) {
      const image = tf.tensor3d(random(height * width * 3), [height, width, 3], 'int32');
      const ours = contentBatch(image);
      if (declined.some(([h, w]) => h === height && w === width)) {
        expect(ours, `${height}×${width}`).toBeNull();
      } else {
        expect(ours, `${height}×${width}`).not.toBeNull();
        const input = await faceapi.toNetInput(image as unknown as faceapi.TNetInput);
        const diff = tf.tidy(() => {
          const square = tf.cast(input.toBatchTensor(512, false) as unknown as tf.Tensor4D, 'float32');
          const [, h, w] = ours!.shape;
          return tf.max(tf.abs(tf.sub(tf.slice(square, [0, 0, 0, 0], [1, h, w, 3]), ours!)));
        });
        expect(await diff.data(), `${height}×${width}`).toEqual(new Float32Array([0]));
        tf.dispose([diff, ours!]);
      }
      image.dispose();
    }
  });
});
