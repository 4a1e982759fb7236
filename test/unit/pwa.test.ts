import { describe, expect, it } from 'vitest';
import { Pwa } from '../../src/ui/pwa.svelte';

describe('Pwa', () => {
  it('refuses to reload while busy (indexing), and nothing happens', async () => {
    const pwa = new Pwa();
    pwa.setBusy(true);
    expect(pwa.canReloadNow).toBe(false);
    expect(await pwa.reload()).toBe(false);
    pwa.setBusy(false);
    expect(pwa.canReloadNow).toBe(true);
  });

  it('"works offline" is shown until dismissed; install is unavailable until the browser offers it', async () => {
    const pwa = new Pwa();
    pwa.offlineReady = true;
    pwa.dismissOfflineReady();
    expect(pwa.offlineReady).toBe(false);
    expect(await pwa.install()).toBe('unavailable');
  });
});
