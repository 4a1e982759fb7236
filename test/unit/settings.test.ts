import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Settings } from '../../src/ui/settings.svelte';
import { freshDb } from './libraryFixtures';

describe('Settings', () => {
  it('starts from the defaults and keeps a change for the next visit', async () => {
    const db = await freshDb();
    const first = new Settings();
    await first.load(db);
    expect([first.objects, first.text, first.groupByMonth, first.faceMode]).toEqual([true, true, true, 'accurate']);
    first.faceMode = 'fast';
    await first.setGroupByMonth(false);
    expect(first.groupByMonth).toBe(false);

    const next = new Settings();
    await next.load(db);
    expect([next.objects, next.text, next.groupByMonth, next.faceMode]).toEqual([true, true, false, 'fast']);
  });

  it('a change before the library is open stays in memory only', async () => {
    const early = new Settings();
    await early.setGroupByMonth(false);
    expect(early.groupByMonth).toBe(false);
    const db = await freshDb();
    await early.load(db);
    expect(early.groupByMonth).toBe(true);
  });
});
