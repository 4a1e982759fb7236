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
