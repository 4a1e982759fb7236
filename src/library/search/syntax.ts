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
 *   place:"san francisco" country:japan   places named from the photos' GPS (placeTerms.ts); plain words
 *                      and phrases find places too ("paris", new york)
 *
 * A bare word first names a person (full name, else first name), then whatever the evaluation context knows
 * (labels by whole name and WordNet, people words…); bare words that together name one thing are a phrase.
 * Nothing here throws on user input: problems become `messages` and the offending part is ignored.
 */

import { parsePlaceFilter, PLACE_FILTER_KEYS, PLACE_KEY_ALIASES, type PlaceFilter } from './placeTerms';

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
  | { key: 'only'; names: string[] }
  // Places hook: place:/country: (placeTerms.ts).
  | PlaceFilter;

export type FilterNode = { kind: 'filter' } & Filter;

export interface ParseResult {
  ast: QueryNode | null;
  messages: string[];
}

/** Longer input is cut: it keeps the parser and the evaluator cheap on pasted junk. */
export const MAX_QUERY_CHARS = 1000;
/** Deeper parentheses are dropped, so recursion stays shallow whatever the input. */
export const MAX_DEPTH = 16;

const FILTER_KEYS = ['year', 'after', 'before', 'camera', 'has', 'faces', 'folder', 'person', 'only', ...PLACE_FILTER_KEYS, 'text'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
const KEY_ALIASES: Record<string, FilterKey> = { face: 'faces', people: 'person', who: 'person', cam: 'camera', dir: 'folder', ...PLACE_KEY_ALIASES };

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
    case 'place':
    case 'country':
      return parsePlaceFilter(key, value, bad); // Places hook
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
        case 'place':
        case 'country':
          return `${node.key}:${q(node.text)}`; // Places hook
      }
  }
}
