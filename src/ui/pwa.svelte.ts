import { Workbox } from 'workbox-window';

/** Chromium's install prompt event (not in lib.dom). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** Service worker registration, the update prompt and the install prompt, as reactive state. */
export class Pwa {
  /** A new version is installed and waiting for the user's Reload. */
  needRefresh = $state(false);
  /** The first install finished precaching: from now on the app works offline. */
  offlineReady = $state(false);
  /** The browser offered installation (beforeinstallprompt). */
  canInstall = $state(false);
  /** Cleared while a reload would lose work (indexing); reload() refuses until it is set again. */
  canReloadNow = $state(true);
  /** Registration failed (the app still works online). */
  error = $state<string | null>(null);

  private installEvent: BeforeInstallPromptEvent | null = null;
  private started = false;
  private reloading = false;

  /** Registers the service worker (production builds only) and listens for install offers. Idempotent. */
  start(): void {
    if (this.started || typeof window === 'undefined') return;
    this.started = true;
    addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault(); // our own Install button instead of the browser's mini-infobar
      this.installEvent = e as BeforeInstallPromptEvent;
      this.canInstall = true;
    });
    addEventListener('appinstalled', () => {
      this.installEvent = null;
      this.canInstall = false;
    });
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;

    const sw = navigator.serviceWorker;
    let controlled = !!sw.controller;
    sw.addEventListener('controllerchange', () => {
      if (this.reloading) location.reload();
      // Another tab's Reload activated the new version under this page: this page is now the old one.
      else if (controlled) this.needRefresh = true;
      controlled = true;
    });

    const base = import.meta.env.BASE_URL;
    const wb = new Workbox(`${base}sw.js`, { scope: base });
    wb.addEventListener('waiting', () => (this.needRefresh = true));
    wb.addEventListener('installed', (e) => {
      if (!e.isUpdate) this.offlineReady = true;
    });
    wb.register()
      .then(() => setInterval(() => void wb.update().catch(() => {}), UPDATE_CHECK_MS))
      .catch((err: Error) => (this.error = `Offline mode is unavailable: ${err.message}`));
  }

  /** Whether a reload now would lose work (indexing): the update waits until it would not. */
  setBusy(busy: boolean): void {
    this.canReloadNow = !busy;
  }

  /** The user has read "works offline". */
  dismissOfflineReady(): void {
    this.offlineReady = false;
  }

  /** Shows the browser's install dialog; resolves with the user's choice. */
  async install(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
    const event = this.installEvent;
    if (!event) return 'unavailable';
    // The event can prompt only once.
    this.installEvent = null;
    this.canInstall = false;
    await event.prompt();
    return (await event.userChoice).outcome;
  }

  /** Activates the waiting version and reloads into it; false (and nothing happens) while canReloadNow is false. */
  async reload(): Promise<boolean> {
    if (!this.canReloadNow || this.reloading) return false;
    const waiting = (await navigator.serviceWorker?.getRegistration())?.waiting;
    this.reloading = true;
    // The reload happens on controllerchange, once the new worker controls this page.
    if (waiting) waiting.postMessage({ type: 'SKIP_WAITING' });
    else location.reload();
    return true;
  }
}

export const pwa = new Pwa();
