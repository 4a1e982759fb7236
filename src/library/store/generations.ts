/**
 * Change counters in `meta`, bumped inside every transaction that changes a store, so a packed snapshot of
 * that store (snapshots.ts) can tell whether it is still current without reading the store itself.
 * - photos: the photos and embeddings stores;
 * - faces: the faces store (descriptors, people ids, "not this person").
 * A migration that rewrites either store must bump its counter too.
 */
export const GENERATION_KEYS = { photos: 'photosGeneration', faces: 'facesGeneration' } as const;
export type GenerationName = keyof typeof GENERATION_KEYS;
export type Generations = Partial<Record<GenerationName, number>>;

/** The part of an idb object store this needs, so any transaction holding `meta` can pass its store. */
interface MetaStore {
  get(key: string): Promise<unknown>;
  put(value: unknown, key: string): Promise<unknown>;
}

/** Adds one to each named counter; resolves to the new values (inside the caller's transaction). */
export async function bumpGenerations(meta: MetaStore, names: readonly GenerationName[]): Promise<Generations> {
  const out: Generations = {};
  await Promise.all(
    names.map(async (name) => {
      const next = (Number(await meta.get(GENERATION_KEYS[name])) || 0) + 1;
      await meta.put(next, GENERATION_KEYS[name]);
      out[name] = next;
    }),
  );
  return out;
}

/**
 * Which generation the in-memory indexes reflect. It starts from the generation they were loaded at, and moves
 * only through changes this tab made and applied itself: a change from elsewhere (another tab) leaves a gap, and
 * then no snapshot is written from memory until the next full load.
 */
export class GenerationTracker {
  private current: number | null;
  private readonly ahead = new Set<number>();

  constructor(loadedAt: number | null) {
    this.current = loadedAt;
  }

  get value(): number | null {
    return this.current;
  }

  /** A change this tab committed and has applied in memory. */
  applied(generation: number | undefined): void {
    if (generation === undefined || this.current === null) return;
    this.ahead.add(generation);
    while (this.ahead.delete(this.current + 1)) this.current++;
  }

  /** Memory now matches the database at this generation (a full reload). */
  reset(generation: number | null): void {
    this.current = generation;
    this.ahead.clear();
  }

  /** Applied changes wait for missing ones; an old gap never closes. */
  get gapped(): boolean {
    return this.ahead.size > 0;
  }
}
