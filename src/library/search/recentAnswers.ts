/**
 * The last few answers to a question about a changing source (an index), most recently used last: all of
 * them are forgotten when the source's version moves on. With a weight, the answers kept also stay within a
 * budget (an answer heavier than the whole budget is returned but not kept).
 */
export class RecentAnswers<V> {
  private readonly answers = new Map<string, V>();
  private version = -1;
  private weight = 0;

  constructor(
    private readonly size: number,
    private readonly limit?: { weight: (answer: V) => number; budget: number },
  ) {}

  /** The answer for `key` at `version`, computed only if not kept. */
  get(version: number, key: string, compute: () => V): V {
    let answer = this.peek(version, key);
    if (answer !== undefined) this.answers.delete(key);
    else {
      answer = compute();
      const w = this.limit?.weight(answer) ?? 0;
      if (this.limit && w > this.limit.budget) return answer;
      this.weight += w;
      while (this.answers.size >= this.size || (this.limit && this.weight > this.limit.budget && this.answers.size)) this.evictOldest();
    }
    this.answers.set(key, answer);
    return answer;
  }

  /** The answer kept for `key` at `version`, without computing it or making it recent. */
  peek(version: number, key: string): V | undefined {
    if (version !== this.version) {
      this.clear();
      this.version = version;
    }
    return this.answers.get(key);
  }

  clear(): void {
    this.answers.clear();
    this.weight = 0;
  }

  private evictOldest(): void {
    const [key, answer] = this.answers.entries().next().value!;
    this.answers.delete(key);
    if (this.limit) this.weight -= this.limit.weight(answer);
  }
}
