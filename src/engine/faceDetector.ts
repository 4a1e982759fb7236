import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { faceApi, asFaceInput, type FaceDetection } from './faceApi';
import { contentBatch, forwardSsd, fuseSsd, type FusedSsd, type SsdParams } from './ssdFused';

export interface DetectOptions {
  minScore: number;
  maxFaces: number;
}

export const DETECT_DEFAULTS: DetectOptions = { minScore: 0.5, maxFaces: 100 };

type SsdOutput = ReturnType<faceapi.SsdMobilenetv1['forwardInput']>;

/**
 * face-api's SsdMobilenetv1 with its forward pass replaced by the fused one (ssdFused.ts); its input handling,
 * non-max suppression and boxes are face-api's own.
 */
class FusedSsdMobilenetv1 extends faceapi.SsdMobilenetv1 {
  fused: FusedSsd | null = null;

  async loadFused(url: string) {
    await this.loadFromUri(url);
    this.fused = fuseSsd(this.params as unknown as SsdParams);
    this.dispose(); // the unfused weights: every layer now has its folded copy
  }

  override forwardInput(input: faceapi.NetInput): SsdOutput {
    if (!this.fused) throw new Error('face detector not loaded');
    const fused = this.fused;
    return tf.tidy(() => {
      const image = input.batchSize === 1 ? input.getInput(0) : null;
      const content = image instanceof tf.Tensor && image.rank === 3 ? contentBatch(image as tf.Tensor3D) : null;
      if (content) {
        // What toBatchTensor would record; locateFaces reads it back to place the boxes.
        (input as unknown as { _inputSize: number })._inputSize = 512;
        return forwardSsd(fused, content);
      }
      const batch = tf.cast(input.toBatchTensor(512, false) as unknown as tf.Tensor4D, 'float32');
      // The backbone sees the photo only, not face-api's square padding (see forwardSsd).
      return forwardSsd(fused, batch, input.getReshapedInputDimensions(0));
    }) as unknown as SsdOutput;
  }
}

let net: FusedSsdMobilenetv1 | null = null;
let loading: Promise<void> | null = null;

export function load(modelsUrl: string): Promise<void> {
  faceApi();
  loading ??= (net = new FusedSsdMobilenetv1()).loadFused(`${modelsUrl}/face`);
  loading.catch(() => (loading = null));
  return loading;
}

/** SSD MobileNetV1 on an int32 H×W×3 image tensor; boxes are in that tensor's pixels. */
export async function run(image: tf.Tensor3D, opts: Partial<DetectOptions> = {}): Promise<FaceDetection[]> {
  if (!net) throw new Error('face detector not loaded');
  const { minScore, maxFaces } = { ...DETECT_DEFAULTS, ...opts };
  return net.locateFaces(asFaceInput(image), new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: maxFaces }));
}
