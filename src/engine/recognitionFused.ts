import * as tf from '@tensorflow/tfjs';

/**
 * face-api's FaceRecognitionNet (a ResNet-34-like net, 150 px in, 128-d out) with each conv as one fused
 * kernel. face-api runs every conv as conv → add bias → multiply → add (its "scale" layer) → relu; the scale
 * folds into the filter and bias, so XNNPACK does it all in one pass. Same weights, same math up to float
 * rounding.
 */

type T1 = tf.Tensor1D;
type T4 = tf.Tensor4D;
interface ConvLayer {
  conv: { filters: T4; bias: T1 };
  scale: { weights: T1; biases: T1 };
}
interface Residual {
  conv1: ConvLayer;
  conv2: ConvLayer;
}
const BLOCKS = [
  'conv32_1', 'conv32_2', 'conv32_3', 'conv64_down', 'conv64_1', 'conv64_2', 'conv64_3', 'conv128_down',
  'conv128_1', 'conv128_2', 'conv256_down', 'conv256_1', 'conv256_2', 'conv256_down_out',
] as const;
/** The parts of face-api's `FaceRecognitionNet` params this pass reads. */
export type RecognitionParams = { conv32_down: ConvLayer; fc: tf.Tensor2D } & Record<(typeof BLOCKS)[number], Residual>;

interface Layer {
  filter: T4;
  bias: T1;
}
export interface FusedRecognition {
  first: Layer;
  blocks: { down: boolean; conv1: Layer; conv2: Layer }[];
  fc: tf.Tensor2D;
  dispose(): void;
}

const MEAN_RGB = [122.782, 117.001, 104.298];

export function fuseRecognition(params: RecognitionParams): FusedRecognition {
  const fold = (l: ConvLayer): Layer => ({
    filter: tf.mul(l.conv.filters, l.scale.weights) as T4,
    bias: tf.add(tf.mul(l.conv.bias, l.scale.weights), l.scale.biases) as T1,
  });
  const layers = tf.tidy(
    (): tf.TensorContainer =>
      ({
        first: fold(params.conv32_down),
        blocks: BLOCKS.map((name) => ({ down: name.endsWith('down') || name.endsWith('down_out'), conv1: fold(params[name].conv1), conv2: fold(params[name].conv2) })),
        fc: tf.clone(params.fc),
      }) as unknown as tf.TensorContainer,
  ) as unknown as Omit<FusedRecognition, 'dispose'>;
  return { ...layers, dispose: () => tf.dispose(layers as unknown as tf.TensorContainer) };
}

const conv = (x: T4, l: Layer, down: boolean, relu: boolean) =>
  tf.fused.conv2d({ x, filter: l.filter, bias: l.bias, strides: down ? 2 : 1, pad: down ? 'valid' : 'same', activation: relu ? 'relu' : 'linear' });

/** 128-d descriptors of a float32 batch of 150 px faces, as face-api's `forwardInput` computes them. */
export function forwardRecognition(net: FusedRecognition, batch: T4): tf.Tensor2D {
  return tf.tidy(() => {
    let out = tf.div(tf.sub(batch, tf.tensor1d(MEAN_RGB)), 255) as T4;
    out = conv(out, net.first, true, true);
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const { down, conv1, conv2 } of net.blocks) {
      const x = out;
      let y = conv(conv(x, conv1, down, true), conv2, false, false);
      let shortcut = x;
      if (down) {
        shortcut = tf.avgPool(x, 2, 2, 'valid');
        // face-api's shape fixes: a zero row and column when the strided conv comes out one short, zero channels on the shortcut.
        if (shortcut.shape[1] !== y.shape[1] || shortcut.shape[2] !== y.shape[2]) {
          y = tf.pad(y, [[0, 0], [0, 1], [0, 1], [0, 0]]);
        }
        if (shortcut.shape[3] !== y.shape[3]) shortcut = tf.pad(shortcut, [[0, 0], [0, 0], [0, 0], [0, y.shape[3] - shortcut.shape[3]]]);
      }
      out = tf.relu(tf.add(shortcut, y)) as T4;
    }
    return tf.matMul(tf.mean(out, [1, 2]) as tf.Tensor2D, net.fc);
  });
}
