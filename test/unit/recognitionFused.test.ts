import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { forwardRecognition, fuseRecognition, type FusedRecognition, type RecognitionParams } from '../../src/engine/recognitionFused';
import { cropFaces } from '../../src/engine/faceCrops';
import { installFastConcat } from '../../src/engine/wasmConcat';
import { readBmp } from './bmp';

// The fused FaceRecognitionNet against face-api's own forward pass, on WASM, on crops of real photos.
describe('fused FaceRecognitionNet', () => {
  let reference: faceapi.FaceRecognitionNet;
  let fused: FusedRecognition;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    installFastConcat();
    reference = new faceapi.FaceRecognitionNet();
    await reference.loadFromDisk(join(import.meta.dirname, '../../public/models/face'));
    fused = fuseRecognition(reference.params as unknown as RecognitionParams);
  });

  it('gives face-api\'s descriptors to float rounding, batched, for faces and for anything else', async () => {
    const hopper = readBmp('grace_hopper.bmp');
    const bird = readBmp('bird.bmp');
    const crops = [
      ...cropFaces(hopper, [{ x: 160, y: 100, width: 200, height: 250 }, { x: 0, y: 0, width: 512, height: 600 }], 'center'),
      ...cropFaces(bird, [{ x: 100, y: 50, width: 150, height: 150 }, { x: 30, y: 200, width: 321, height: 97 }]),
    ].map((c) => c.tensor);
    const input = await faceapi.toNetInput(crops as unknown as faceapi.TNetInput);
    const expected = (reference.forwardInput(input) as unknown as tf.Tensor2D).arraySync();
    const ours = tf.tidy(() => forwardRecognition(fused, tf.cast(input.toBatchTensor(150, true) as unknown as tf.Tensor4D, 'float32'))).arraySync();
    expect(ours).toHaveLength(4);
    for (let i = 0; i < 4; i++) {
      expect(ours[i]).toHaveLength(128);
      expect(Math.hypot(...ours[i])).toBeGreaterThan(0.3);
      const distance = Math.hypot(...ours[i].map((v, k) => v - expected[i][k]));
      expect(distance, `crop ${i}`).toBeLessThan(1e-4);
    }
    tf.dispose(crops);
  });
});
