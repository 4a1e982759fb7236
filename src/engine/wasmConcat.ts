import * as tf from '@tensorflow/tfjs';

interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}
type ConcatArgs = { inputs: tf.TensorInfo[]; backend: WasmBackend; attrs: { axis: number } };

/**
 * tfjs-wasm's Concat copies with one `subarray` + `set` per row of each input. face-api subtracts its mean
 * RGB by concatenating three one-channel tensors on the last axis, so every pixel is a row of one value:
 * 90,000 typed-array views per 150 px face, 20–40 ms per photo. This copies short rows value by value and
 * leaves everything else (strings, empty and single inputs) to the original kernel.
 */
export function installFastConcat(): void {
  const original = tf.getKernel('Concat', 'wasm');
  if (!original || (original as { shoeboxFast?: boolean }).shoeboxFast) return;
  const kernelFunc = (args: ConcatArgs) => {
    const { inputs, backend } = args;
    const axis = tf.util.parseAxisParam(args.attrs.axis, inputs[0].shape)[0];
    const present = inputs.filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    if (present.length < 2 || present[0].dtype === 'string') return original.kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]);
    const outShape = present[0].shape.slice();
    outShape[axis] = present.reduce((s, t) => s + t.shape[axis], 0);
    const out = backend.makeOutput(outShape, present[0].dtype);
    const rows = tf.util.sizeFromShape(present[0].shape.slice(0, axis));
    const inner = present.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    const width = inner.reduce((s, n) => s + n, 0);
    const ins = present.map((t) => backend.typedArrayFromHeap(t));
    const dst = backend.typedArrayFromHeap(out);
    let start = 0;
    for (let i = 0; i < ins.length; i++) {
      const src = ins[i];
      const n = inner[i];
      if (n >= 64) {
        for (let r = 0; r < rows; r++) dst.set(src.subarray(r * n, r * n + n), r * width + start);
      } else {
        for (let r = 0; r < rows; r++) {
          const from = r * n;
          const to = r * width + start;
          for (let k = 0; k < n; k++) dst[to + k] = src[from + k];
        }
      }
      start += n;
    }
    return out;
  };
  tf.unregisterKernel('Concat', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: kernelFunc as unknown as tf.KernelFunc, shoeboxFast: true } as tf.KernelConfig);
}
