import { afterEach, describe, expect, it, vi } from 'vitest';
import { Theme } from '../../src/ui/theme.svelte';

function setup(saved: string | null, systemDark = false) {
  vi.stubGlobal('matchMedia', (q: string) => ({ matches: q === '(prefers-color-scheme: dark)' && systemDark }));
  const stored = new Map<string, string>(saved === null ? [] : [['shoebox-theme', saved]]);
  const store = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
  const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement;
  return { theme: new Theme(root, store), root, stored };
}

afterEach(() => vi.unstubAllGlobals());

describe('Theme', () => {
  it('follows the system until the user picks, and leaves <html> unmarked meanwhile', () => {
    const light = setup(null, false);
    expect([light.theme.choice, light.theme.effective, light.root.dataset.theme]).toEqual(['system', 'light', undefined]);
    const dark = setup(null, true);
    expect(dark.theme.effective).toBe('dark');
  });

  it('restores a saved choice and ignores a value it does not know', () => {
    const saved = setup('dark', false);
    expect([saved.theme.choice, saved.theme.effective, saved.root.dataset.theme]).toEqual(['dark', 'dark', 'dark']);
    expect(setup('purple').theme.choice).toBe('system');
  });

  it('the toggle flips what is shown and keeps it', () => {
    const { theme, root, stored } = setup(null, true);
    theme.toggle();
    expect([theme.choice, theme.effective, root.dataset.theme, stored.get('shoebox-theme')]).toEqual(['light', 'light', 'light', 'light']);
    theme.toggle();
    expect([theme.effective, root.dataset.theme]).toEqual(['dark', 'dark']);
    theme.set('system');
    expect([theme.effective, root.dataset.theme, stored.get('shoebox-theme')]).toEqual(['dark', undefined, 'system']);
  });
});
