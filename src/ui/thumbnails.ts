/** Where thumbnails come from: a batch read (one transaction) and, for a photo without one, its original file. */
export interface ThumbSource {
  read(ids: number[]): Promise<(Blob | undefined)[]>;
  original(id: number): Promise<File | null>;
}

/** Object URLs kept at most: a long scroll through 100k photos must not keep every thumbnail's blob alive. */
export const MAX_THUMB_URLS = 3000;

/**
 * The grid's thumbnails as object URLs, read lazily: cells asked for in the same turn (a row, a scroll step) are read
 * in one batch; each URL is kept until evicted (oldest first) or forgotten (its photo changed), then revoked.
 */
export class Thumbnails {
  private urls = new Map<number, Promise<string | null>>();
  private queue = new Map<number, (thumb: Blob | undefined) => void>();

  constructor(
    private readonly source: ThumbSource,
    private readonly max = MAX_THUMB_URLS,
    private readonly objectUrls: { create(b: Blob): string; revoke(url: string): void } = { create: (b) => URL.createObjectURL(b), revoke: (u) => URL.revokeObjectURL(u) },
  ) {}

  /** The URL when it was already asked for (maybe still reading); never starts a read. */
  ifAsked(id: number): Promise<string | null> | undefined {
    return this.urls.get(id);
  }

  url(id: number): Promise<string | null> {
    let url = this.urls.get(id);
    if (url) return url;
    // An index imported without thumbnails shows the original instead, when this visit can read it.
    url = this.readSoon(id).then(async (thumb) => {
      if (thumb) return this.objectUrls.create(thumb);
      const file = await this.source.original(id);
      return file ? this.objectUrls.create(file) : null;
    });
    this.urls.set(id, url);
    // No picture yet: ask again next time (the folder may be open by then).
    const asked = url;
    void asked.then((u) => u === null && this.urls.get(id) === asked && this.urls.delete(id));
    if (this.urls.size > this.max) {
      const [oldest] = this.urls.keys();
      this.forget(oldest);
    }
    return url;
  }

  /** Drops a photo's URL and frees its blob; a changed photo gets a new one. */
  forget(id: number): void {
    const url = this.urls.get(id);
    this.urls.delete(id);
    void url?.then((u) => u && this.objectUrls.revoke(u));
  }

  forgetAll(): void {
    for (const id of [...this.urls.keys()]) this.forget(id);
  }

  private readSoon(id: number): Promise<Blob | undefined> {
    return new Promise((resolve) => {
      if (this.queue.size === 0) setTimeout(() => void this.flush());
      this.queue.set(id, resolve);
    });
  }

  private async flush() {
    const batch = [...this.queue];
    this.queue.clear();
    const blobs = await this.source.read(batch.map(([id]) => id)).catch(() => batch.map(() => undefined));
    batch.forEach(([, resolve], i) => resolve(blobs[i]));
  }
}
