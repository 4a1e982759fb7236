import { normalizeWords } from './words';

/**
 * Words read in photos (kind "text"), beside the label postings: a plain word matches photos whose text holds it,
 * `text:"…"` matches a phrase in the text only, `has:text` any photo with text. Words are normalised like label
 * terms (case, accents, punctuation), and split where letters meet digits ("espresso2" → espresso, 2).
 *
 * The recogniser often runs words together ("Thankyou", "OPENINGHOURS"): a query word of MIN_INSIDE letters or
 * more also matches inside a token, scored lower, as a prefix is for labels.
 */

/** A word in a photo's text, at most: a label at 90% ranks with it. */
export const TEXT_SCORE = 0.9;
/** Found inside a longer token rather than as one. */
export const TEXT_INSIDE_FACTOR = 0.8;
/** Shorter query words match whole tokens only: "on" inside "station" is noise. */
export const MIN_INSIDE = 4;

/** Normalised tokens of recognised text, in reading order. */
export function textTokens(text: string): string[] {
  return normalizeWords(text).flatMap((w) => w.match(/\p{L}+|\p{N}+/gu) ?? []);
}

export interface TextHit {
  score: number;
  /** The token that matched, as read. */
  token: string;
}

export class TextIndex {
  /** photoId → tokens in reading order */
  private readonly tokensOf = new Map<number, string[]>();
  /** token → photos holding it */
  private readonly postings = new Map<string, Set<number>>();
  private sortedTokens: string[] | null = null;
  /** Recent answers (a query is re-run as it is typed on and as the grid re-derives); dropped on any change. */
  private readonly answers = new Map<string, Map<number, TextHit>>();

  get size(): number {
    return this.tokensOf.size;
  }

  /** Sets a photo's text (lines joined by newlines); empty or undefined removes it. */
  set(photoId: number, text: string | undefined): void {
    this.remove(photoId);
    this.answers.clear();
    const tokens = text ? textTokens(text) : [];
    if (!tokens.length) return;
    this.tokensOf.set(photoId, tokens);
    for (const t of tokens) {
      let s = this.postings.get(t);
      if (!s) {
        this.postings.set(t, (s = new Set()));
        this.sortedTokens = null;
      }
      s.add(photoId);
    }
  }

  remove(photoId: number): void {
    const tokens = this.tokensOf.get(photoId);
    if (!tokens) return;
    this.answers.clear();
    this.tokensOf.delete(photoId);
    for (const t of tokens) {
      const s = this.postings.get(t);
      s?.delete(photoId);
      if (s?.size === 0) {
        this.postings.delete(t);
        this.sortedTokens = null;
      }
    }
  }

  has(photoId: number): boolean {
    return this.tokensOf.has(photoId);
  }

  /**
   * Photos whose text holds the query's words as consecutive tokens; one word may also match inside a token, and
   * several words run together ("opening hours" in "OPENINGHOURS").
   */
  search(query: string): ReadonlyMap<number, TextHit> {
    const q = textTokens(query);
    const key = q.join(' ');
    const known = this.answers.get(key);
    if (known) return known;
    const out = new Map<number, TextHit>();
    if (this.answers.size >= 16) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, out);
    if (!q.length) return out;
    const add = (id: number, score: number, token: string) => {
      const h = out.get(id);
      if (!h || score > h.score) out.set(id, { score, token });
    };
    if (q.length === 1) {
      for (const id of this.postings.get(q[0]) ?? []) add(id, TEXT_SCORE, q[0]);
    } else {
      for (const id of this.postings.get(q[0]) ?? []) {
        const tokens = this.tokensOf.get(id)!;
        for (let i = 0; i + q.length <= tokens.length; i++) {
          if (q.every((w, j) => tokens[i + j] === w)) {
            add(id, TEXT_SCORE, q.join(' '));
            break;
          }
        }
      }
    }
    const joined = q.join('');
    if (joined.length >= MIN_INSIDE && /\p{L}/u.test(joined)) {
      for (const t of this.tokens()) {
        if (t.length < joined.length || !t.includes(joined)) continue;
        // Equal: a phrase written as one token ("opening hours" read as "OPENINGHOURS").
        const score = t === joined ? TEXT_SCORE : TEXT_SCORE * TEXT_INSIDE_FACTOR;
        for (const id of this.postings.get(t)!) add(id, score, t);
      }
    }
    return out;
  }

  /** Distinct tokens, sorted (for suggestions and the inside scan). */
  tokens(): readonly string[] {
    return (this.sortedTokens ??= [...this.postings.keys()].sort());
  }

  /** Photos holding any text. */
  photoIds(): IterableIterator<number> {
    return this.tokensOf.keys();
  }
}

// ── query side: what the query evaluator gets (libraryQuery.ts) ──

/** Words a plain query drops rather than look for in text ("dog on the beach" must not need "on" and "the" written). */
const TEXT_STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'with', 'in', 'on', 'at', 'and', 'or', 'to', 'is', 'photo', 'photos', 'picture', 'pictures', 'pic', 'pics', 'image', 'images']);

export interface TextQueryHit {
  score: number;
  why: string;
}

const whyOfHit = (h: TextHit) => `text “${h.token}”`;

/** A plain word or quoted phrase against the photos' text (stop words and single letters match labels only). */
export function textWordHits(index: TextIndex, term: string): Map<number, TextQueryHit> {
  const q = textTokens(term);
  const out = new Map<number, TextQueryHit>();
  if (!index.size || !q.length || (q.length === 1 && (q[0].length < 2 || TEXT_STOP_WORDS.has(q[0])))) return out;
  for (const [id, h] of index.search(term)) out.set(id, { score: h.score, why: whyOfHit(h) });
  return out;
}

/** `text:"…"`: the phrase in the text only, stop words included. */
export function textPhraseHits(index: TextIndex, phrase: string): Map<number, TextQueryHit> {
  const out = new Map<number, TextQueryHit>();
  for (const [id, h] of index.search(phrase)) out.set(id, { score: h.score, why: whyOfHit(h) });
  return out;
}
