/**
 * The last few answers to a question about a changing source (an index), most recently used last: all of
 * them are forgotten when the source's version moves on.
 */
export class RecentAnswers<V> {
  private readonly answers = new Map<string, V>();
  private version = -1;

  constructor(private readonly size: number) {}

  /** The answer for `key` at `version`, computed only if not kept. */
  get(version: number, key: string, compute: () => V): V {
    if (version !== this.version) {
      this.answers.clear();
      this.version = version;
    }
    let answer = this.answers.get(key);
    if (answer !== undefined) this.answers.delete(key);
    else {
      answer = compute();
      if (this.answers.size >= this.size) this.answers.delete(this.answers.keys().next().value!);
    }
    this.answers.set(key, answer);
    return answer;
  }

  clear(): void {
    this.answers.clear();
  }
}
