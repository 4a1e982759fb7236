#!/usr/bin/env node
// npm run bench -- --photos DIR --out FILE.json [--backend wasm|webgl|cpu] [--workers N] [--faces accurate|fast] [--objects on|off] [--no-peer]
// Serves the production build on loopback, opens headless Chromium and indexes every image under DIR through
// the app's own indexing path (the folder input → scanner → worker pool → IndexedDB), then writes JSON.
import { parseArgs } from 'node:util';
import { existsSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execSync } from 'node:child_process';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    photos: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    workers: { type: 'string' },
    faces: { type: 'string', default: 'accurate' },
    objects: { type: 'string', default: 'on' },
    peer: { type: 'boolean', default: true },
    'no-peer': { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
  },
});
if (!args.photos || !args.out) {
  console.error('usage: npm run bench -- --photos DIR --out FILE.json [--backend wasm|webgl|cpu] [--workers N] [--no-peer] [--build]');
  process.exit(2);
}
const photosDir = resolve(args.photos);
if (!existsSync(photosDir) || !statSync(photosDir).isDirectory()) {
  console.error(`bench: ${photosDir} is not a folder`);
  process.exit(2);
}
if (args.build || !existsSync(join(root, 'dist/index.html'))) execSync('npm run build', { cwd: root, stdio: 'inherit' });

const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
const url = server.resolvedUrls.local[0];
const gl = args.backend === 'webgl' ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', ...gl],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('[page]', e.message));
  const q = new URLSearchParams({ backend: args.backend });
  if (args.workers) q.set('workers', args.workers);
  q.set('faces', args.faces);
  q.set('objects', args.objects);
  await page.goto(`${url}?${q}`);
  await page.waitForFunction(() => window.shoebox?.db);
  const info = await page.evaluate(() => window.shoebox.startEngine());
  if (!info) throw new Error(await page.evaluate(() => window.shoebox.engineError));

  const t0 = Date.now();
  await page.getByTestId('folder-input').setInputFiles(photosDir);
  await page.getByTestId('progress').getByText(/^(Done|Stopped|Cancelled)/).waitFor({ timeout: 3_600_000 });
  const wall = (Date.now() - t0) / 1000;

  const out = await page.evaluate(async () => {
    const lib = window.shoebox;
    const { labelName } = window.shoeboxLabels;
    const results = [];
    for (const t of lib.lastRun) {
      const id = lib.search.idOfPath(t.path);
      const data = id === undefined ? null : await lib.photo(id);
      results.push({
        file: t.path,
        ms: Math.round(t.end - t.start),
        error: t.error,
        labels: (data?.photo.labels ?? []).map(([c, s]) => ({ label: labelName(c), score: s })),
        faces: (data?.faces ?? []).map((f) => ({ box: f.box, score: f.score, descriptor: Array.from(f.descriptor, (v) => Math.round(v * 1e5) / 1e5) })),
        stages: t.stages,
      });
    }
    const starts = lib.lastRun.map((t) => t.start);
    const ends = lib.lastRun.map((t) => t.end);
    const memory = await lib.pool.memory();
    return { results, seconds: (Math.max(...ends) - Math.min(...starts)) / 1000, workers: lib.pool.size, numTensors: memory.map((m) => m.numTensors) };
  });

  const ok = out.results.filter((r) => !r.error);
  const stages = {};
  for (const r of ok) for (const [k, v] of Object.entries(r.stages ?? {})) stages[k] = (stages[k] ?? 0) + v / ok.length;
  for (const k of Object.keys(stages)) stages[k] = Math.round(stages[k]);

  let peer = null;
  if (args.peer && !args['no-peer']) {
    // face-api's own pipeline, one photo at a time on one worker, as its demo runs it.
    const files = out.results.filter((r) => !r.error).map((r) => r.file);
    const peerRuns = [];
    for (const file of files) {
      const b64 = readFileSync(join(photosDir, file)).toString('base64');
      peerRuns.push(await page.evaluate((b64) => window.shoebox.pool.peerFaces(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))])), b64));
    }
    const total = peerRuns.reduce((s, r) => s + r.ms, 0) / 1000;
    peer = { pipeline: 'face-api detectAllFaces(SSD).withFaceLandmarks().withFaceDescriptors(), full size, 1 worker', photos: files.length, seconds: Math.round(total * 100) / 100, secondsPerPhoto: Math.round((total / files.length) * 1000) / 1000, faces: peerRuns.reduce((s, r) => s + r.faces, 0) };
  }

  const { FACE_MATCH_THRESHOLD } = await page.evaluate(() => ({ FACE_MATCH_THRESHOLD: window.shoeboxFaceMatchThreshold }));
  const report = {
    backend: info.backend,
    workers: out.workers,
    faceMode: args.faces,
    objects: args.objects,
    photos: out.results.length,
    seconds: Math.round(out.seconds * 100) / 100,
    photosPerSecond: Math.round((out.results.length / out.seconds) * 100) / 100,
    modelLoadMs: info.modelLoadMs,
    faceMatchThreshold: FACE_MATCH_THRESHOLD,
    secondsPerPhoto: Math.round((out.seconds / out.results.length) * 1000) / 1000,
    wallSeconds: Math.round(wall * 100) / 100,
    simd: info.simd,
    gpu: info.gpu,
    renderer: info.renderer,
    stages,
    numTensors: out.numTensors,
    faces: out.results.reduce((s, r) => s + r.faces.length, 0),
    errors: out.results.filter((r) => r.error).length,
    peer,
    results: out.results.map(({ stages: _s, ...r }) => r),
  };
  writeFileSync(args.out, JSON.stringify(report, null, 1));
  console.log(
    `bench: ${report.photos} photos, ${report.faces} faces, ${report.errors} errors in ${report.seconds}s on ${report.backend}×${report.workers}: ` +
      `${report.photosPerSecond} photos/s (${report.secondsPerPhoto} s/photo), models ${report.modelLoadMs} ms` +
      (peer ? `; face-api alone: ${peer.secondsPerPhoto} s/photo, ${peer.faces} faces` : '') +
      ` → ${relative(process.cwd(), args.out) || args.out}`,
  );
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}
