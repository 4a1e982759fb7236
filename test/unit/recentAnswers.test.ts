import { describe, expect, it } from 'vitest';
import { RecentAnswers } from '../../src/library/search/recentAnswers';

describe('RecentAnswers', () => {
  it('keeps the last few answers, drops the least recently used, and forgets all when the version moves', () => {
    const computed: string[] = [];
    const answers = new RecentAnswers<string>(2);
    const ask = (version: number, key: string) => answers.get(version, key, () => (computed.push(`${version}:${key}`), `${key}@${version}`));
    expect(ask(1, 'dog')).toBe('dog@1');
    expect(ask(1, 'cat')).toBe('cat@1');
    expect(ask(1, 'dog')).toBe('dog@1'); // kept; now the most recent
    ask(1, 'car'); // drops cat, the least recently used
    ask(1, 'dog');
    ask(1, 'cat');
    expect(computed).toEqual(['1:dog', '1:cat', '1:car', '1:cat']);
    expect(ask(2, 'dog')).toBe('dog@2');
    expect(computed.at(-1)).toBe('2:dog');
  });
});

describe('RecentAnswers with a budget', () => {
  it('keeps answers within the budget, oldest dropped first; an answer over the whole budget is not kept', () => {
    const computed: string[] = [];
    const answers = new RecentAnswers<number[]>(10, { weight: (a) => a.length, budget: 5 });
    const ask = (key: string, n: number) => answers.get(1, key, () => (computed.push(key), new Array(n).fill(0)));
    ask('a', 2);
    ask('b', 2);
    ask('c', 2); // 6 > 5: drops a
    ask('b', 2);
    ask('a', 2);
    ask('huge', 6);
    ask('huge', 6);
    expect(computed).toEqual(['a', 'b', 'c', 'a', 'huge', 'huge']);
    expect(answers.peek(1, 'b')).toHaveLength(2);
    expect(answers.peek(1, 'c')).toBeUndefined();
  });
});
