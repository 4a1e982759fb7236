/**
 * The app's search, run in Node on a dump of an indexed library (eval:search --from-dump): for tuning the
 * thresholds without indexing again. The figures that count come from the app itself (eval:search --photos).
 */
import { SearchIndex, type PhotoMeta } from '../../src/library/search/searchIndex';
import { runQuery } from '../../src/library/search/queryParser';
import { libraryQueryContext } from '../../src/library/search/libraryQuery';

export function answerQueries(metas: PhotoMeta[], queries: string[]): { messages: string[]; items: { path: string; why?: string }[] }[] {
  const search = SearchIndex.fromMetas(metas);
  const ctx = libraryQueryContext(search, null);
  return queries.map((text) => {
    const r = runQuery(text, ctx);
    return { messages: r.messages, items: r.ranked.map((id) => ({ path: search.get(id)!.path, why: r.why.get(id) })) };
  });
}
