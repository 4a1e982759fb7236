/**
 * Evaluates a parsed query against the library: words (through the context: labels, people words, places…),
 * people, filters, AND/OR/NOT. Nothing here throws on user input: problems become `messages`.
 */
import type { FilterNode, QueryNode, WordNode } from './syntax';
import { parseQuery } from './syntax';
import { resolvePerson, STOP_WORDS, type NamedPerson } from './names';
import { rankByScore } from './ranking';
import { placeMatches } from './placeTerms';
import type { PhotoPlace } from '../places/place';


export interface QueryPhotoMeta {
  /** Epoch ms; the index may fall back to the file's mtime. null never matches a date filter. */
  takenAt: number | null;
  /** "Make Model", any case. */
  camera: string | null;
  gps: boolean;
  faceCount: number;
  /** Relative path with '/' separators, file name included. */
  path: string;
  /** Text was read in the photo (has:text). */
  hasText?: boolean;
  /** Places hook: the place named from the photo's GPS, if any. */
  place?: PhotoPlace | null;
}

export interface QueryWordHit {
  /** Higher is better; summed over the query's words to rank results. */
  score: number;
  /** Short human text, e.g. "golden retriever 82%". */
  why: string;
}

/**
 * A word's hits as the index keeps them, for libraries where a word matches tens of thousands of photos:
 * no object per hit, and `why` only for the photos a caller asks about.
 */
export interface QueryWordHits {
  readonly size: number;
  ids(): Iterable<number>;
  has(photoId: number): boolean;
  /** Only asked for hits. */
  score(photoId: number): number;
  why(photoId: number): string;
  /**
   * Optional, for speed: every hit's id and score, row by row (a query of one word ranks these as they are).
   * `ranked` is where that ranking is kept for the next time the same word is asked (the context's rows live
   * as long as the index is unchanged, and ranks change only with the index).
   */
  rows?: { ids: ArrayLike<number>; scores: ArrayLike<number>; ranked?: readonly number[] };
}

export interface WordAnswer {
  hits: ReadonlyMap<number, QueryWordHit> | QueryWordHits;
  note?: string;
}

/** A set of photo ids as the evaluator needs it (a Set is one). */
export interface IdSet extends Iterable<number> {
  readonly size: number;
  has(photoId: number): boolean;
}

/** What the evaluator needs from the search index. All lookups are synchronous and in memory. */
export interface QueryContext {
  allIds(): Iterable<number>;
  /**
   * Photos for a word or phrase (already lowercased): its hits, and a note when it was read as something else
   * ("no label called tabb; showing tabby"); null when it means nothing known.
   */
  word(term: string): WordAnswer | null;
  /** Why nothing is known by this word, with the nearest words that are ("no label or person called dgo; did you mean dog?"). */
  unknownWord?(term: string): string;
  /** Whether bare words together name one thing ("hot dog", "golden retriever"), to be read as a phrase. */
  isPhrase?(words: string): boolean;
  /**
   * Optional, for speed: a photo's place in the tie-break order (newest first by meta's takenAt, then highest
   * id), 0 for the first; -1 for a photo it does not know. Must agree with meta().
   */
  newestRank?(photoId: number): number;
  /** People with a name. Unnamed clusters are not searchable and don't count as "known" for only:. */
  people(): Iterable<NamedPerson>;
  photosOf(personId: number): Iterable<number>;
  /** Person ids of the faces in a photo; ids of unnamed people may be included, they are ignored. */
  peopleIn(photoId: number): Iterable<number>;
  meta(photoId: number): QueryPhotoMeta | null;
  /** Photos whose text holds a phrase (text:"…"); absent: no photo has text. */
  text?(phrase: string): ReadonlyMap<number, QueryWordHit>;
}

export interface QueryResult {
  /** 'all' when the query constrains nothing (empty, or everything in it was ignored). */
  ids: IdSet | 'all';
  /** The result ids, best first: by summed word score, then newest, then highest id. */
  /** Shared with the index's cache: never changed in place. */
  ranked: readonly number[];
  messages: string[];
  /** For each result that matched words or people: "dog 82% · Anna". Made when asked, as grids show few. */
  why: { get(photoId: number): string | undefined };
}

/** What a matched word or person adds to a result: a score and a reason. */
interface Leaf {
  has(photoId: number): boolean;
  score(photoId: number): number;
  why(photoId: number): string;
}

function mapLeaf(hits: ReadonlyMap<number, QueryWordHit>): QueryWordHits {
  return {
    size: hits.size,
    ids: () => hits.keys(),
    has: (id) => hits.has(id),
    score: (id) => hits.get(id)?.score ?? 0,
    why: (id) => hits.get(id)?.why ?? '',
  };
}

/** A word's photos as a set; `hits` says where it came from, so a one-word query can use the packed rows. */
type WordIdSet = IdSet & { hits: QueryWordHits };

function idSetOf(hits: QueryWordHits): WordIdSet {
  return { hits, size: hits.size, has: (id) => hits.has(id), [Symbol.iterator]: () => hits.ids()[Symbol.iterator]() };
}

/** Why a photo matched: the reasons of every leaf it matched, in query order. */
function whyOf(ids: IdSet | 'all', leaves: Leaf[]): QueryResult['why'] {
  return {
    get(id: number): string | undefined {
      if (ids === 'all' || !ids.has(id)) return undefined;
      const reasons: string[] = [];
      for (const l of leaves) {
        if (!l.has(id)) continue;
        const w = l.why(id);
        if (w && !reasons.includes(w)) reasons.push(w);
      }
      return reasons.length ? reasons.join(' · ') : undefined;
    },
  };
}

export function evaluateQuery(ast: QueryNode | null, ctx: QueryContext): QueryResult {
  const messages: string[] = [];
  const msg = (m: string) => {
    if (!messages.includes(m)) messages.push(m);
  };
  const leaves: Leaf[] = [];
  let allCache: Set<number> | null = null;
  const all = () => (allCache ??= new Set(ctx.allIds()));
  let peopleCache: NamedPerson[] | null = null;
  const people = () => (peopleCache ??= [...ctx.people()]);

  const personLeaf = (ps: NamedPerson[], positive: boolean): Set<number> => {
    const set = new Set<number>();
    const hits = new Map<number, QueryWordHit>();
    for (const p of ps)
      for (const id of ctx.photosOf(p.id)) {
        set.add(id);
        // The why names who is actually in the photo when "anna" meant several people.
        const h = hits.get(id);
        hits.set(id, { score: 0, why: h ? `${h.why}, ${p.name}` : p.name });
      }
    if (positive) leaves.push(mapLeaf(hits));
    return set;
  };

  const wordSet = (node: WordNode, positive: boolean): IdSet | null => {
    const ps = resolvePerson(node.text, people());
    if (ps.length) return personLeaf(ps, positive);
    const answer = ctx.word(node.text);
    if (answer) {
      if (answer.note) msg(answer.note);
      // A Map is read once here: the caller may reuse it.
      const found = answer.hits;
      const hits = found instanceof Map ? mapLeaf(new Map(found)) : (found as QueryWordHits);
      if (!hits.size) {
        msg(`no photo here shows ${node.text}`);
        return new Set();
      }
      if (positive) leaves.push(hits);
      return idSetOf(hits);
    }
    if (!node.quoted && STOP_WORDS.has(node.text)) return null;
    // A bare word may have meant a label or a person: say both, so a misspelt or unnamed person is clear.
    msg(ctx.unknownWord?.(node.text) ?? `no label or person called ${node.text}`);
    return new Set();
  };

  /** Metadata filters are predicates, so inside an AND they only test the candidates. */
  const predicateOf = (f: FilterNode): ((id: number) => boolean) | null => {
    const withMeta = (test: (m: QueryPhotoMeta) => boolean) => (id: number) => {
      const m = ctx.meta(id);
      return m ? test(m) : false;
    };
    switch (f.key) {
      case 'year': {
        const lo = new Date(f.from, 0, 1).getTime();
        const hi = new Date(f.to + 1, 0, 1).getTime();
        return withMeta((m) => m.takenAt !== null && m.takenAt >= lo && m.takenAt < hi);
      }
      case 'after': {
        const lo = periodStart(f.year, f.month, f.day);
        return withMeta((m) => m.takenAt !== null && m.takenAt >= lo);
      }
      case 'before': {
        const hi = periodEnd(f.year, f.month, f.day);
        return withMeta((m) => m.takenAt !== null && m.takenAt < hi);
      }
      case 'camera':
        return withMeta((m) => !!m.camera && m.camera.toLowerCase().includes(f.text));
      case 'has':
        return f.what === 'gps' ? withMeta((m) => m.gps) : f.what === 'text' ? withMeta((m) => !!m.hasText) : withMeta((m) => m.faceCount > 0);
      case 'faces':
        return withMeta((m) => m.faceCount >= f.min && (f.max === null || m.faceCount <= f.max));
      case 'folder':
        return withMeta((m) => {
          const p = m.path.toLowerCase();
          const slash = p.lastIndexOf('/');
          return slash >= 0 && ('/' + p.slice(0, slash + 1)).includes(f.text);
        });
      case 'place':
      case 'country':
        return withMeta((m) => placeMatches(m.place, f)); // Places hook
      default:
        return null; // person/only are sets, not predicates
    }
  };

  const filterSet = (f: FilterNode, positive: boolean): IdSet => {
    if (f.key === 'text') {
      const hits = mapLeaf(new Map(ctx.text?.(f.text) ?? []));
      if (!hits.size) msg(`no photo with the text “${f.text}”`);
      else if (positive) leaves.push(hits);
      return idSetOf(hits);
    }
    if (f.key === 'person') {
      const ps = resolvePerson(f.name, people());
      if (!ps.length) {
        msg(`no person called ${f.name}`);
        return new Set();
      }
      return personLeaf(ps, positive);
    }
    if (f.key === 'only') {
      const groups: Set<number>[] = [];
      for (const name of f.names) {
        const ps = resolvePerson(name, people());
        if (!ps.length) msg(`no person called ${name}`);
        groups.push(new Set(ps.map((p) => p.id)));
      }
      if (groups.some((g) => g.size === 0)) return new Set();
      const named = new Set(people().map((p) => p.id));
      const allowed = new Set(groups.flatMap((g) => [...g]));
      const out = new Set<number>();
      const candidates = new Set<number>();
      for (const pid of groups[0]) for (const id of ctx.photosOf(pid)) candidates.add(id);
      for (const id of candidates) {
        const here = new Set<number>();
        let stranger = false;
        for (const pid of ctx.peopleIn(id)) {
          if (!named.has(pid)) continue;
          if (!allowed.has(pid)) stranger = true;
          here.add(pid);
        }
        if (!stranger && groups.every((g) => [...g].some((pid) => here.has(pid)))) out.add(id);
      }
      if (positive) {
        const hits = new Map<number, QueryWordHit>();
        const label = 'only ' + f.names.join(', ');
        for (const id of out) hits.set(id, { score: 0, why: label });
        leaves.push(mapLeaf(hits));
      }
      return out;
    }
    const pred = predicateOf(f)!;
    const out = new Set<number>();
    for (const id of all()) if (pred(id)) out.add(id);
    return out;
  };

  /**
   * Joins runs of bare words that together are someone's full name (anna berg beach → person + beach), or one
   * thing's name (hot dog → the hot dog, not hot AND dog): a phrase is tried before its words.
   */
  const joinNames = (kids: QueryNode[]): (QueryNode | NamedPerson[])[] => {
    const out: (QueryNode | NamedPerson[])[] = [];
    for (let i = 0; i < kids.length; ) {
      let taken = 0;
      for (let j = Math.min(kids.length, i + 4); j >= i + 2 && !taken; j--) {
        const run = kids.slice(i, j);
        if (!run.every((k) => k.kind === 'word' && !k.quoted)) continue;
        const text = run.map((k) => (k as WordNode).text).join(' ');
        const ps = resolvePerson(text, people(), true);
        if (ps.length) out.push(ps);
        else if (ctx.isPhrase?.(text)) out.push({ kind: 'word', text, quoted: true });
        else continue;
        taken = j - i;
      }
      if (taken) i += taken;
      else out.push(kids[i++]);
    }
    return out;
  };

  /** null = constrains nothing (e.g. a dropped stop word). */
  const evalNode = (node: QueryNode, positive: boolean): IdSet | null => {
    switch (node.kind) {
      case 'word':
        return wordSet(node, positive);
      case 'filter':
        return filterSet(node, positive);
      case 'not': {
        const s = evalNode(node.child, !positive);
        if (!s) return null;
        const out = new Set<number>();
        for (const id of all()) if (!s.has(id)) out.add(id);
        return out;
      }
      case 'or': {
        let out: Set<number> | null = null;
        for (const c of node.children) {
          const s = evalNode(c, positive);
          if (!s) continue;
          out ??= new Set();
          for (const id of s) out.add(id);
        }
        return out;
      }
      case 'and': {
        const sets: IdSet[] = [];
        const without: IdSet[] = [];
        const preds: ((id: number) => boolean)[] = [];
        for (const c of joinNames(node.children)) {
          if (Array.isArray(c)) {
            sets.push(personLeaf(c, positive));
            continue;
          }
          const inner = c.kind === 'not' ? c.child : c;
          const pred = inner.kind === 'filter' ? predicateOf(inner) : null;
          if (pred) preds.push(c === inner ? pred : (id) => !pred(id));
          else if (c.kind === 'not') {
            // a AND NOT b is a minus b: no complement of the whole library needed.
            const s = evalNode(c.child, !positive);
            if (s) without.push(s);
          } else {
            const s = evalNode(c, positive);
            if (s) sets.push(s);
          }
        }
        if (!sets.length && !preds.length && !without.length) return null;
        sets.sort((a, b) => a.size - b.size);
        if (sets.length === 1 && !preds.length && !without.length) return sets[0];
        const base = sets.length ? sets[0] : all();
        const out = new Set<number>();
        outer: for (const id of base) {
          for (let k = 1; k < sets.length; k++) if (!sets[k].has(id)) continue outer;
          for (const s of without) if (s.has(id)) continue outer;
          for (const p of preds) if (!p(id)) continue outer;
          out.add(id);
        }
        return out;
      }
    }
  };

  let ids: IdSet | 'all' = 'all';
  try {
    const s = ast ? evalNode(ast, true) : null;
    if (s) ids = s;
  } catch (e) {
    msg(`search failed (${e instanceof Error ? e.message : String(e)})`);
    ids = new Set();
  }

  // One word: its hits are the result, rows and scores as the index packed them.
  const rows = ids !== 'all' && leaves.length === 1 && 'hits' in ids && ids.hits === leaves[0] ? (ids as WordIdSet).hits.rows : undefined;
  if (rows?.ranked) return { ids, ranked: rows.ranked, messages, why: whyOf(ids, leaves) };
  const pool: ArrayLike<number> = rows ? rows.ids : Array.from(ids === 'all' ? all() : ids);
  const n = pool.length;
  const scores = rows ? rows.scores : new Float64Array(n);
  if (!rows && ids !== 'all' && leaves.length) {
    const sums = scores as Float64Array;
    for (let i = 0; i < n; i++) {
      const id = pool[i];
      let sc = 0;
      for (const l of leaves) if (l.has(id)) sc += l.score(id);
      sums[i] = sc;
    }
  }
  const ranks = new Int32Array(n);
  let indexRanks = !!ctx.newestRank && n > 0;
  if (ctx.newestRank) {
    for (let i = 0; i < n && indexRanks; i++) {
      ranks[i] = ctx.newestRank(pool[i]);
      if (ranks[i] < 0) indexRanks = false;
    }
  }
  let ranked: number[];
  if (indexRanks) {
    ranked = rankByScore(pool, scores, ranks);
    if (rows) rows.ranked = ranked;
  } else {
    const taken = new Float64Array(n);
    for (let i = 0; i < n; i++) taken[i] = ctx.meta(pool[i])?.takenAt ?? -Infinity;
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => scores[b] - scores[a] || taken[b] - taken[a] || pool[b] - pool[a],
    );
    ranked = order.map((i) => pool[i]);
  }

  return { ids, ranked, messages, why: whyOf(ids, leaves) };
}

/** parseQuery + evaluateQuery, with both message lists. */
export function runQuery(text: string, ctx: QueryContext): QueryResult & { ast: QueryNode | null } {
  const p = parseQuery(text);
  const r = evaluateQuery(p.ast, ctx);
  return { ...r, ast: p.ast, messages: [...p.messages, ...r.messages.filter((m) => !p.messages.includes(m))] };
}

function periodStart(y: number, m: number | null, d: number | null): number {
  return new Date(y, (m ?? 1) - 1, d ?? 1).getTime();
}
/** Exclusive end: the first instant after the period. */
function periodEnd(y: number, m: number | null, d: number | null): number {
  if (d !== null) return new Date(y, m! - 1, d + 1).getTime();
  if (m !== null) return new Date(y, m, 1).getTime();
  return new Date(y + 1, 0, 1).getTime();
}
