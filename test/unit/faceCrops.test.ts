import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { clipBox, cropFaces } from '../../src/engine/faceCrops';
import { installFastConcat } from '../../src/engine/wasmConcat';
import { readBmp, rgbOf } from './bmp';
import { prng } from './libraryFixtures';

const px = readBmp('grace_hopper.bmp');
const BOXES = [
  { x: 171.2, y: 110.7, width: 180.4, height: 231.9 }, // her face, fractional as detectors give it
  { x: -20.5, y: -8, width: 90, height: 60 }, // over the top-left corner
  { x: px.width - 40.2, y: px.height - 30, width: 100, height: 100 }, // over the bottom-right corner
  { x: 10, y: 20, width: 300, height: 40 }, // wide
  { x: 10, y: 20, width: 41, height: 300 }, // tall, odd difference
];

describe('cropFaces', () => {
  let image: tf.Tensor3D;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    image = tf.tensor3d(rgbOf(px), [px.height, px.width, 3], 'int32');
  });

  it('cuts what face-api\'s extractFaceTensors cuts from the fromPixels tensor', async () => {
    const expected = await faceapi.extractFaceTensors(image as unknown as faceapi.TNetInput as never, BOXES.map((b) => new faceapi.Rect(b.x, b.y, b.width, b.height)));
    const ours = cropFaces(px, BOXES);
    expect(ours).toHaveLength(BOXES.length);
    for (let i = 0; i < BOXES.length; i++) {
      expect(ours[i].tensor.shape).toEqual(expected[i].shape);
      expect(ours[i].tensor.dtype).toBe('int32');
      expect(Array.from(ours[i].tensor.dataSync())).toEqual(Array.from((expected[i] as unknown as tf.Tensor).dataSync()));
      const clipped = clipBox(BOXES[i], px.width, px.height);
      expect([ours[i].x, ours[i].y]).toEqual([clipped.x, clipped.y]);
    }
  });

  it('pads to a square exactly as face-api\'s padToSquare does inside the nets, centred or at the end', () => {
    for (const square of ['center', 'end'] as const) {
      for (const box of BOXES) {
        const c = clipBox(box, px.width, px.height);
        const cut = tf.slice(image, [c.y, c.x, 0], [c.height, c.width, 3]);
        const expected = faceapi.padToSquare(tf.expandDims(cut) as unknown as Parameters<typeof faceapi.padToSquare>[0], square === 'center') as unknown as tf.Tensor;
        const [ours] = cropFaces(px, [box], square);
        expect(ours.tensor.shape).toEqual(expected.shape.slice(1));
        expect(Array.from(ours.tensor.dataSync())).toEqual(Array.from(expected.dataSync()));
        // The crop's origin in the image: where its first image pixel sits, minus the padding before it.
        const before = square === 'center' ? Math.abs(c.width - c.height) - Math.round(Math.abs(c.width - c.height) / 2) : 0;
        expect([ours.x, ours.y]).toEqual(c.width < c.height ? [c.x - before, c.y] : [c.x, c.y - before]);
      }
    }
  });
});

describe('the WASM Concat replacement', () => {
  it('equals tfjs\' own Concat for every axis, dtype and row width', async () => {
    await tf.setBackend('wasm');
    installFastConcat();
    const random = prng(7);
    for (let trial = 0; trial < 60; trial++) {
      const rank = 1 + Math.floor(random() * 4);
      const shape = Array.from({ length: rank }, () => 1 + Math.floor(random() * 6));
      const axis = Math.floor(random() * rank);
      const dtype = random() < 0.5 ? 'float32' : 'int32';
      const parts = Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
        const s = shape.slice();
        s[axis] = Math.floor(random() * (trial % 3 === 0 ? 80 : 4)); // some empty, some wide rows
        return { shape: s, values: Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => Math.round(random() * 1000) - 500) };
      });
      const run = async () => {
        const ts = parts.map((p) => tf.tensor(p.values, p.shape, dtype));
        const out = tf.concat(ts, axis);
        const result = { shape: out.shape, values: Array.from(await out.data()) };
        tf.dispose([...ts, out]);
        return result;
      };
      const ours = await run();
      await tf.setBackend('cpu');
      const reference = await run();
      await tf.setBackend('wasm');
      expect(ours, `trial ${trial}`).toEqual(reference);
    }
  });
});
