/**
 * The search language: text → small AST → set of photo ids.
 *
 * Syntax (everything is case-insensitive):
 *   dog beach          both (whitespace is AND; the keyword AND is accepted too)
 *   dog OR cat         either; `|` works too. OR binds tighter than AND, as in Gmail:
 *                      `anna beach OR sea` is anna AND (beach OR sea)
 *   -bob, NOT bob      without; binds tightest: `-dog cat` is (NOT dog) AND cat
 *   "hot dog"          a phrase: one label or person name containing a space
 *   ( … )              grouping
 *   year:2019 year:2018..2020
 *   after:2020 after:2020-05 after:2020-05-17     (also before:)
 *       Both are inclusive of the period named: after:2020-05 starts at 1 May 2020 00:00,
 *       before:2020-05 ends at 31 May 2020 24:00, so `after:2020-05 before:2020-05` is May.
 *       Dates are local time, like EXIF DateTimeOriginal. Photos without a date never match.
 *   camera:pixel       substring of make/model
 *   has:gps has:faces has:text
 *   text:"opening hours"   words read in the photo only, as a phrase (textTerms.ts)
 *   faces:0 faces:2 faces:3+ faces:1-3
 *   folder:holidays    substring of the folder part of the path (not the file name)
 *   person:"anna b"    only a person, never a label
 *   only:anna,bob      all of these people and no other named person
 *
 * A bare word first names a person (full name, else first name), then a label.
 * Nothing here throws on user input: problems become `messages` and the offending part is ignored.
 */

// ───────────────────────────── AST ─────────────────────────────

export type QueryNode = AndNode | OrNode | NotNode | WordNode | FilterNode;

export interface AndNode {
  kind: 'and';
  children: QueryNode[];
}
export interface OrNode {
  kind: 'or';
  children: QueryNode[];
}
export interface NotNode {
  kind: 'not';
  child: QueryNode;
}
/** `text` is lowercased and NFKC-normalised; `quoted` is true for "phrases". */
export interface WordNode {
  kind: 'word';
  text: string;
  quoted: boolean;
}

export type Filter =
  /** Inclusive calendar years. */
  | { key: 'year'; from: number; to: number }
  /** Month and day are 1-based and optional: the period is the year, month or day named. */
  | { key: 'after' | 'before'; year: number; month: number | null; day: number | null }
  | { key: 'camera'; text: string }
  | { key: 'has'; what: 'gps' | 'faces' | 'text' }
  /** Text in photos: a phrase matched against the words read in them. */
  | { key: 'text'; text: string }
  /** Inclusive; max null means no upper bound (faces:3+). */
  | { key: 'faces'; min: number; max: number | null }
  | { key: 'folder'; text: string }
  | { key: 'person'; name: string }
  | { key: 'only'; names: string[] };

export type FilterNode = { kind: 'filter' } & Filter;

export interface ParseResult {
  ast: QueryNode | null;
  messages: string[];
}

/** Longer input is cut: it keeps the parser and the evaluator cheap on pasted junk. */
export const MAX_QUERY_CHARS = 1000;
/** Deeper parentheses are dropped, so recursion stays shallow whatever the input. */
export const MAX_DEPTH = 16;

const FILTER_KEYS = ['year', 'after', 'before', 'camera', 'has', 'faces', 'folder', 'person', 'only', 'text'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const KEY_ALIASES: Record<string, FilterKey> = { face: 'faces', people: 'person', who: 'person', cam: 'camera', dir: 'folder' };

// ───────────────────────────── tokens ─────────────────────────────

interface Part {
  text: string;
  quoted: boolean;
}
type Token =
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'or' }
  | { t: 'and' }
  | { t: 'not'; sym: string }
  | { t: 'term'; parts: Part[] };

const OPEN_QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']); // phones type curly quotes
const isSpace = (c: string) => /\s/.test(c);
const isBreak = (c: string) => c === '(' || c === ')' || c === '|' || isSpace(c);

function tokenize(input: string, msg: (m: string) => void): Token[] {
  const out: Token[] = [];
  // true for a '(' kept, false for one dropped for depth; its ')' follows suit.
  const parens: boolean[] = [];
  let keptDepth = 0;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '(') {
      const keep = keptDepth < MAX_DEPTH;
      if (keep) {
        keptDepth++;
        out.push({ t: 'lp' });
      } else msg('too many nested parentheses; the inner ones were ignored');
      parens.push(keep);
      i++;
    } else if (c === ')') {
      const kept = parens.pop();
      if (kept === undefined) msg('unmatched ) ignored');
      else if (kept) {
        keptDepth--;
        out.push({ t: 'rp' });
      }
      i++;
    } else if (c === '|') {
      out.push({ t: 'or' });
      i++;
    } else if (c === '-' && (i + 1 >= n || (isBreak(input[i + 1]) && input[i + 1] !== '('))) {
      msg('- needs a term right after it, like -bob');
      i++;
    } else if (c === '-') {
      out.push({ t: 'not', sym: '-' });
      i++;
    } else {
      const parts: Part[] = [];
      let plain = '';
      while (i < n && !isBreak(input[i])) {
        if (OPEN_QUOTES.has(input[i])) {
          if (plain) parts.push({ text: plain, quoted: false });
          plain = '';
          let j = i + 1;
          while (j < n && !OPEN_QUOTES.has(input[j])) j++;
          if (j >= n) msg('missing closing quote (")');
          parts.push({ text: input.slice(i + 1, j), quoted: true });
          i = j + 1;
        } else plain += input[i++];
      }
      if (plain) parts.push({ text: plain, quoted: false });
      if (parts.length === 1 && !parts[0].quoted) {
        const k = parts[0].text.toUpperCase();
        if (k === 'OR' || k === '||') {
          out.push({ t: 'or' });
          continue;
        }
        if (k === 'AND' || k === '&&' || k === '&') {
          out.push({ t: 'and' });
          continue;
        }
        if (k === 'NOT') {
          out.push({ t: 'not', sym: 'NOT' });
          continue;
        }
      }
      if (parts.length) out.push({ t: 'term', parts });
    }
  }
  if (parens.some((kept) => kept)) msg('missing )');
  return out;
}

// ───────────────────────────── terms ─────────────────────────────

const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
// Unquoted words lose surrounding punctuation ("dog," → dog) but keep inner ("t-shirt").
// Emoji (\p{So}) stay: they are words too, even if nothing matches them yet.
const stripPunct = (s: string) => s.replace(/^[\p{P}\p{Sm}\p{Sc}\p{Sk}]+|[\p{P}\p{Sm}\p{Sc}\p{Sk}]+$/gu, '');

function termToNode(parts: Part[], msg: (m: string) => void): QueryNode | null {
  const first = parts[0];
  const m = !first.quoted ? /^([a-z]+):/i.exec(first.text) : null;
  if (m) {
    const rawKey = m[1].toLowerCase();
    const key = (FILTER_KEYS as readonly string[]).includes(rawKey) ? (rawKey as FilterKey) : KEY_ALIASES[rawKey];
    if (!key) {
      msg(`unknown filter ${rawKey}: (try ${FILTER_KEYS.map((k) => k + ':').join(' ')})`);
      return null;
    }
    const valueParts = [{ text: first.text.slice(m[0].length), quoted: false }, ...parts.slice(1)].filter(
      (p) => p.text || p.quoted,
    );
    const f = parseFilter(key, valueParts, msg);
    return f ? { kind: 'filter', ...f } : null;
  }
  const quoted = parts.some((p) => p.quoted);
  let text = norm(parts.map((p) => p.text).join(''));
  if (!quoted) text = stripPunct(text);
  if (!text) {
    if (quoted) msg('empty quotes ignored');
    return null;
  }
  return { kind: 'word', text, quoted };
}

const DATE_RE = /^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$/;
const MIN_YEAR = 1800;
const MAX_YEAR = 2999;
const validYear = (y: number) => y >= MIN_YEAR && y <= MAX_YEAR;

function parseFilter(key: FilterKey, parts: Part[], msg: (m: string) => void): Filter | null {
  const value = norm(parts.map((p) => p.text).join(''));
  switch (key) {
    case 'year': {
      const m = /^(\d{4})(?:(?:\.\.|-)(\d{4}))?$/.exec(value);
      const from = m ? +m[1] : NaN;
      const to = m?.[2] ? +m[2] : from;
      if (!m || !validYear(from) || !validYear(to)) return bad('year: expects a year like 2019');
      return { key, from: Math.min(from, to), to: Math.max(from, to) };
    }
    case 'after':
    case 'before': {
      const m = DATE_RE.exec(value);
      const expects = `${key}: expects a date like 2020-05 or 2020-05-17`;
      if (!m) return bad(expects);
      const year = +m[1];
      const month = m[2] ? +m[2] : null;
      const day = m[3] ? +m[3] : null;
      if (!validYear(year) || (month !== null && (month < 1 || month > 12))) return bad(expects);
      // new Date(y, m, 0) is the last day of month m.
      if (day !== null && (day < 1 || day > new Date(year, month!, 0).getDate())) return bad(expects);
      return { key, year, month, day };
    }
    case 'camera':
    case 'folder':
      if (!value) return bad(key === 'camera' ? 'camera: expects part of a camera name, like camera:pixel' : 'folder: expects part of a folder name, like folder:holidays');
      return { key, text: value.replace(/^\/+|\/+$/g, '') || value };
    case 'has':
      if (value === 'gps' || value === 'location') return { key, what: 'gps' };
      if (value === 'faces' || value === 'face' || value === 'people') return { key, what: 'faces' };
      if (value === 'text') return { key, what: 'text' };
      return bad('has: expects gps, faces or text');
    case 'text':
      if (!value) return bad('text: expects words, like text:"opening hours"');
      return { key, text: value };
    case 'faces': {
      const m = /^(\d{1,4})(\+|-(\d{1,4}))?$/.exec(value);
      if (!m) return bad('faces: expects a number like 2, 3+ or 1-3');
      const a = +m[1];
      if (m[2] === '+') return { key, min: a, max: null };
      const b = m[3] !== undefined ? +m[3] : a;
      return { key, min: Math.min(a, b), max: Math.max(a, b) };
    }
    case 'person':
      if (!value) return bad('person: expects a name, like person:anna');
      return { key, name: value };
    case 'only': {
      // Commas separate names, except inside quotes: only:"anna b",bob
      const names: string[] = [];
      let cur = '';
      for (const p of parts) {
        if (p.quoted) cur += p.text;
        else {
          const bits = p.text.split(',');
          cur += bits[0];
          for (const b of bits.slice(1)) {
            names.push(cur);
            cur = b;
          }
        }
      }
      names.push(cur);
      const clean = [...new Set(names.map(norm).filter(Boolean))];
      if (!clean.length) return bad('only: expects names, like only:anna,bob');
      return { key, names: clean };
    }
  }
  function bad(m: string): null {
    msg(m);
    return null;
  }
}

// ───────────────────────────── parser ─────────────────────────────

function mk(kind: 'and' | 'or', nodes: QueryNode[]): QueryNode | null {
  // Flatten (a b) c into one AND: same meaning, flatter tree, simpler evaluation.
  const flat = nodes.flatMap((c) => (c.kind === kind ? c.children : [c]));
  if (flat.length === 0) return null;
  if (flat.length === 1) return flat[0];
  return { kind, children: flat };
}

export function parseQuery(text: string): ParseResult {
  const messages: string[] = [];
  const msg = (m: string) => {
    if (!messages.includes(m)) messages.push(m);
  };
  try {
    let input = typeof text === 'string' ? text : String(text ?? '');
    if (input.length > MAX_QUERY_CHARS) {
      msg(`query is too long; only the first ${MAX_QUERY_CHARS} characters were used`);
      input = input.slice(0, MAX_QUERY_CHARS);
    }
    const toks = tokenize(input, msg);
    let pos = 0;
    const peek = () => toks[pos] as Token | undefined;
    const ends = (t: Token | undefined) => !t || t.t === 'rp' || t.t === 'or' || t.t === 'and';

    // and := or (AND? or)*
    const parseAnd = (): QueryNode | null => {
      const kids: QueryNode[] = [];
      for (let t = peek(); t && t.t !== 'rp'; t = peek()) {
        if (t.t === 'or') {
          msg('OR needs a term on both sides');
          pos++;
        } else if (t.t === 'and') {
          pos++;
          if (!kids.length || ends(peek())) msg('AND needs a term on both sides');
        } else {
          const node = parseOr();
          if (node) kids.push(node);
        }
      }
      return mk('and', kids);
    };
    // or := unary (OR unary)*
    const parseOr = (): QueryNode | null => {
      const kids: QueryNode[] = [];
      const first = parseUnary();
      if (first) kids.push(first);
      while (peek()?.t === 'or') {
        pos++;
        const t = peek();
        if (ends(t)) {
          if (t?.t !== 'or') msg('OR needs a term on both sides');
          continue;
        }
        const node = parseUnary();
        if (node) kids.push(node);
      }
      return mk('or', kids);
    };
    // unary := NOT* primary; a loop, not recursion, so "NOT NOT NOT …" can't blow the stack.
    const parseUnary = (): QueryNode | null => {
      let nots = 0;
      let sym = 'NOT';
      for (let t = peek(); t?.t === 'not'; t = peek()) {
        nots++;
        sym = t.sym;
        pos++;
      }
      const t = peek();
      if (ends(t)) {
        if (nots) msg(sym === '-' ? '- needs a term right after it, like -bob' : 'NOT needs a term after it');
        return null;
      }
      const node = parsePrimary();
      return node && nots % 2 ? { kind: 'not', child: node } : node;
    };
    const parsePrimary = (): QueryNode | null => {
      const t = toks[pos++];
      if (t.t === 'lp') {
        const inner = parseAnd();
        if (peek()?.t === 'rp') pos++; // a missing ')' was already reported by the tokenizer
        if (!inner) msg('empty ( ) ignored');
        return inner;
      }
      if (t.t === 'term') return termToNode(t.parts, msg);
      return null; // unreachable: parseUnary only calls here on lp/term
    };

    // Stray ')' are dropped by the tokenizer, so one parseAnd normally consumes everything.
    const parts: QueryNode[] = [];
    while (pos < toks.length) {
      const node = parseAnd();
      if (node) parts.push(node);
      if (peek()?.t === 'rp') pos++;
    }
    return { ast: mk('and', parts), messages };
  } catch (e) {
    // Belt and braces: a parser bug must not take down the search box.
    msg(`could not understand the query (${e instanceof Error ? e.message : String(e)})`);
    return { ast: null, messages };
  }
}

/** Canonical text of an AST, fully parenthesised: for tests, debugging and "searching for …" hints. */
export function formatQuery(node: QueryNode | null): string {
  if (!node) return '';
  const q = (s: string) => (/[\s,()|"]/.test(s) || s === '' ? `"${s}"` : s);
  switch (node.kind) {
    case 'and':
      return `(${node.children.map(formatQuery).join(' AND ')})`;
    case 'or':
      return `(${node.children.map(formatQuery).join(' OR ')})`;
    case 'not':
      return `-${formatQuery(node.child)}`;
    case 'word':
      return node.quoted ? `"${node.text}"` : q(node.text);
    case 'filter':
      switch (node.key) {
        case 'year':
          return node.from === node.to ? `year:${node.from}` : `year:${node.from}..${node.to}`;
        case 'after':
        case 'before': {
          const p2 = (x: number) => String(x).padStart(2, '0');
          return `${node.key}:${node.year}${node.month ? '-' + p2(node.month) : ''}${node.day ? '-' + p2(node.day) : ''}`;
        }
        case 'camera':
        case 'folder':
          return `${node.key}:${q(node.text)}`;
        case 'has':
          return `has:${node.what}`;
        case 'faces':
          return `faces:${node.min}${node.max === null ? '+' : node.max === node.min ? '' : '-' + node.max}`;
        case 'person':
          return `person:${q(node.name)}`;
        case 'text':
          return `text:${q(node.text)}`;
        case 'only':
          return `only:${node.names.map(q).join(',')}`;
      }
  }
}

// ───────────────────────────── evaluation ─────────────────────────────

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
}

export interface QueryWordHit {
  /** Higher is better; summed over the query's words to rank results. */
  score: number;
  /** Short human text, e.g. "golden retriever 82%". */
  why: string;
}

export interface NamedPerson {
  id: number;
  name: string;
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

/** A set of photo ids as the evaluator needs it (a Set is one). */
export interface IdSet extends Iterable<number> {
  readonly size: number;
  has(photoId: number): boolean;
}

/** What the evaluator needs from the search index. All lookups are synchronous and in memory. */
export interface QueryContext {
  allIds(): Iterable<number>;
  /** Photos for a label word or phrase (already lowercased); null when it is no known word. */
  word(term: string): ReadonlyMap<number, QueryWordHit> | QueryWordHits | null;
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

/** Words that carry no meaning here, dropped only when they are neither a person nor a label. */
const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'with', 'in', 'on', 'at', 'and', 'photo', 'photos', 'picture', 'pictures', 'pic', 'pics', 'image', 'images']);

/** Lowercase, no accents, single spaces: "Zoë  Ann" and "zoe ann" are the same name. */
export function normalizeName(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * People a query name refers to: those whose full name equals it, otherwise those whose first name does
 * (possibly several: "anna" → Anna B and Anna K). Empty when none.
 */
export function resolvePerson(name: string, people: Iterable<NamedPerson>, fullOnly = false): NamedPerson[] {
  const q = normalizeName(name);
  if (!q) return [];
  const full: NamedPerson[] = [];
  const first: NamedPerson[] = [];
  for (const p of people) {
    const n = normalizeName(p.name);
    if (!n) continue;
    if (n === q) full.push(p);
    else if (!fullOnly && n.split(' ')[0] === q) first.push(p);
  }
  return full.length ? full : first;
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

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);
/** rank → row + 1 while ranking; all zero between calls (only the rows set are cleared), so never re-filled. */
let rowOfRank = new Int32Array(0);
/** Two buffers each, swapped between radix passes; kept between calls so a query allocates little. */
let radixRows = [new Int32Array(0), new Int32Array(0)];
let radixKeys = [new Uint32Array(0), new Uint32Array(0)];
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * Result order: score desc, then rank asc (ranks: distinct integers ≥ 0). A comparator sort of 50k photos takes
 * tens of ms, so: rows in rank order by a counting pass, then a stable LSD radix sort on the score's float32 bits
 * (which order like the numbers); runs whose float32 scores tie but whose exact scores differ are then put right
 * with the comparator.
 */
function rankByScore(pool: ArrayLike<number>, scores: ArrayLike<number>, ranks: Int32Array): number[] {
  const n = pool.length;
  let maxRank = 0;
  for (let i = 0; i < n; i++) if (ranks[i] > maxRank) maxRank = ranks[i];
  if (rowOfRank.length <= maxRank) rowOfRank = new Int32Array(Math.ceil((maxRank + 1) * 1.25));
  for (let i = 0; i < n; i++) rowOfRank[ranks[i]] = i + 1;
  if (radixRows[0].length < n) {
    const cap = Math.ceil(n * 1.25);
    radixRows = [new Int32Array(cap), new Int32Array(cap)];
    radixKeys = [new Uint32Array(cap), new Uint32Array(cap)];
  }
  let [rows, rowsOut] = radixRows;
  let [keys, keysOut] = radixKeys;
  for (let r = 0, k = 0; k < n && r <= maxRank; r++) {
    const row = rowOfRank[r] - 1;
    if (row < 0) continue;
    rowOfRank[r] = 0;
    rows[k] = row;
    f32[0] = scores[row];
    keys[k++] = 0xffffffff - f32bits[0];
  }
  // Rows and their keys move together, so each pass reads keys in order.
  const counts = new Int32Array(RADIX);
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & (RADIX - 1)]++;
    if (counts.includes(n)) continue; // every row has this digit: the pass would change nothing
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(keys[i] >>> shift) & (RADIX - 1)]++;
      rowsOut[at] = rows[i];
      keysOut[at] = keys[i];
    }
    [rows, rowsOut] = [rowsOut, rows];
    [keys, keysOut] = [keysOut, keys];
  }
  for (let i = 0; i < n; ) {
    let j = i + 1;
    let mixed = false;
    for (; j < n && keys[j] === keys[i]; j++) if (scores[rows[j]] !== scores[rows[i]]) mixed = true;
    if (mixed) rows.set(Array.from(rows.subarray(i, j)).sort((a, b) => scores[b] - scores[a] || ranks[a] - ranks[b]), i);
    i = j;
  }
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = pool[rows[i]];
  return out;
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
    const found = ctx.word(node.text);
    // A Map is read once here: the caller may reuse it.
    const hits = found instanceof Map ? mapLeaf(new Map(found)) : (found as QueryWordHits | null);
    if (hits && hits.size) {
      if (positive) leaves.push(hits);
      return idSetOf(hits);
    }
    if (!hits && !node.quoted && STOP_WORDS.has(node.text)) return null;
    // A bare word may have meant a label or a person: say both, so a misspelt or unnamed person is clear.
    msg(`no label or person called ${node.text}`);
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

  /** Joins runs of bare words that together are someone's full name: anna berg beach → person + beach. */
  const joinNames = (kids: QueryNode[]): (QueryNode | NamedPerson[])[] => {
    const out: (QueryNode | NamedPerson[])[] = [];
    for (let i = 0; i < kids.length; ) {
      let taken = 0;
      for (let j = Math.min(kids.length, i + 4); j >= i + 2 && !taken; j--) {
        const run = kids.slice(i, j);
        if (!run.every((k) => k.kind === 'word' && !k.quoted)) continue;
        const ps = resolvePerson(run.map((k) => (k as WordNode).text).join(' '), people(), true);
        if (ps.length) {
          out.push(ps);
          taken = j - i;
        }
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
