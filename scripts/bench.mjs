#!/usr/bin/env node
// npm run bench -- --photos DIR --out FILE.json [--backend wasm|webgl|cpu] [--workers N] [--faces accurate|fast] [--objects on|off]
//                  [--embedding on|off] [--text on|off] [--no-peer]
//                  [--copies N] [--sample-every N] [--staged on|off]
// Serves the production build on loopback, opens headless Chromium and indexes every image under DIR through
// the app's own indexing path (the folder input → scanner → worker pool → IndexedDB), then writes JSON.
// --copies N indexes N renamed copies of the images under DIR instead (some re-encoded by the browser), made in a
// temporary folder. Every --sample-every photos it records the run's health: tensors, WASM and JS heaps, RSS.
import { parseArgs } from 'node:util';
import { existsSync, readdirSync, writeFileSync, readFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, extname, basename } from 'node:path';
import { root, listImages, folderArg, startApp, openApp, indexFolder } from './lib/app.mjs';

const { values: args } = parseArgs({
  options: {
    photos: { type: 'string' },
    out: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    workers: { type: 'string' },
    faces: { type: 'string', default: 'accurate' },
    objects: { type: 'string', default: 'on' },
    embedding: { type: 'string', default: 'on' },
    text: { type: 'string', default: 'on' },
    peer: { type: 'boolean', default: true },
    'no-peer': { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    copies: { type: 'string' },
    'sample-every': { type: 'string', default: '100' },
    staged: { type: 'string', default: 'on' },
  },
});
if (!args.photos || !args.out) {
  console.error('usage: npm run bench -- --photos DIR --out FILE.json [--backend wasm|webgl|cpu] [--workers N] [--faces accurate|fast] [--objects on|off] [--embedding on|off] [--text on|off] [--no-peer] [--build] [--copies N] [--sample-every N] [--staged on|off]');
  process.exit(2);
}
const sourceDir = folderArg(args.photos, 'bench');
const copies = args.copies ? Number(args.copies) : 0;
const sampleEvery = Math.max(1, Number(args['sample-every']) || 100);
if (args.copies && !(Number.isInteger(copies) && copies > 0)) {
  console.error(`bench: --copies takes a positive whole number, not ${args.copies}`);
  process.exit(2);
}
const gl = args.backend === 'webgl' ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu'];
const app = await startApp({
  build: args.build,
  browserArgs: [
    ...gl,
    // Health samples: an exact performance.memory, gc() in the page and its workers, and per-worker heaps
    // from measureUserAgentSpecificMemory answered at once rather than at the next natural GC.
    '--enable-precise-memory-info', '--js-flags=--expose-gc', '--enable-blink-features=ForceEagerMeasureMemory',
  ],
});
const { url, browser } = app;
let copiesDir = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (copiesDir) rmSync(copiesDir, { recursive: true, force: true });
    process.exit(130);
  });
}
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const q = new URLSearchParams({ backend: args.backend });
  if (args.workers) q.set('workers', args.workers);
  q.set('faces', args.faces);
  q.set('objects', args.objects);
  q.set('embedding', args.embedding);
  q.set('text', args.text);
  q.set('staged', args.staged);
  const info = await openApp(page, `${url}?${q}`);

  let photosDir = sourceDir;
  if (copies) {
    copiesDir = mkdtempSync(join(tmpdir(), 'shoebox-copies-'));
    makeCopies(await reencoded(context, sourceDir), copies, copiesDir);
    photosDir = copiesDir;
  }

  // The peer runs before and after Shoebox in the same run, so both halves see the machine as it was.
  const runPeer = args.peer && !args['no-peer'];
  const peerRuns = [];
  if (runPeer) peerRuns.push(await facePeer(context, url, photosDir, listImages(photosDir)));

  const samples = [await sample(page, 0)];
  const cpu0 = chromiumCpuSeconds();
  const t0 = Date.now();
  await indexFolder(page, photosDir, {
    every: sampleEvery,
    onStep: async () => {
      samples.push(await sample(page, (Date.now() - t0) / 1000));
      return samples[samples.length - 1].done;
    },
  });
  const wall = (Date.now() - t0) / 1000;
  const cpuSeconds = cpu0 == null ? null : chromiumCpuSeconds() - cpu0;
  samples.push(await sample(page, wall));
  const health = summarise(samples);

  const out = await page.evaluate(async () => {
    const lib = window.shoebox;
    const { labelName } = window.shoeboxLabels;
    const results = [];
    // A staged run times each photo once per pass: one row per photo, its passes' times and stages summed.
    const byPath = new Map();
    for (const t of lib.lastRun.recent) {
      const seen = byPath.get(t.path);
      if (!seen) byPath.set(t.path, { ...t, stages: t.stages && { ...t.stages } });
      else {
        seen.end += t.end - t.start;
        seen.error ??= t.error;
        for (const [k, v] of Object.entries(t.stages ?? {})) (seen.stages ??= {})[k] = (seen.stages[k] ?? 0) + v;
      }
    }
    for (const t of byPath.values()) {
      const id = lib.search.idOfPath(t.path);
      const data = id === undefined ? null : await lib.photo(id);
      results.push({
        file: t.path,
        ms: Math.round(t.end - t.start),
        error: t.error,
        labels: (data?.photo.labels ?? []).map(([c, s]) => ({ label: labelName(c), score: s })),
        faces: (data?.faces ?? []).map((f) => ({ box: f.box, score: f.score, descriptor: Array.from(f.descriptor, (v) => Math.round(v * 1e5) / 1e5) })),
        stages: t.stages,
        textLines: data?.photo.text?.length ?? 0,
      });
    }
    const memory = await lib.pool.memory();
    const run = lib.lastRun;
    return { results, photos: run.photos, errors: run.errors, stageMeans: run.stageMeans, seconds: run.seconds, workers: lib.pool.size, numTensors: memory.map((m) => m.numTensors) };
  });

  const staged = await stagedReport(page);
  const stages = Object.fromEntries(Object.entries(out.stageMeans).map(([k, v]) => [k, Math.round(v)]));
  // Text in photos: what the ocr stages cost a photo without text and one with text.
  const ocrOf = (rows) => {
    // ocr is the text gate; ocrFine (detection) and ocrRead (recognition) run only where it saw print.
    const ms = rows.filter((r) => typeof r.stages?.ocr === 'number').map((r) => r.stages.ocr + (r.stages.ocrFine ?? 0) + (r.stages.ocrRead ?? 0)).sort((a, b) => a - b);
    const detectorRan = rows.filter((r) => typeof r.stages?.ocrFine === 'number').length;
    return ms.length ? { photos: ms.length, detectorRan, meanMs: Math.round(ms.reduce((a, b) => a + b, 0) / ms.length), medianMs: ms[ms.length >> 1] } : null;
  };
  const ok = out.results.filter((r) => !r.error);
  const textReport = { withText: ocrOf(ok.filter((r) => r.textLines > 0)), withoutText: ocrOf(ok.filter((r) => r.textLines === 0)), lines: ok.reduce((s, r) => s + r.textLines, 0) };

  const files = out.results.filter((r) => !r.error).map((r) => r.file);
  if (runPeer) peerRuns.push(await facePeer(context, url, photosDir, files));
  const peer = runPeer ? summarisePeer(peerRuns, files.length) : null;
  const faceStages = faceStageTimes(stages);

  const { FACE_MATCH_THRESHOLD } = await page.evaluate(() => ({ FACE_MATCH_THRESHOLD: window.shoeboxFaceMatchThreshold }));
  // The same library opened in a fresh tab holds only its in-memory indexes: the indexing tab's heap above
  // that is what the run itself kept.
  await page.close();
  health.heapMB.reopened = await reopenedHeapMB(context, `${url}?${q}`);
  health.heapMB.keptByRun = Math.round((health.heapMB.to - health.heapMB.reopened) * 10) / 10;
  const report = {
    backend: info.backend,
    workers: out.workers,
    faceMode: args.faces,
    objects: args.objects,
    embedding: args.embedding,
    text: args.text,
    photos: out.photos,
    copiesOf: copies ? relative(root, sourceDir) || sourceDir : undefined,
    seconds: Math.round(out.seconds * 100) / 100,
    photosPerSecond: Math.round((out.photos / out.seconds) * 100) / 100,
    modelLoadMs: info.modelLoadMs,
    faceMatchThreshold: FACE_MATCH_THRESHOLD,
    secondsPerPhoto: Math.round((out.seconds / out.photos) * 1000) / 1000,
    // CPU time of all of Chromium's processes over the indexing (Linux): on a shared machine the cost per photo
    // that other programs' load inflates least.
    cpuSecondsPerPhoto: cpuSeconds == null ? null : Math.round((cpuSeconds / out.photos) * 1000) / 1000,
    wallSeconds: Math.round(wall * 100) / 100,
    simd: info.simd,
    gpu: info.gpu,
    renderer: info.renderer,
    stages,
    faceStages,
    ocr: textReport,
    numTensors: out.numTensors,
    faces: out.results.reduce((s, r) => s + r.faces.length, 0),
    errors: out.errors,
    health,
    staged,
    peer,
    results: out.results.map(({ stages: s, ...r }) => ({ ...r, ocrMs: s?.ocr === undefined ? undefined : s.ocr + (s.ocrFine ?? 0) + (s.ocrRead ?? 0) })),
  };
  writeFileSync(args.out, JSON.stringify(report, null, 1));
  console.log(
    `bench: ${report.photos} photos, ${report.faces} faces, ${report.errors} errors in ${report.seconds}s on ${report.backend}×${report.workers}: ` +
      `${report.photosPerSecond} photos/s (${report.secondsPerPhoto} s/photo), models ${report.modelLoadMs} ms` +
      (textReport.withoutText || textReport.withText ? `; ocr ms/photo without text ${textReport.withoutText?.meanMs ?? '–'}, with text ${textReport.withText?.meanMs ?? '–'} (${textReport.withText?.photos ?? 0} photos, ${textReport.lines} lines)` : '') +
      (faceStages ? `; face stages ms/photo/worker: ${Object.entries(faceStages).map(([k, v]) => `${k} ${v}`).join(', ')}` : '') +
      (report.cpuSecondsPerPhoto != null ? `; CPU ${report.cpuSecondsPerPhoto} s/photo` : '') +
      (peer ? `; face-api alone at its best (${peer.best}): ${peer.secondsPerPhoto} s/photo (CPU ${peer.cpuSecondsPerPhoto} s/photo), ${peer.faces} faces, Shoebox ${Math.round((peer.secondsPerPhoto / (out.seconds / out.photos)) * 100) / 100}× it` : '') +
      (staged ? `; staged: first pass ${staged.firstPass.secondsPerPhoto} s/photo, searchable by label at ${staged.firstPass.seconds} s of ${staged.allPasses.seconds} s (${staged.searchableShare} of the run)` : '') +
      `; tensors ${health.tensors.from} → ${health.tensors.to}, page heap ${health.heapMB.from} → ${health.heapMB.to} MB (same library in a fresh tab ${health.heapMB.reopened} MB), engine workers ${health.engineWorkersMB.from} → ${health.engineWorkersMB.to} MB` +
      ` → ${relative(process.cwd(), args.out) || args.out}`,
  );
} finally {
  if (copiesDir) rmSync(copiesDir, { recursive: true, force: true });
  await app.close();
}

// ── staged indexing ──────────────────────────────────────
/**
 * Staged runs (--staged on, the app's default): the time from the first photo to the end of each pass, with its
 * results committed, and the mean ms per stage within each pass. Null for a one-pass run (--staged off).
 */
async function stagedReport(page) {
  const run = await page.evaluate(() => {
    const log = window.shoebox.lastRun;
    return { passSeconds: log.passSeconds, passStageMeans: log.passStageMeans, passes: log.passes };
  });
  if (run.passSeconds.first === undefined) return null;
  const round = (v, d = 2) => (v == null ? null : Math.round(v * 10 ** d) / 10 ** d);
  const ms = (means) => Object.fromEntries(Object.entries(means ?? {}).map(([k, v]) => [k, Math.round(v)]));
  const firstPhotos = run.passes.first?.photos ?? 0;
  const first = run.passSeconds.first;
  const all = run.passSeconds.later ?? first;
  return {
    firstPass: { photos: firstPhotos, seconds: round(first), secondsPerPhoto: firstPhotos ? round(first / firstPhotos, 3) : null, stagesMs: ms(run.passStageMeans.first) },
    laterPasses: { photos: run.passes.later?.photos ?? 0, seconds: round(all - first), stagesMs: ms(run.passStageMeans.later) },
    allPasses: { seconds: round(all) },
    /** When every photo was searchable by label, as a share of the whole run (the goal is under a third). */
    searchableShare: all > 0 ? round(first / all, 3) : null,
  };
}

/**
 * face-api's own pipeline (test/bench/faceapi-peer.html: its bundled tfjs, WASM SIMD, the photo as an <img>, SSD +
 * landmarks + descriptors with its default options) over `files`, once per configuration, each in a fresh tab:
 * one and, where the page is cross-origin isolated, two WASM threads. `input=tensor` hands it a tensor of the
 * photo instead, as a worker must; it is reported but never counted as the peer's best.
 */
async function facePeer(context, url, dir, files) {
  const configs = ['threads=1', 'threads=2', 'threads=1&input=tensor'];
  const runs = {};
  for (const config of configs) {
    const page = await context.newPage();
    try {
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}test/bench/faceapi-peer.html?${config}`);
      // A configuration that cannot start (face-api's bundled tfjs fails to start its WASM pthreads) is skipped.
      const failed = new Promise((r) => {
        page.once('pageerror', () => r(null));
        setTimeout(r, 120_000, null);
      });
      const info = await Promise.race([page.evaluate(() => window.faceapiPeer.ready), failed]).catch(() => null);
      if (!info || errors.length || (config.startsWith('threads=2') && info.threads < 2)) {
        runs[config] = { unavailable: errors[0] ?? (info ? `${info.threads} thread(s)` : 'did not start') };
        console.error(`[peer] face-api ${config}: unavailable (${runs[config].unavailable})`);
        continue;
      }
      const run = (file) =>
        page.evaluate(async (b64) => {
          const r = await window.faceapiPeer.run(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
          return { ms: r.ms, faces: r.faces };
        }, readFileSync(join(dir, file)).toString('base64'));
      await run(files[0]); // compiles the WASM kernels and sizes the heap, as Shoebox's first photo does
      const ms = [];
      let faces = 0;
      const cpu0 = chromiumCpuSeconds();
      for (const file of files) {
        const r = await run(file);
        ms.push(r.ms);
        faces += r.faces;
      }
      const cpu = chromiumCpuSeconds();
      runs[config] = {
        threads: info.threads, input: info.input, simd: info.simd, crossOriginIsolated: info.crossOriginIsolated, photos: ms.length, faces,
        msPerPhoto: Math.round(ms.reduce((a, b) => a + b, 0) / ms.length),
        cpuMsPerPhoto: cpu == null ? null : Math.round(((cpu - cpu0) / ms.length) * 1000),
      };
      console.error(`[peer] face-api ${config}: ${runs[config].msPerPhoto} ms/photo (CPU ${runs[config].cpuMsPerPhoto}), ${faces} faces (threads ${info.threads}, SIMD ${info.simd})`);
    } finally {
      await page.close();
    }
  }
  return runs;
}

/** The peer's runs before and after Shoebox, and its best configuration (image input) over both. */
function summarisePeer(runs, photos) {
  const configs = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  const mean = (config) => {
    const ms = runs.map((r) => r[config]?.msPerPhoto).filter((v) => v != null);
    return ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : null;
  };
  const best = configs.filter((c) => !c.includes('input=tensor') && mean(c) != null).sort((a, b) => mean(a) - mean(b))[0];
  const last = runs[runs.length - 1][best];
  const cpuMs = runs.map((r) => r[best]?.cpuMsPerPhoto).filter((v) => v != null);
  return {
    pipeline: "face-api's README pipeline in a page of its own: detectAllFaces(<img>, SsdMobilenetv1Options()).withFaceLandmarks().withFaceDescriptors(), full size, its bundled tfjs on WASM SIMD",
    best,
    photos,
    secondsPerPhoto: Math.round(mean(best)) / 1000,
    cpuSecondsPerPhoto: cpuMs.length ? Math.round(cpuMs.reduce((a, b) => a + b, 0) / cpuMs.length) / 1000 : null,
    faces: last.faces,
    configs: Object.fromEntries(configs.map((c) => [c, { meanMsPerPhoto: mean(c) == null ? null : Math.round(mean(c)), runs: runs.map((r) => r[c] ?? null) }])),
  };
}

/** Mean ms per photo per worker of the face stages, and their sum. */
function faceStageTimes(stages) {
  const names = ['detect', 'landmarks', 'verify', 'descriptors'];
  if (!names.some((n) => n in stages)) return null;
  const out = Object.fromEntries(names.map((n) => [n, stages[n] ?? 0]));
  out.total = names.reduce((s, n) => s + out[n], 0);
  return out;
}

/**
 * Every image under dir, as is and re-encoded by the browser's own encoder (JPEG, WebP, PNG at other sizes), so
 * copies take different decode paths and no image tool is needed on the machine.
 */
async function reencoded(context, dir) {
  // A scratch tab, so the indexing tab's heap starts clean.
  const page = await context.newPage();
  const VARIANTS = [null, { type: 'image/jpeg', ext: '.jpg', scale: 0.6 }, null, { type: 'image/webp', ext: '.webp', scale: 0.8 }, null, { type: 'image/png', ext: '.png', scale: 0.5 }];
  const sources = [];
  for (const file of listImages(dir)) {
    const bytes = readFileSync(join(dir, file));
    const variants = [];
    for (const v of VARIANTS) {
      if (!v) {
        variants.push({ ext: extname(file), bytes });
        continue;
      }
      const b64 = await page.evaluate(
        async ({ b64, type, scale }) => {
          const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
          const c = new OffscreenCanvas(Math.max(2, Math.round(bmp.width * scale)), Math.max(2, Math.round(bmp.height * scale)));
          c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
          const out = new Uint8Array(await (await c.convertToBlob({ type, quality: 0.8 })).arrayBuffer());
          let s = '';
          for (let i = 0; i < out.length; i += 0x8000) s += String.fromCharCode(...out.subarray(i, i + 0x8000));
          return btoa(s);
        },
        { b64: bytes.toString('base64'), type: v.type, scale: v.scale },
      );
      variants.push({ ext: v.ext, bytes: Buffer.from(b64, 'base64') });
    }
    sources.push({ name: basename(file, extname(file)), variants });
  }
  await page.close();
  if (!sources.length) throw new Error(`bench: no images under ${dir}`);
  return sources;
}

/** n renamed copies, 100 to a folder like a camera's rolls; round k of the sources uses variant k. */
function makeCopies(sources, n, dir) {
  for (let i = 0; i < n; i++) {
    const src = sources[i % sources.length];
    const v = src.variants[Math.floor(i / sources.length) % src.variants.length];
    const roll = join(dir, `roll${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) mkdirSync(roll, { recursive: true });
    writeFileSync(join(roll, `IMG_${String(i).padStart(5, '0')}_${src.name}${v.ext}`), v.bytes);
  }
}

function MB(bytes) {
  return bytes == null ? null : Math.round((bytes / 2 ** 20) * 10) / 10;
}

/**
 * Resident memory of the Chromium processes this script started: the renderer (page and workers) and all of
 * them (the browser process holds blobs such as thumbnails). Linux only; nulls elsewhere.
 */
function chromiumRssMB() {
  if (!existsSync('/proc/self/stat')) return { renderer: null, all: null };
  const parent = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(Number(pid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  const ours = (pid) => {
    for (let p = parent.get(pid); p; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  let renderer = 0;
  let all = 0;
  for (const pid of parent.keys()) {
    if (!ours(pid)) continue;
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      all += kb;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderer += kb;
    } catch {
      /* exited meanwhile */
    }
  }
  return { renderer: MB(renderer * 1024), all: MB(all * 1024) };
}

/** User and system CPU seconds of the Chromium processes this script started, all threads, exited ones included (Linux; null elsewhere). */
function chromiumCpuSeconds() {
  if (!existsSync('/proc/self/stat')) return null;
  const parent = new Map();
  const ticks = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(pid), Number(fields[1]));
      // utime, stime and the reaped children's cutime, cstime: a renderer that has exited still counts.
      ticks.set(Number(pid), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    } catch {
      /* exited meanwhile */
    }
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p; p = parent.get(p)) {
      if (p === process.pid) {
        total += t;
        break;
      }
    }
  }
  // Clock ticks: 100 per second on Linux.
  return total / 100;
}

/** One health sample, after a full GC in the page and the engine workers so that only live memory counts. */
async function sample(page, seconds) {
  const engineWorkers = page.workers().filter((w) => w.url().includes('engine.worker'));
  await Promise.all([page, ...engineWorkers].map((w) => Promise.race([w.evaluate(() => globalThis.gc?.()), new Promise((r) => setTimeout(r, 10_000))]).catch(() => {})));
  const s = await page.evaluate(async () => {
    const lib = window.shoebox;
    const memory = await lib.pool.memory();
    let agent = null;
    if (performance.measureUserAgentSpecificMemory) {
      try {
        // Per-realm JS bytes; the engine workers' tfjs-tflite runtime keeps a pool of pthread workers (blob: URLs).
        const m = await performance.measureUserAgentSpecificMemory();
        agent = { engine: [], threads: 0 };
        for (const b of m.breakdown) {
          const url = b.attribution[0]?.url ?? '';
          if (url.includes('engine.worker')) agent.engine.push(b.bytes);
          else if (url.startsWith('blob:')) agent.threads += b.bytes;
        }
      } catch {
        /* not cross-origin isolated */
      }
    }
    return {
      done: lib.progress.done,
      memory,
      heap: performance.memory?.usedJSHeapSize ?? null,
      agent,
      thumbUrls: lib.thumbUrls?.size ?? null,
    };
  });
  const rss = chromiumRssMB();
  const out = {
    done: s.done,
    seconds: Math.round(seconds),
    tensors: s.memory.map((m) => m.numTensors),
    tensorMB: s.memory.map((m) => MB(m.numBytes)),
    wasmHeapMB: s.memory.map((m) => MB(m.wasmHeapBytes)),
    heapMB: MB(s.heap),
    engineWorkersMB: s.agent ? MB(s.agent.engine.reduce((a, b) => a + b, 0)) : null,
    threadWorkersMB: s.agent ? MB(s.agent.threads) : null,
    rendererRssMB: rss.renderer,
    chromiumRssMB: rss.all,
    thumbUrls: s.thumbUrls,
  };
  console.error(
    `[health] ${out.done} photos, ${out.seconds}s: tensors ${out.tensors.join(',')}, page heap ${out.heapMB} MB, engine workers ${out.engineWorkersMB} MB, ` +
      `WASM ${out.wasmHeapMB.join(',')} MB, RSS renderer ${out.rendererRssMB} MB, all ${out.chromiumRssMB} MB`,
  );
  return out;
}

/**
 * Growth from the first sample after warm-up (the first photos allocate the models' working memory) to the
 * last, taken after the run. The page heap holds the library's in-memory indexes, so some growth per photo is data.
 */
function summarise(samples) {
  const warm = samples.find((s) => s.done > 0) ?? samples[0];
  const last = samples[samples.length - 1];
  const sum = (a) => a.reduce((x, y) => x + (y ?? 0), 0);
  const span = (key, f = (v) => v) => {
    const from = f(warm[key]);
    const to = f(last[key]);
    return { from, to, growth: from == null || to == null ? null : Math.round((to - from) * 10) / 10 };
  };
  const photos = last.done - warm.done;
  const heap = span('heapMB');
  return {
    sampleEvery: sampleEvery,
    warmUpPhotos: warm.done,
    tensors: span('tensors', sum),
    wasmHeapMB: span('wasmHeapMB', sum),
    heapMB: heap,
    heapKBPerPhoto: photos > 0 && heap.growth != null ? Math.round(((heap.growth * 1024) / photos) * 10) / 10 : null,
    engineWorkersMB: span('engineWorkersMB'),
    threadWorkersMB: span('threadWorkersMB'),
    rendererRssMB: span('rendererRssMB'),
    chromiumRssMB: span('chromiumRssMB'),
    samples,
  };
}

/** The JS heap of a new tab once it has loaded the library (photos, faces, people, embeddings), after a GC. */
async function reopenedHeapMB(context, address) {
  const fresh = await context.newPage();
  try {
    await fresh.goto(address);
    await fresh.waitForFunction(() => performance.getEntriesByName('shoebox:faces-loaded').length > 0, null, { polling: 500, timeout: 600_000 });
    await fresh.evaluate(() => globalThis.gc?.());
    return MB(await fresh.evaluate(() => performance.memory?.usedJSHeapSize ?? null));
  } finally {
    await fresh.close();
  }
}
