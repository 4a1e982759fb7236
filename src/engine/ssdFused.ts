import * as tf from '@tensorflow/tfjs';

/**
 * face-api's SSD MobileNetV1 forward pass with each layer as one fused kernel. face-api runs every layer as
 * conv → batch norm (or bias add) → clip to 0..6, three kernels and two full-size intermediates; folding the
 * batch norm into the filters and bias lets XNNPACK do all three in one pass (about a fifth of SSD's time on
 * WASM). Same weights, same math up to float rounding.
 */

type T1 = tf.Tensor1D;
type T4 = tf.Tensor4D;
interface Pointwise {
  filters: T4;
  batch_norm_offset: T1;
}
interface Depthwise {
  filters: T4;
  batch_norm_scale: T1;
  batch_norm_offset: T1;
  batch_norm_mean: T1;
  batch_norm_variance: T1;
}
interface Conv {
  filters: T4;
  bias: T1;
}
interface BoxPredictor {
  box_encoding_predictor: Conv;
  class_predictor: Conv;
}
/** The parts of face-api's `SsdMobilenetv1` params this pass reads. */
export interface SsdParams {
  mobilenetv1: { conv_0: Pointwise } & Record<`conv_${number}`, { depthwise_conv: Depthwise; pointwise_conv: Pointwise }>;
  prediction_layer: Record<`conv_${number}`, Pointwise> & Record<`box_predictor_${number}`, BoxPredictor>;
  output_layer: { extra_dim: tf.Tensor3D };
}

interface Layer {
  filter: T4;
  bias: T1;
}
export interface FusedSsd {
  conv0: Layer;
  pairs: { depthwise: Layer; pointwise: Layer }[];
  extra: Layer[];
  boxes: { box: Layer; cls: Layer }[];
  /** Prior boxes as [y0, x0, y1, x1], one row per anchor. */
  priors: tf.Tensor2D;
  /** The backbone's feature maps for an all-padding input (see forwardSsd). */
  padding: { conv11: T4; conv13: T4 };
  dispose(): void;
}

// face-api's batch-norm epsilon for the depthwise layers.
const EPSILON = 0.0010000000474974513;
const DEPTHWISE_STRIDE_2 = new Set([2, 4, 6, 12]);
/** face-api's SSD input square; its priors are laid out for it. */
const INPUT_SIZE = 512;
const normalise = (b: T4) => tf.sub(tf.div(b, 127.5), 1) as T4;

/** Folds the batch norms into the filters once, after the weights load. */
export function fuseSsd(params: SsdParams): FusedSsd {
  const m = params.mobilenetv1;
  const p = params.prediction_layer;
  const pointwise = (l: Pointwise): Layer => ({ filter: tf.clone(l.filters), bias: tf.clone(l.batch_norm_offset) });
  const conv = (l: Conv): Layer => ({ filter: tf.clone(l.filters), bias: tf.clone(l.bias) });
  const depthwise = (l: Depthwise): Layer => {
    const k = tf.div(l.batch_norm_scale, tf.sqrt(tf.add(l.batch_norm_variance, EPSILON)));
    return { filter: tf.mul(l.filters, tf.reshape(k, [1, 1, -1, 1])) as T4, bias: tf.sub(l.batch_norm_offset, tf.mul(l.batch_norm_mean, k)) as T1 };
  };
  // tidy keeps every tensor in what it returns and frees the intermediates.
  const layers = tf.tidy(
    (): tf.TensorContainer =>
      ({
        conv0: pointwise(m.conv_0),
        pairs: Array.from({ length: 13 }, (_, i) => ({ depthwise: depthwise(m[`conv_${i + 1}`].depthwise_conv), pointwise: pointwise(m[`conv_${i + 1}`].pointwise_conv) })),
        extra: Array.from({ length: 8 }, (_, i) => pointwise(p[`conv_${i}`])),
        boxes: Array.from({ length: 6 }, (_, i) => ({ box: conv(p[`box_predictor_${i}`].box_encoding_predictor), cls: conv(p[`box_predictor_${i}`].class_predictor) })),
        priors: tf.reshape(params.output_layer.extra_dim, [-1, 4]) as tf.Tensor2D,
      }) as unknown as tf.TensorContainer,
  ) as unknown as Omit<FusedSsd, 'dispose' | 'padding'>;
  // Made once here rather than on the first photo, so the tensor count is flat from the start.
  const padding = tf.tidy(() => backbone(layers, normalise(tf.zeros([1, INPUT_SIZE, INPUT_SIZE, 3]))));
  const fused: FusedSsd = {
    ...layers,
    padding,
    dispose: () => tf.dispose([layers, padding] as unknown as tf.TensorContainer),
  };
  return fused;
}

const relu6 = (x: T4, l: Layer, strides: 1 | 2) => tf.fused.conv2d({ x, filter: l.filter, bias: l.bias, strides, pad: 'same', activation: 'relu6' });

/** MobileNetV1: conv11 (stride 16) and conv13 (stride 32) feature maps of a normalised input. */
function backbone(net: Pick<FusedSsd, 'conv0' | 'pairs'>, x: T4): { conv11: T4; conv13: T4 } {
  let out = relu6(x, net.conv0, 2);
  let conv11 = out;
  net.pairs.forEach(({ depthwise, pointwise }, i) => {
    const stride = DEPTHWISE_STRIDE_2.has(i + 1) ? 2 : 1;
    out = tf.fused.depthwiseConv2d({ x: out, filter: depthwise.filter, bias: depthwise.bias, strides: stride, pad: 'same', activation: 'relu6' });
    out = relu6(out, pointwise, 1);
    if (i + 1 === 11) conv11 = out;
  });
  return { conv11, conv13: out };
}

/** A cropped feature map grown back to the full grid with the all-padding input's features. */
function growTo(features: T4, padding: T4): T4 {
  const [, h, w] = features.shape;
  const [, H, W] = padding.shape;
  let out = features;
  if (w < W) out = tf.concat([out, tf.slice(padding, [0, 0, w, 0], [1, h, W - w, -1])], 2);
  if (h < H) out = tf.concat([out, tf.slice(padding, [0, h, 0, 0], [1, H - h, W, -1])], 1);
  return out;
}

/**
 * Boxes (relative [y0, x0, y1, x1]) and face scores per batch item, as face-api's output layer returns them.
 *
 * face-api pads every photo to a 512 px square at the bottom or right; for a 3:2 photo a third of the
 * backbone's work is on that padding. With `content` (the photo's size inside the square) the backbone runs
 * only on the photo, rounded up to its 32 px stride so every cell stays where it was, and the padded rows and
 * columns of its two feature maps are filled from an all-padding input. Every prior and every box predictor
 * is unchanged; only cells within reach of the photo's edge see slightly different padding.
 */
export function forwardSsd(net: FusedSsd, batch: T4, content?: { height: number; width: number }): { boxes: tf.Tensor2D[]; scores: tf.Tensor1D[] } {
  return tf.tidy(() => {
    const [n, bh, bw] = batch.shape;
    // A batch of one smaller than the square is already the photo's part of it (contentBatch).
    const cropped = n === 1 && (bh < INPUT_SIZE || bw < INPUT_SIZE) && bh % 32 === 0 && bw % 32 === 0;
    if (!cropped && (bh !== INPUT_SIZE || bw !== INPUT_SIZE)) throw new Error(`SSD takes a ${INPUT_SIZE} px square, not ${bh}×${bw}`);
    const size = INPUT_SIZE;
    const h = cropped ? bh : content ? Math.min(size, Math.ceil(content.height / 32) * 32) : size;
    const w = cropped ? bw : content ? Math.min(size, Math.ceil(content.width / 32) * 32) : size;
    let conv11: T4;
    let out: T4;
    if (n === 1 && (h < size || w < size)) {
      const f = backbone(net, normalise(cropped ? batch : tf.slice(batch, [0, 0, 0, 0], [1, h, w, 3])));
      conv11 = growTo(f.conv11, net.padding.conv11);
      out = growTo(f.conv13, net.padding.conv13);
    } else {
      ({ conv11, conv13: out } = backbone(net, normalise(batch)));
    }
    const e = net.extra;
    const c0 = relu6(out, e[0], 1);
    const c1 = relu6(c0, e[1], 2);
    const c3 = relu6(relu6(c1, e[2], 1), e[3], 2);
    const c5 = relu6(relu6(c3, e[4], 1), e[5], 2);
    const c7 = relu6(relu6(c5, e[6], 1), e[7], 2);
    const sources = [conv11, out, c1, c3, c5, c7];
    const predict = (s: T4, l: Layer) => tf.fused.conv2d({ x: s, filter: l.filter, bias: l.bias, strides: 1, pad: 'same' });
    const encodings = tf.concat(sources.map((s, i) => tf.reshape(predict(s, net.boxes[i].box), [n, -1, 4])), 1);
    const classes = tf.concat(sources.map((s, i) => tf.reshape(predict(s, net.boxes[i].cls), [n, -1, 3])), 1);

    // Decoding as face-api's outputLayer: centre/size offsets scaled by 10 and 5 against each prior.
    const priors = tf.tile(net.priors, [n, 1]);
    const [py0, px0, py1, px1] = tf.unstack(priors, 1);
    const ph = tf.sub(py1, py0);
    const pw = tf.sub(px1, px0);
    const pcy = tf.add(py0, tf.div(ph, 2));
    const pcx = tf.add(px0, tf.div(pw, 2));
    const [ey, ex, eh, ew] = tf.unstack(tf.reshape(encodings, [-1, 4]), 1);
    const halfH = tf.div(tf.mul(tf.exp(tf.div(eh, 5)), ph), 2);
    const cy = tf.add(tf.mul(tf.div(ey, 10), ph), pcy);
    const halfW = tf.div(tf.mul(tf.exp(tf.div(ew, 5)), pw), 2);
    const cx = tf.add(tf.mul(tf.div(ex, 10), pw), pcx);
    const boxes = tf.reshape(tf.stack([tf.sub(cy, halfH), tf.sub(cx, halfW), tf.add(cy, halfH), tf.add(cx, halfW)], 1), [n, -1, 4]);
    const scores = tf.reshape(tf.sigmoid(tf.slice(classes, [0, 0, 1], [-1, -1, 1])), [n, -1]);
    return { boxes: tf.unstack(boxes) as tf.Tensor2D[], scores: tf.unstack(scores) as tf.Tensor1D[] };
  });
}

/**
 * The part of face-api's input square that forwardSsd reads for an H×W×3 image (the photo, rounded up to SSD's
 * 32 px stride), as float32 [1, h, w, 3], made without padding and resizing the whole square: face-api pads a
 * 1280 px photo to a 1280² tensor and resizes all of it. Equal to slicing `toBatchTensor(512, false)` value for
 * value where the resize's scale comes out the same (a side of at least 512 px, and h and w rows and columns of
 * the square landing on whole source pixels); null elsewhere, where face-api's own path is used.
 */
export function contentBatch(image: tf.Tensor3D): T4 | null {
  const [height, width] = image.shape;
  const side = Math.max(height, width);
  if (side < INPUT_SIZE) return null;
  // face-api's computeReshapedDimensions, then forwardSsd's rounding up to the stride.
  const scale = INPUT_SIZE / side;
  const h = Math.min(INPUT_SIZE, Math.ceil(Math.round(height * scale) / 32) * 32);
  const w = Math.min(INPUT_SIZE, Math.ceil(Math.round(width * scale) / 32) * 32);
  // The source rows and columns those cover: the same bilinear scale (side / 512) only when whole.
  const sh = (h * side) / INPUT_SIZE;
  const sw = (w * side) / INPUT_SIZE;
  if (!Number.isInteger(sh) || !Number.isInteger(sw)) return null;
  return tf.tidy(() => {
    let x = tf.cast(image, 'float32') as tf.Tensor3D;
    if (sh < height || sw < width) x = tf.slice(x, [0, 0, 0], [Math.min(sh, height), Math.min(sw, width), 3]);
    if (sh > height || sw > width) x = tf.pad(x, [[0, Math.max(0, sh - height)], [0, Math.max(0, sw - width)], [0, 0]]);
    return tf.image.resizeBilinear(tf.expandDims(x, 0) as T4, [h, w], false, false);
  });
}
