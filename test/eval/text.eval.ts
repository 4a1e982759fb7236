import { chromium } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as current from '../../src/engine/textReader';
import { TextIndex, textTokens, textWordHits } from '../../src/library/search/textTerms';

// Word recall and precision of search by text on the rendered set (scripts/make-text-set.mjs), through the same
// reader and text postings as the app. Chromium decodes and resizes each image as the engine does (canvas,
// high-quality smoothing): the detector's copy and the ≤1280 px copy recognition reads from.
// TEXT_SET=DIR reads another set (truth.json: { file: { words } }; photos without text: words []).
// NO_TEXT=DIR adds every NO_TEXT_EVERY-th photo of a folder as a photo without text (default: the shared ImageNet
// photos, every 5th): what the reader costs there, and whether it reads anything or is returned for a word.
// Cost is the Node process's CPU time per photo (one thread, as in an engine worker): wall time on this shared
// machine swings with its load, CPU time much less.
// TEXT_OPTS='{"minScore":0.5}' passes reader options. TEXT_READER=path (from this folder) measures another version of the reader on the same photos.
// TEXT_VARIANTS='{"now":{},"narrow":{"squeeze":0.85}}' runs each set of reader options on every photo, in turns (the
// order rotates photo by photo), and reports each: A/B under the same load, which on a shared machine matters more
// than any absolute figure.
const textReader: typeof current = process.env.TEXT_READER ? await import(/* @vite-ignore */ process.env.TEXT_READER) : current;
const sides = [320, 640];
const root = join(import.meta.dirname, '../..');
const dir = process.env.TEXT_SET ?? join(root, 'test/.tmp/text-set');
const noTextDir = process.env.NO_TEXT ?? join(root, '../shared/photos/imagenet-dev');
const noTextEvery = Number(process.env.NO_TEXT_EVERY ?? 5);
// TEXT_TURN=180 reads every photo upside down (the direction classifier's work).
const turned = process.env.TEXT_TURN === '180';
const fail = (message: string): never => {
  throw new Error(message);
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const models = join(root, 'public/models');

it('reads the rendered text set', async () => {
  if (!existsSync(join(dir, 'truth.json'))) throw new Error(`${dir}/truth.json missing: run node scripts/make-text-set.mjs`);
  const truth: Record<string, { words: string[]; size?: number; angle?: number; kind?: string; font?: string }> = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  textReader.configureRuntime();
  const read = (f: string) => new Uint8Array(readFileSync(join(models, f)));
  await textReader.loadFrom({ det: read(textReader.DET_FILE), rec: read(textReader.REC_FILE), cls: read(textReader.CLS_FILE), keys: readFileSync(join(models, textReader.KEYS_FILE), 'utf8') });

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.setContent('<html><body></body></html>');
  const extra = existsSync(noTextDir) ? readdirSync(noTextDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().filter((_, i) => i % noTextEvery === 0) : [];
  for (const f of extra) truth[`no-text/${f}`] = { words: [], kind: 'no-text' };
  const path = (f: string) => (f.startsWith('no-text/') ? join(noTextDir, f.slice(8)) : join(dir, f));
  const files = Object.keys(truth).sort();
  const ids = new Map(files.map((f, i) => [f, i + 1]));
  const variants: Record<string, Partial<current.TextOptions>> = JSON.parse(process.env.TEXT_VARIANTS ?? JSON.stringify({ reader: JSON.parse(process.env.TEXT_OPTS ?? '{}') }));
  const names = Object.keys(variants);
  type PhotoRun = { file: string; ms: number; cpu: number; stages: Record<string, number>; fine: boolean; text: string[]; scores: number[] };
  const runs = Object.fromEntries(names.map((n) => [n, { index: new TextIndex(), perPhoto: [] as PhotoRun[] }]));
  for (const file of files) {
    const b64 = readFileSync(path(file)).toString('base64');
    const px = await page.evaluate(
      async ({ b64, sides }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]));
        const draw = (w: number, h: number) => {
          const g = new OffscreenCanvas(w, h).getContext('2d')!;
          g.imageSmoothingEnabled = true;
          g.imageSmoothingQuality = 'high';
          g.drawImage(bitmap, 0, 0, w, h);
          const d = g.getImageData(0, 0, w, h).data;
          let s = '';
          for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode(...d.subarray(i, i + 0x8000));
          return { b64: btoa(s), width: w, height: h };
        };
        const det = sides.map((side) => {
          const s = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
          const r = (v: number) => Math.max(32, Math.round((v * s) / 32) * 32);
          return draw(r(bitmap.width), r(bitmap.height));
        });
        const f = Math.min(1, 1280 / Math.max(bitmap.width, bitmap.height));
        return { det, src: draw(Math.round(bitmap.width * f), Math.round(bitmap.height * f)) };
      },
      { b64, sides },
    );
    const rgba = (p: { b64: string; width: number; height: number }) => {
      const data = new Uint8ClampedArray(Buffer.from(p.b64, 'base64'));
      // Turned half round: the pixels in reverse order.
      if (turned) new Uint32Array(data.buffer, data.byteOffset, data.length / 4).reverse();
      return { data, width: p.width, height: p.height };
    };
    const det = px.det.map(rgba);
    const src = rgba(px.src);
    const turn = files.indexOf(file);
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + turn) % names.length];
      const stages: Record<string, number> = {};
      let at = cpuMs();
      const t0 = performance.now();
      const c0 = at;
      const lines = await textReader.run((side) => det[sides.indexOf(side)] ?? fail(`no copy at ${side}`), () => src, variants[name], (stage) => {
        const now = cpuMs();
        stages[stage] = Math.round(now - at);
        at = now;
      });
      const cpu = cpuMs() - c0;
      const ms = performance.now() - t0;
      runs[name].index.set(ids.get(file)!, lines.map((l) => l.text).join('\n'));
      runs[name].perPhoto.push({ file, ms: Math.round(ms), cpu: Math.round(cpu), stages, fine: 'ocrFine' in stages, text: lines.map((l) => l.text), scores: lines.map((l) => l.score) });
    }
  }
  await browser.close();
  const reports = Object.fromEntries(names.map((n) => [n, summarise(n, runs[n].index, runs[n].perPhoto)]));
  const out = process.env.TEXT_EVAL_OUT ?? join(root, 'test/.tmp/text-eval.json');
  writeFileSync(out, JSON.stringify(names.length === 1 ? reports[names[0]] : reports, null, 1));
  for (const n of names) {
    const { perPhoto: _, missed: __, ...summary } = reports[n];
    console.log(n, JSON.stringify(summary, null, 1));
  }
  expect(Object.values(reports).every((r) => r.wordsOf4PlusLetters > 0)).toBe(true);

  function summarise(name: string, index: TextIndex, perPhoto: PhotoRun[]) {
    // Recall: each word of 4+ letters an image holds, searched for, finds that image. Precision: over every word of
    // the set searched for, the images returned that hold it.
    const long = (w: string) => w.length >= 4;
    const holds = new Map(files.map((f) => [f, new Set(truth[f].words.flatMap(textTokens))]));
    let wanted = 0;
    let found = 0;
    const byGroup: Record<string, { wanted: number; found: number }> = {};
    const missed: string[] = [];
    for (const f of files) {
      const t = truth[f];
      if (!t.words.length) continue;
      const groups = [`size ${t.size}`, `angle ${t.angle === 0 ? '0' : Math.abs(t.angle!) <= 8 ? '≤8' : '≤15'}`, `${t.kind}`, `${t.font}`];
      for (const w of new Set(t.words.flatMap(textTokens).filter(long))) {
        const hit = textWordHits(index, w).has(ids.get(f)!);
        wanted++;
        if (hit) found++;
        else missed.push(`${f}: ${w}`);
        for (const g of groups) {
          byGroup[g] ??= { wanted: 0, found: 0 };
          byGroup[g].wanted++;
          if (hit) byGroup[g].found++;
        }
      }
    }
    const vocabulary = new Set(files.flatMap((f) => [...holds.get(f)!]));
    let returned = 0;
    let wrong = 0;
    const falseHits: string[] = [];
    for (const w of vocabulary) {
      for (const id of textWordHits(index, w).keys()) {
        returned++;
        const f = files[id - 1];
        if (!holds.get(f)!.has(w)) {
          wrong++;
          falseHits.push(`${w} → ${f}`);
        }
      }
    }
    const stat = (rows: typeof perPhoto, key: 'ms' | 'cpu') => {
      const v = rows.map((p) => p[key]).sort((a, b) => a - b);
      return v.length ? { mean: Math.round(v.reduce((a, b) => a + b, 0) / v.length), median: v[v.length >> 1], p90: v[Math.floor(v.length * 0.9)] } : null;
    };
    const withText = perPhoto.filter((p) => truth[p.file].words.length);
    const withoutText = perPhoto.filter((p) => !truth[p.file].words.length);
    const stageMean = (rows: PhotoRun[]) => Object.fromEntries(['ocr', 'ocrFine', 'ocrRead'].map((k) => [k, rows.length ? Math.round(rows.reduce((a, p) => a + (p.stages[k] ?? 0), 0) / rows.length) : 0]));
    return {
      variant: name,
      options: variants[name],
      set: dir,
      photos: files.length,
      detSides: sides,
      detectorRan: perPhoto.filter((p) => p.fine).length,
      noTextPhotos: files.filter((f) => !truth[f].words.length).length,
      noTextDetectorRan: perPhoto.filter((p) => p.fine && !truth[p.file].words.length).length,
      noTextWithLines: perPhoto.filter((p) => p.text.length && !truth[p.file].words.length).length,
      wordsOf4PlusLetters: wanted,
      recall4Plus: Math.round((found / wanted) * 1000) / 1000,
      searchPrecision: returned ? Math.round(((returned - wrong) / returned) * 1000) / 1000 : 1,
      falseHits,
      recallBy: Object.fromEntries(Object.entries(byGroup).sort().map(([g, v]) => [g, `${v.found}/${v.wanted}`])),
      noTextFolder: extra.length ? { dir: noTextDir, photos: extra.length, detectorRan: perPhoto.filter((p) => p.fine && p.file.startsWith('no-text/')).length, withLines: perPhoto.filter((p) => p.text.length && p.file.startsWith('no-text/')).length } : null,
      cpuMsWithText: stat(withText, 'cpu'),
      cpuMsWithoutText: stat(withoutText, 'cpu'),
      cpuMsNothingRead: stat(withoutText.filter((p) => !p.text.length), 'cpu'),
      cpuMsWithoutTextFolder: stat(withoutText.filter((p) => p.file.startsWith('no-text/')), 'cpu'),
      wallMsWithText: stat(withText, 'ms'),
      wallMsWithoutText: stat(withoutText, 'ms'),
      cpuMsStagesWithText: stageMean(withText),
      cpuMsStagesWithoutText: stageMean(withoutText),
      missed,
      perPhoto,
    };
  }
});
