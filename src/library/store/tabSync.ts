import type { IndexProgress } from '../indexing/indexer';

/** What one tab of the app tells the others about the library they share. */
export type TabMessage =
  | { type: 'progress'; progress: IndexProgress; folderName: string | null }
  | { type: 'commit'; ids: number[] }
  | { type: 'removed'; ids: number[] }
  /** The whole library was replaced (an import): reload everything. */
  | { type: 'replaced' };

export const INDEX_LOCK = 'shoebox-indexing';
const CHANNEL = 'shoebox-library';

type Locks = {
  request<T>(name: string, opts: { ifAvailable?: boolean }, fn: (lock: unknown) => Promise<T>): Promise<T>;
  query(): Promise<{ held?: { name: string }[] }>;
};

/**
 * Tabs of the app on one library: one indexes at a time (a Web Lock, released by the browser even when that
 * tab is killed), and the others follow its progress and commits over a BroadcastChannel.
 */
export class TabSync {
  private channel: BroadcastChannel | null = null;
  private readonly locks: Locks | null;

  constructor(onMessage: (m: TabMessage) => void, name = CHANNEL) {
    if (typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(name);
      this.channel.onmessage = (e: MessageEvent<TabMessage>) => onMessage(e.data);
    }
    this.locks = (globalThis.navigator as { locks?: Locks } | undefined)?.locks ?? null;
  }

  post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  /** Runs fn while holding the indexing lock; `ran: false` without running it when another tab holds it. */
  async exclusive<T>(fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    // Without Web Locks (old browsers) there is nothing to coordinate with; run as before.
    if (!this.locks) return { ran: true, value: await fn() };
    return this.locks.request(INDEX_LOCK, { ifAvailable: true }, async (lock) => {
      if (!lock) return { ran: false } as const;
      return { ran: true, value: await fn() } as const;
    });
  }

  /** Whether some tab (maybe this one) holds the indexing lock now. */
  async indexingSomewhere(): Promise<boolean> {
    if (!this.locks) return false;
    const state = await this.locks.query();
    return (state.held ?? []).some((l) => l.name === INDEX_LOCK);
  }

  /** Resolves once the tab that indexes lets go of the lock: finished, or closed or killed. */
  whenIndexingEnds(): Promise<void> {
    if (!this.locks) return Promise.resolve();
    // Queue for the lock and hand it back at once.
    return this.locks.request(INDEX_LOCK, {}, async () => undefined);
  }

  close(): void {
    this.channel?.close();
    this.channel = null;
  }
}
