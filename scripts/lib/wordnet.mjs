// Readers for WordNet's noun database files (data.noun, index.noun, index.sense in one dict folder).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** offset -> { lemmas (underscored), hyper: hypernym offsets (`@`, `@i`), lexFile ("05" animal, "06" artifact...), gloss } */
export function readNouns(dictDir) {
  const synsets = new Map();
  for (const line of readFileSync(join(dictDir, 'data.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue; // license header lines start with spaces
    const [data, glossText = ''] = line.split('|');
    const t = data.trim().split(/\s+/);
    const offset = t[0];
    const wCnt = parseInt(t[3], 16);
    const lemmas = [];
    let i = 4;
    for (let k = 0; k < wCnt; k++, i += 2) lemmas.push(t[i].replace(/\(.*\)$/, ''));
    const pCnt = parseInt(t[i++], 10);
    const hyper = [];
    for (let k = 0; k < pCnt; k++, i += 4) {
      if ((t[i] === '@' || t[i] === '@i') && t[i + 2] === 'n') hyper.push(t[i + 1]);
    }
    synsets.set(offset, { lemmas, hyper, lexFile: t[1], gloss: glossText.trim() });
  }
  return synsets;
}

/** lower-case lemma (underscores) -> noun synset offsets, most frequent sense first */
export function readNounIndex(dictDir) {
  const index = new Map();
  for (const line of readFileSync(join(dictDir, 'index.noun'), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const t = line.trim().split(/\s+/);
    const synsetCnt = parseInt(t[2], 10);
    index.set(t[0], t.slice(t.length - synsetCnt));
  }
  return index;
}

/** Noun sense keys ("dog%1:05:00::") -> { offset, n: sense number of the lemma, tagCount: its uses in the tagged corpus }. */
export function readNounSenses(dictDir) {
  const senses = new Map();
  for (const line of readFileSync(join(dictDir, 'index.sense'), 'utf8').split('\n')) {
    const [senseKey, offset, n, tagCount] = line.split(' ');
    if (senseKey?.includes('%1:')) senses.set(senseKey, { offset, n: Number(n), tagCount: Number(tagCount) });
  }
  return senses;
}

/** Shortest hypernym distance from `offset` to each ancestor (`@` and `@i`, transitively). */
export function ancestorsOf(synsets, offset) {
  const depth = new Map();
  let frontier = [offset];
  for (let d = 1; frontier.length; d++) {
    const next = [];
    for (const o of frontier) {
      for (const h of synsets.get(o).hyper) {
        if (!depth.has(h)) {
          depth.set(h, d);
          next.push(h);
        }
      }
    }
    frontier = next;
  }
  return depth;
}
