import { describe, expect, it } from 'vitest';
import { prng } from '../../src/bench/syntheticLibrary';
import {
  evaluateQuery,
  formatQuery,
  MAX_QUERY_CHARS,
  parseQuery,
  resolvePerson,
  runQuery,
  type NamedPerson,
  type QueryPhotoMeta,
  type QueryContext,
  type QueryWordHit,
} from '../../src/library/search/queryParser';

// ─────────────── a tiny in-memory library ───────────────

interface Photo extends QueryPhotoMeta {
  id: number;
  labels: Record<string, number>;
  people: number[];
}
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

const PHOTOS: Photo[] = [
  { id: 1, takenAt: at(2019, 3, 10), camera: 'Google Pixel 4', gps: true, faceCount: 1, path: 'holidays/2019/a.jpg', labels: { dog: 0.9 }, people: [1] },
  { id: 2, takenAt: at(2019, 7, 1), camera: 'Apple iPhone 8', gps: false, faceCount: 2, path: 'holidays/2019/b.jpg', labels: { beach: 0.8 }, people: [1, 2] },
  { id: 3, takenAt: at(2020, 5, 1, 0, 0), camera: 'Google Pixel 6', gps: true, faceCount: 1, path: 'Family/c.jpg', labels: { dog: 0.5, cat: 0.6 }, people: [2] },
  { id: 4, takenAt: at(2020, 5, 31, 23, 59), camera: null, gps: false, faceCount: 3, path: 'Family/Holidays 2020/d.jpg', labels: { beach: 0.4, dog: 0.3 }, people: [1, 2, 3] },
  { id: 5, takenAt: at(2020, 6, 1, 0, 0), camera: 'Canon EOS 5D', gps: false, faceCount: 0, path: 'e.jpg', labels: { 'hot dog': 0.7 }, people: [] },
  // Anna plus someone nobody named yet (person 9): still "only anna".
  { id: 6, takenAt: null, camera: null, gps: false, faceCount: 2, path: 'misc/f.jpg', labels: { cat: 0.9 }, people: [1, 9] },
  { id: 7, takenAt: at(2021, 1, 1), camera: null, gps: false, faceCount: 1, path: 'holiday-snaps/g.jpg', labels: { dog: 0.2 }, people: [] },
];
const PEOPLE: NamedPerson[] = [
  { id: 1, name: 'Anna Berg' },
  { id: 2, name: 'Bob' },
  { id: 3, name: 'Carl' },
];

function makeCtx(photos = PHOTOS, people = PEOPLE): QueryContext {
  const byId = new Map(photos.map((p) => [p.id, p]));
  return {
    allIds: () => byId.keys(),
    word(term) {
      const hits = new Map<number, QueryWordHit>();
      let known = false;
      for (const p of photos) {
        if (term in p.labels) {
          known = true;
          hits.set(p.id, { score: p.labels[term], why: `${term} ${Math.round(p.labels[term] * 100)}%` });
        }
      }
      return known ? { hits } : null;
    },
    isPhrase: (words) => photos.some((p) => words.includes(' ') && words in p.labels),
    people: () => people,
    photosOf: (pid) => photos.filter((p) => p.people.includes(pid)).map((p) => p.id),
    peopleIn: (id) => byId.get(id)?.people ?? [],
    meta: (id) => byId.get(id) ?? null,
  };
}
const ctx = makeCtx();
const fmt = (q: string) => formatQuery(parseQuery(q).ast);
const ids = (q: string, c = ctx) => {
  const r = runQuery(q, c);
  return r.ids === 'all' ? 'all' : [...r.ids].sort((a, b) => a - b);
};

// ─────────────── parsing ───────────────

describe('parseQuery: structure and precedence', () => {
  it('whitespace is AND; OR binds tighter than AND; NOT tightest', () => {
    expect(fmt('dog beach')).toBe('(dog AND beach)');
    expect(fmt('a b OR c')).toBe('(a AND (b OR c))');
    expect(fmt('a OR b c')).toBe('((a OR b) AND c)');
    expect(fmt('a OR b OR c')).toBe('(a OR b OR c)');
    expect(fmt('-a b')).toBe('(-a AND b)');
    expect(fmt('NOT a OR b')).toBe('(-a OR b)');
    expect(fmt('a AND b OR c')).toBe('(a AND (b OR c))');
    expect(fmt('(a b) OR c')).toBe('((a AND b) OR c)');
    expect(fmt('-(a OR b) c')).toBe('(-(a OR b) AND c)');
  });

  it('accepts OR in any case, |, and keeps a quoted "or" as a word', () => {
    expect(fmt('dog or cat')).toBe('(dog OR cat)');
    expect(fmt('dog | cat')).toBe('(dog OR cat)');
    expect(fmt('dog|cat')).toBe('(dog OR cat)');
    expect(fmt('"or" dog')).toBe('("or" AND dog)');
  });

  it('negation: -bob, NOT bob, double negation cancels', () => {
    expect(parseQuery('-bob').ast).toEqual({ kind: 'not', child: { kind: 'word', text: 'bob', quoted: false } });
    expect(parseQuery('NOT bob').ast).toEqual(parseQuery('-bob').ast);
    expect(parseQuery('not bob').ast).toEqual(parseQuery('-bob').ast);
    expect(fmt('NOT -bob')).toBe('bob');
    expect(fmt('t-shirt')).toBe('t-shirt'); // an inner dash is no negation
  });

  it('phrases, case and punctuation', () => {
    expect(parseQuery('"Hot  Dog"').ast).toEqual({ kind: 'word', text: 'hot dog', quoted: true });
    expect(parseQuery('\u201Chot dog\u201D').ast).toEqual({ kind: 'word', text: 'hot dog', quoted: true });
    expect(parseQuery('Dog,').ast).toEqual({ kind: 'word', text: 'dog', quoted: false });
  });

  it('parses every filter', () => {
    const f = (q: string) => parseQuery(q).ast;
    expect(f('year:2019')).toEqual({ kind: 'filter', key: 'year', from: 2019, to: 2019 });
    expect(f('year:2021..2018')).toEqual({ kind: 'filter', key: 'year', from: 2018, to: 2021 });
    expect(f('after:2020-05')).toEqual({ kind: 'filter', key: 'after', year: 2020, month: 5, day: null });
    expect(f('before:2020-05-17')).toEqual({ kind: 'filter', key: 'before', year: 2020, month: 5, day: 17 });
    expect(f('after:2020')).toEqual({ kind: 'filter', key: 'after', year: 2020, month: null, day: null });
    expect(f('camera:Pixel')).toEqual({ kind: 'filter', key: 'camera', text: 'pixel' });
    expect(f('camera:"EOS 5D"')).toEqual({ kind: 'filter', key: 'camera', text: 'eos 5d' });
    expect(f('has:gps')).toEqual({ kind: 'filter', key: 'has', what: 'gps' });
    expect(f('HAS:Faces')).toEqual({ kind: 'filter', key: 'has', what: 'faces' });
    expect(f('faces:3+')).toEqual({ kind: 'filter', key: 'faces', min: 3, max: null });
    expect(f('faces:2')).toEqual({ kind: 'filter', key: 'faces', min: 2, max: 2 });
    expect(f('faces:0')).toEqual({ kind: 'filter', key: 'faces', min: 0, max: 0 });
    expect(f('faces:1-3')).toEqual({ kind: 'filter', key: 'faces', min: 1, max: 3 });
    expect(f('folder:Holidays')).toEqual({ kind: 'filter', key: 'folder', text: 'holidays' });
    expect(f('only:anna,Bob')).toEqual({ kind: 'filter', key: 'only', names: ['anna', 'bob'] });
    expect(f('only:"anna berg",bob')).toEqual({ kind: 'filter', key: 'only', names: ['anna berg', 'bob'] });
    expect(f('person:"Anna B"')).toEqual({ kind: 'filter', key: 'person', name: 'anna b' });
    expect(fmt('-year:2019 faces:3+ only:anna,bob')).toBe('(-year:2019 AND faces:3+ AND only:anna,bob)');
  });

  it('empty input is no query', () => {
    expect(parseQuery('')).toEqual({ ast: null, messages: [] });
    expect(parseQuery('   \t ')).toEqual({ ast: null, messages: [] });
  });
});

describe('parseQuery: bad input never throws and explains', () => {
  const cases: [string, string | null, RegExp][] = [
    ['"hot dog', '"hot dog"', /missing closing quote/],
    ['(dog cat', '(dog AND cat)', /missing \)/],
    ['dog) cat', '(dog AND cat)', /unmatched \)/],
    ['OR', null, /OR needs a term/],
    ['dog OR', 'dog', /OR needs a term/],
    ['OR dog', 'dog', /OR needs a term/],
    ['dog AND', 'dog', /AND needs a term/],
    ['NOT', null, /NOT needs a term/],
    ['dog -', 'dog', /- needs a term/],
    ['year:', null, /^year: expects a year like 2019$/],
    ['year:abc dog', 'dog', /^year: expects a year like 2019$/],
    ['after:2020-13', null, /^after: expects a date like 2020-05/],
    ['before:2021-02-30', null, /^before: expects a date/],
    ['faces:lots', null, /^faces: expects a number/],
    ['has:wings', null, /^has: expects gps, faces or text$/],
    ['only:', null, /^only: expects names/],
    ['person:', null, /^person: expects a name/],
    ['camera:', null, /^camera: expects/],
    ['colour:red dog', 'dog', /unknown filter colour:/],
    ['()', null, /empty \( \)/],
    ['""', null, /empty quotes/],
  ];
  for (const [q, ast, message] of cases) {
    it(JSON.stringify(q), () => {
      const r = parseQuery(q);
      expect(formatQuery(r.ast) || null).toBe(ast);
      expect(r.messages.some((m) => message.test(m))).toBe(true);
    });
  }

  it('a bad filter inside OR drops only itself', () => {
    const r = parseQuery('year:abc OR dog');
    expect(formatQuery(r.ast)).toBe('dog');
    expect(r.messages).toEqual(['year: expects a year like 2019']);
  });

  it('emoji are words; unknown ones say so', () => {
    const r = runQuery('🐶 🏖️', ctx);
    expect(r.ids).toEqual(new Set());
    expect(r.messages).toContain('no label or person called 🐶');
  });

  it('a 10k-character string is cut, parsed and evaluated', () => {
    const junk = Array.from({ length: 10_000 }, (_, i) => 'ab"(c)| -:,+😀 OR'[(i * 7919) % 17]).join('');
    expect(junk.length).toBe(10_000);
    const r = runQuery(junk, ctx);
    expect(r.messages[0]).toMatch(new RegExp(`too long.*${MAX_QUERY_CHARS}`));
  });

  it('deep nesting and long NOT chains do not blow the stack', () => {
    expect(() => runQuery('('.repeat(5000) + 'dog' + ')'.repeat(5000), ctx)).not.toThrow();
    expect(fmt('('.repeat(400) + 'dog' + ')'.repeat(400))).toBe('dog');
    expect(fmt('NOT '.repeat(201) + 'dog')).toBe('-dog');
  });

  it('fuzz: random token soup never throws', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const bits = ['dog', 'OR', 'or', '|', 'NOT', '-', '-dog', '(', ')', '"', '"hot dog"', 'year:', 'year:2019', 'after:2020-1', 'faces:3+', 'only:', 'only:anna,', 'person:"', ':', 'anna', 'berg', '\u0000', '😀', '\u200b', 'AND', '\\', ' '];
    for (let k = 0; k < 2000; k++) {
      const q = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => bits[Math.floor(rnd() * bits.length)]).join(rnd() < 0.5 ? ' ' : '');
      const r = runQuery(q, ctx);
      expect(Array.isArray(r.messages)).toBe(true);
      expect(r.ranked.length).toBe(r.ids === 'all' ? PHOTOS.length : r.ids.size);
    }
    // Non-strings from careless callers.
    expect(() => parseQuery(undefined as unknown as string)).not.toThrow();
    expect(() => parseQuery(42 as unknown as string)).not.toThrow();
  });
});

// ─────────────── evaluation ───────────────

describe('evaluateQuery', () => {
  it('labels, ranked by score', () => {
    const r = runQuery('dog', ctx);
    expect(r.ranked).toEqual([1, 3, 4, 7]);
    expect(r.why.get(1)).toBe('dog 90%');
    expect(r.messages).toEqual([]);
  });

  it('OR sums the scores of every word a photo matches; ties go newest first', () => {
    // 3: dog .5 + cat .6; 1 and 6 tie at .9, 1 has a date and 6 has none.
    expect(runQuery('dog OR cat', ctx).ranked).toEqual([3, 1, 6, 4, 7]);
    expect(runQuery('dog OR cat', ctx).why.get(3)).toBe('dog 50% · cat 60%');
  });

  it('AND / OR / NOT precedence on real sets', () => {
    expect(ids('dog beach')).toEqual([4]);
    expect(ids('anna dog OR beach')).toEqual([1, 2, 4]); // anna AND (dog OR beach)
    expect(ids('(anna dog) OR beach')).toEqual([1, 2, 4]);
    expect(ids('bob dog OR cat')).toEqual([3, 4]);
    expect(ids('(bob dog) OR cat')).toEqual([3, 4, 6]);
    expect(ids('dog -bob')).toEqual([1, 7]);
    expect(ids('dog NOT bob')).toEqual([1, 7]);
    expect(ids('-bob')).toEqual([1, 5, 6, 7]);
    expect(ids('NOT (dog OR cat)')).toEqual([2, 5]);
    expect(ids('-dog OR cat')).toEqual([2, 3, 5, 6]);
  });

  it('a bare word is a person first (full or first name, any case, any accent), then a label', () => {
    expect(ids('anna')).toEqual([1, 2, 4, 6]);
    expect(ids('ANNA BERG')).toEqual([1, 2, 4, 6]); // two bare words joined into a full name
    expect(ids('"anna berg"')).toEqual([1, 2, 4, 6]);
    expect(ids('anna berg beach')).toEqual([2, 4]);
    expect(runQuery('anna beach', ctx).ranked).toEqual([2, 4]);
    expect(runQuery('anna beach', ctx).why.get(2)).toBe('Anna Berg · beach 80%');
    expect(runQuery('anna berg', ctx).messages).toEqual([]);
    const c = makeCtx(PHOTOS, [...PEOPLE, { id: 4, name: 'Dog' }]);
    expect(ids('dog', c)).toEqual([]); // a person called Dog wins over the label
    expect(resolvePerson('zoe', [{ id: 1, name: 'Zoë Ann' }])).toEqual([{ id: 1, name: 'Zoë Ann' }]);
  });

  it('a first name shared by two people means either', () => {
    const c = makeCtx(PHOTOS, [...PEOPLE, { id: 3, name: 'Anna Karlsson' }]);
    expect(ids('anna', c)).toEqual([1, 2, 4, 6]);
    expect(ids('anna karlsson', c)).toEqual([4]);
    expect(runQuery('anna', c).why.get(4)).toBe('Anna Berg, Anna Karlsson');
  });

  it('only: these people, all of them, and no other named person', () => {
    expect(ids('only:anna,bob')).toEqual([2]); // 4 also has Carl
    expect(ids('only:anna')).toEqual([1, 6]); // 6's other face is an unnamed person: doesn't count
    expect(ids('only:bob,anna')).toEqual([2]);
    expect(ids('only:"anna berg",bob')).toEqual([2]);
    expect(ids('only:anna,bob,carl')).toEqual([4]);
    const r = runQuery('only:anna,zed', ctx);
    expect(r.ids).toEqual(new Set());
    expect(r.messages).toEqual(['no person called zed']);
  });

  it('person: never falls back to labels', () => {
    expect(ids('person:"anna berg"')).toEqual([1, 2, 4, 6]);
    const r = runQuery('person:dog', ctx);
    expect(r.ids).toEqual(new Set());
    expect(r.messages).toEqual(['no person called dog']);
  });

  it('faces:', () => {
    expect(ids('faces:3+')).toEqual([4]);
    expect(ids('faces:2+')).toEqual([2, 4, 6]);
    expect(ids('faces:2')).toEqual([2, 6]);
    expect(ids('faces:0')).toEqual([5]);
    expect(ids('faces:1-2')).toEqual([1, 2, 3, 6, 7]);
    expect(ids('has:faces')).toEqual([1, 2, 3, 4, 6, 7]);
  });

  it('dates: year, after and before include the whole period they name', () => {
    expect(ids('year:2019')).toEqual([1, 2]);
    expect(ids('year:2019..2020')).toEqual([1, 2, 3, 4, 5]);
    expect(ids('after:2020-05')).toEqual([3, 4, 5, 7]); // 3 is 1 May 00:00
    expect(ids('before:2020-05')).toEqual([1, 2, 3, 4]); // 4 is 31 May 23:59
    expect(ids('after:2020-05 before:2020-05')).toEqual([3, 4]);
    expect(ids('after:2020-05-17')).toEqual([4, 5, 7]);
    expect(ids('before:2020-05-31')).toEqual([1, 2, 3, 4]);
    expect(ids('before:2020-05-30')).toEqual([1, 2, 3]);
    expect(ids('after:2021')).toEqual([7]);
    expect(ids('-year:2019')).toEqual([3, 4, 5, 6, 7]); // undated photos are "not 2019"
  });

  it('camera, gps, folder', () => {
    expect(ids('camera:pixel')).toEqual([1, 3]);
    expect(ids('camera:"eos 5d"')).toEqual([5]);
    expect(ids('has:gps')).toEqual([1, 3]);
    expect(ids('folder:holidays')).toEqual([1, 2, 4]); // "holiday-snaps" is not "holidays"
    expect(ids('folder:HOLIDAY')).toEqual([1, 2, 4, 7]);
    expect(ids('folder:family')).toEqual([3, 4]);
    expect(ids('folder:2019')).toEqual([1, 2]);
    expect(ids('folder:holidays/2019')).toEqual([1, 2]);
    expect(ids('folder:a.jpg')).toEqual([]); // the file name is not a folder
  });

  it('filters combine with words and negation', () => {
    expect(ids('dog has:gps')).toEqual([1, 3]);
    expect(ids('dog -has:gps')).toEqual([4, 7]);
    expect(ids('dog after:2020-01 -bob')).toEqual([7]);
    expect(ids('beach OR camera:canon')).toEqual([2, 4, 5]);
  });

  it('bare words that name one thing are read as that phrase first', () => {
    expect(ids('"hot dog"')).toEqual([5]);
    const r = runQuery('hot dog', ctx);
    expect([...(r.ids as Set<number>)]).toEqual([5]);
    expect(r.messages).toEqual([]);
    // Quoted apart, they are two words again.
    expect(runQuery('"hot" "dog"', ctx).messages).toEqual(['no label or person called hot']);
  });

  it('a known word with no photo says so', () => {
    const c = { ...ctx, word: (t: string) => (t === 'zebra' ? { hits: new Map<number, QueryWordHit>() } : ctx.word(t)) };
    const r = runQuery('zebra', c);
    expect(r.ids).toEqual(new Set());
    expect(r.messages).toEqual(['no photo here shows zebra']);
  });

  it('a word read as something else says what it shows', () => {
    const c = { ...ctx, word: (t: string) => (t === 'dogg' ? { ...ctx.word('dog')!, note: 'no label called dogg; showing dog' } : ctx.word(t)) };
    const r = runQuery('dogg', c);
    expect(r.ranked).toEqual([1, 3, 4, 7]);
    expect(r.messages).toEqual(['no label called dogg; showing dog']);
  });

  it('an unknown word gets the message of the context, with its suggestions', () => {
    const c = { ...ctx, unknownWord: (t: string) => `no label or person called ${t}; did you mean dog?` };
    expect(runQuery('dgo', c).messages).toEqual(['no label or person called dgo; did you mean dog?']);
  });

  it('unknown words give an empty set and a message, also under NOT', () => {
    const r = runQuery('xyzzy', ctx);
    expect(r.ids).toEqual(new Set());
    expect(r.messages).toEqual(['no label or person called xyzzy']);
    expect(runQuery('dog OR xyzzy', ctx).ranked).toEqual([1, 3, 4, 7]);
    const n = runQuery('dog -xyzzy', ctx);
    expect([...(n.ids as Set<number>)].sort()).toEqual([1, 3, 4, 7]);
    expect(n.messages).toEqual(['no label or person called xyzzy']);
  });

  it('stop words that are no label are dropped silently', () => {
    expect(ids('photos of the dog')).toEqual([1, 3, 4, 7]);
    expect(runQuery('photos of the dog', ctx).messages).toEqual([]);
  });

  it('an empty or fully ignored query means everything, newest first', () => {
    const r = runQuery('', ctx);
    expect(r.ids).toBe('all');
    expect(r.ranked).toEqual([7, 5, 4, 3, 2, 1, 6]);
    expect(runQuery('year:abc', ctx).ids).toBe('all');
    expect(evaluateQuery(null, ctx).ids).toBe('all');
  });

  it('person-only results rank newest first', () => {
    expect(runQuery('bob', ctx).ranked).toEqual([4, 3, 2]);
  });
});

describe('evaluateQuery with an index that knows the newest-first order', () => {
  it('ranks exactly as the plain comparison does, ties and near-ties included', () => {
    const rand = prng(5);
    const words = ['dog', 'cat', 'beach', 'tree'];
    // Few distinct scores make ties; a score and its neighbour a hair above collide as float32s.
    const scoreChoices = [0.5, 0.5 + 1e-12, 0.25, 0.8, 0.8 - 1e-13, 0.1 + 0.2, 0.3, 1];
    const photos: Photo[] = Array.from({ length: 3000 }, (_, i) => {
      const labels: Record<string, number> = {};
      for (const w of words) if (rand() < 0.4) labels[w] = scoreChoices[Math.floor(rand() * scoreChoices.length)];
      return {
        id: 1 + i * 3,
        takenAt: rand() < 0.1 ? null : Math.floor(rand() * 40) * 1000,
        camera: null, gps: false, faceCount: 0, path: `p${i}.jpg`, labels,
        people: rand() < 0.2 ? [1] : [],
      };
    });
    const plain = makeCtx(photos);
    const order = [...photos].sort((a, b) => (b.takenAt ?? -Infinity) - (a.takenAt ?? -Infinity) || b.id - a.id).map((p) => p.id);
    const rank = new Map(order.map((id, i) => [id, i]));
    const indexed: QueryContext = { ...plain, newestRank: (id) => rank.get(id) ?? -1 };
    for (const q of ['dog', 'dog OR cat', 'dog cat -beach', 'anna', 'anna OR tree', 'dog OR cat OR beach OR tree', 'the', '-dog']) {
      const a = runQuery(q, plain);
      const b = runQuery(q, indexed);
      expect(b.ranked, q).toEqual(a.ranked);
      expect(b.ranked.map((id) => b.why.get(id)), q).toEqual(a.ranked.map((id) => a.why.get(id)));
    }
  });
});
