import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import { installFastConcat } from './wasmConcat';

export type BackendName = 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: BackendName;
  /** WebGL renderer string, or null when no WebGL context could be made. */
  renderer: string | null;
  /** True when the renderer is a real GPU (not SwiftShader/llvmpipe). */
  gpu: boolean;
  simd: boolean;
  threads: number;
}

const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/** The renderer string of a throwaway WebGL context; works in a worker through OffscreenCanvas. */
export function webglRenderer(): string | null {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

export function isRealGpu(renderer: string | null): boolean {
  return !!renderer && !SOFTWARE_GL.test(renderer);
}

/**
 * Picks WebGL only on a real GPU: Chromium's software GL (SwiftShader) is 10–30× slower than WASM SIMD.
 * `threads` is per worker: with a pool of N workers on C cores each gets C/N.
 */
export async function initBackend(opts: { prefer?: BackendName; wasmPath: string; threads: number }): Promise<BackendInfo> {
  const renderer = webglRenderer();
  const gpu = isRealGpu(renderer);
  setWasmPaths(opts.wasmPath);
  installFastConcat();
  // tfjs-wasm's pthreads re-import the worker script, which in our bundled classic worker is the whole
  // engine and breaks; with one thread per worker (a pool of workers instead) the plain SIMD binary is used.
  if (opts.threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else setThreadsCount(opts.threads);
  const order: BackendName[] = opts.prefer ? [opts.prefer, 'wasm', 'cpu'] : gpu ? ['webgl', 'wasm', 'cpu'] : ['wasm', 'cpu'];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        break;
      }
    } catch (err) {
      console.warn(`[shoebox] backend ${name} failed`, err);
    }
  }
  const backend = tf.getBackend() as BackendName;
  const simd = backend === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : false;
  const threads = backend === 'wasm' && (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) ? Math.max(1, opts.threads) : 1;
  console.info(`[shoebox] backend ${backend} (renderer: ${renderer ?? 'none'}, gpu: ${gpu}, simd: ${simd}, threads: ${threads})`);
  return { backend, renderer, gpu, simd, threads };
}
