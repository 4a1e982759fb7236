import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { detect, fromArtifacts, inputSize, LONG_SIDE, MODEL_FILE } from '../../src/engine/objectDetector';
import { readBmp, rgbOf } from './bmp';
import { readGraphModel } from './graphModelFiles';

// The object detector's graph, unfrozen to take a photo at its own aspect ratio, on the WASM backend in Node.
const artifacts = () => readGraphModel(join(import.meta.dirname, '../../public/models', MODEL_FILE));

function photo(file: string, size: { width: number; height: number }): tf.Tensor3D {
  const px = readBmp(file);
  return tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(rgbOf(px), [px.height, px.width, 3], 'int32'), [size.height, size.width]));
}

describe('object detector', () => {
  let frozen: tf.GraphModel;
  let unfrozen: tf.GraphModel;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    frozen = await tf.loadGraphModel(tf.io.fromMemory(artifacts()));
    unfrozen = await fromArtifacts(artifacts());
  });

  it('sizes the input by the long side, both sides a multiple of 32', () => {
    expect(inputSize(1920, 1280)).toEqual({ width: LONG_SIDE, height: 320 });
    expect(inputSize(1280, 1920)).toEqual({ width: 320, height: LONG_SIDE });
    expect(inputSize(800, 800)).toEqual({ width: LONG_SIDE, height: LONG_SIDE });
    expect(inputSize(4000, 10)).toEqual({ width: LONG_SIDE, height: 32 });
  });

  it('at the shipped 512² size, the unfrozen graph gives the frozen graph\'s output exactly', async () => {
    const image = photo('grace_hopper.bmp', { width: 512, height: 512 });
    const input = tf.expandDims(image, 0);
    const ref = frozen.execute(input, 'tower_0/detections') as tf.Tensor;
    const expected = Array.from(await ref.data());
    tf.dispose([input, ref]);
    const found = await detect(unfrozen, image, { minScore: 0 , maxObjects: 100, maxOverlap: 1 });
    image.dispose();
    // The frozen graph's rows whose box lies inside the image, as detect reports them.
    const rows: { classIndex: number; score: number }[] = [];
    for (let i = 0; i < expected.length; i += 6) if (expected[i + 2] > Math.max(0, expected[i]) && expected[i + 3] > Math.max(0, expected[i + 1]) && expected[i] < 512 && expected[i + 1] < 512) rows.push({ classIndex: expected[i + 5], score: expected[i + 4] });
    expect(found.map((o) => [o.classIndex, o.score])).toEqual(rows.sort((a, b) => b.score - a.score).slice(0, found.length).map((o) => [o.classIndex, o.score]));
    expect(found.length).toBeGreaterThan(10);
  });

  it('finds the person in a portrait at its own aspect ratio, boxed in the photo\'s fractions', async () => {
    const px = readBmp('grace_hopper.bmp');
    const size = inputSize(px.width, px.height);
    expect(size.width).not.toEqual(size.height);
    const image = photo('grace_hopper.bmp', size);
    const found = await detect(unfrozen, image);
    image.dispose();
    const person = found.find((o) => o.classIndex === 0);
    expect(person?.score).toBeGreaterThan(0.5);
    const [x, y, w, h] = person!.box;
    expect(x + w / 2).toBeGreaterThan(0.3);
    expect(x + w / 2).toBeLessThan(0.7);
    expect(h).toBeGreaterThan(0.5);
    expect(y + h).toBeLessThanOrEqual(1);
  });
});
