import { describe, expect, it } from 'vitest';
import { Thumbnails, type ThumbSource } from '../../src/ui/thumbnails';

function setup(thumbs: Record<number, string>, originals: Record<number, string> = {}, max = 100) {
  const reads: number[][] = [];
  const revoked: string[] = [];
  let n = 0;
  const source: ThumbSource = {
    read: async (ids) => {
      reads.push(ids);
      return ids.map((id) => (thumbs[id] ? new Blob([thumbs[id]]) : undefined));
    },
    original: async (id) => (originals[id] ? new File([originals[id]], `${id}.jpg`) : null),
  };
  const made = new Map<string, Blob>();
  const t = new Thumbnails(source, max, {
    create: (b) => {
      const u = `blob:${++n}`;
      made.set(u, b);
      return u;
    },
    revoke: (u) => void revoked.push(u),
  });
  return { t, reads, revoked, text: (u: string | null) => (u ? made.get(u)!.text() : null) };
}

describe('Thumbnails', () => {
  it('reads the cells asked for in one turn in one batch, and asks once per photo', async () => {
    const { t, reads, text } = setup({ 1: 'a', 2: 'b', 3: 'c' });
    const [a, b, c] = [t.url(1), t.url(2), t.url(3)];
    expect(t.url(2)).toBe(b);
    expect(await text(await a)).toBe('a');
    expect(await text(await c)).toBe('c');
    await b;
    expect(reads).toEqual([[1, 2, 3]]);
    expect(t.ifAsked(1)).toBe(a);
    expect(t.ifAsked(9)).toBeUndefined();
  });

  it('shows the original when there is no thumbnail, and asks again later when there is neither', async () => {
    const { t, reads, text } = setup({}, { 1: 'full' });
    expect(await text(await t.url(1))).toBe('full');
    expect(await t.url(2)).toBeNull();
    await Promise.resolve();
    expect(t.ifAsked(2)).toBeUndefined();
    await t.url(2);
    expect(reads.flat().filter((id) => id === 2)).toHaveLength(2);
  });

  it('evicts the oldest URL past its limit and revokes it; forgetting a photo revokes its URL', async () => {
    const { t, revoked } = setup({ 1: 'a', 2: 'b', 3: 'c' }, {}, 2);
    const first = await t.url(1);
    await t.url(2);
    await t.url(3);
    await Promise.resolve();
    expect(t.ifAsked(1)).toBeUndefined();
    expect(revoked).toEqual([first]);
    const second = await t.url(2);
    t.forget(2);
    await Promise.resolve();
    expect(revoked).toEqual([first, second]);
    t.forgetAll();
    await Promise.resolve();
    expect(revoked).toHaveLength(3);
  });
});
