// The benchmark's peer: face-api as its README shows it, in a page of its own and with its own bundled tfjs
// (none of Shoebox's engine, kernels or workers). `npm run bench` opens this page once per configuration:
//   ?threads=N      WASM threads (tfjs's pthreads need cross-origin isolation, which the preview server gives)
//   ?input=tensor   hands face-api an int32 tensor of the photo instead of the <img>, as Shoebox's engine worker
//                   had to (a worker has no <img>): the path that made the old in-worker peer slower.
import * as faceapi from '@vladmandic/face-api';

export interface PeerInfo {
  backend: string;
  simd: boolean;
  threads: number;
  crossOriginIsolated: boolean;
  input: 'image' | 'tensor';
  tfjs: string;
  faceapi: string;
}

export interface PeerResult {
  faces: number;
  /** Blob to results: decode, detection, landmarks, descriptors. */
  ms: number;
  descriptors: number[][];
}

const params = new URLSearchParams(location.search);
const threads = Math.max(1, Number(params.get('threads')) || 1);
const input = params.get('input') === 'tensor' ? 'tensor' : 'image';
// The page lives at test/bench/ under the app's root, where the models and tfjs's WASM binaries are.
const base = new URL('../../', location.href).href;

async function start(): Promise<PeerInfo> {
  const tf = faceapi.tf as unknown as typeof import('@tensorflow/tfjs') & {
    setWasmPaths(path: string): void;
    setThreadsCount(n: number): void;
    getThreadsCount(): number;
  };
  tf.setWasmPaths(`${base}wasm/tfjs/`);
  if (threads > 1) tf.setThreadsCount(threads);
  else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  await tf.ready();
  tf.enableProdMode();
  const models = `${base}models/face`;
  await faceapi.nets.ssdMobilenetv1.loadFromUri(models);
  await faceapi.nets.faceLandmark68Net.loadFromUri(models);
  await faceapi.nets.faceRecognitionNet.loadFromUri(models);
  const multi = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return {
    backend: tf.getBackend(),
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: multi ? tf.getThreadsCount() : 1,
    crossOriginIsolated,
    input,
    tfjs: tf.version_core,
    faceapi: faceapi.version,
  };
}

async function run(blob: Blob): Promise<PeerResult> {
  const t0 = performance.now();
  const url = URL.createObjectURL(blob);
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
    const tensor = input === 'tensor' ? faceapi.tf.browser.fromPixels(img) : null;
    try {
      const found = await faceapi.detectAllFaces(tensor ?? img, new faceapi.SsdMobilenetv1Options()).withFaceLandmarks().withFaceDescriptors();
      return { faces: found.length, ms: performance.now() - t0, descriptors: found.map((f) => Array.from(f.descriptor)) };
    } finally {
      tensor?.dispose();
    }
  } finally {
    URL.revokeObjectURL(url);
  }
}

const ready = start();
Object.assign(window, { faceapiPeer: { ready, run } });
