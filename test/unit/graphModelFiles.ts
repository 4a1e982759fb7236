import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';

/** A tfjs graph model's files (model.json and its weight shards) as `tf.io.fromMemory` takes them, read in Node. */
export function readGraphModel(jsonPath: string): tf.io.ModelArtifacts {
  const dir = dirname(jsonPath);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
  const bytes = Buffer.concat(json.weightsManifest.flatMap((m) => m.paths).map((p) => readFileSync(join(dir, p))));
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((m) => m.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  };
}
