/** People's names in queries, and words that carry no meaning. */

export interface NamedPerson {
  id: number;
  name: string;
}


/** Words that carry no meaning here, dropped only when they are neither a person nor a label. */
export const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'with', 'in', 'on', 'at', 'and', 'photo', 'photos', 'picture', 'pictures', 'pic', 'pics', 'image', 'images']);

/** Lowercase, no accents, single spaces: "Zoë  Ann" and "zoe ann" are the same name. */
export function normalizeName(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * People a query name refers to: those whose full name equals it, otherwise those whose first name does
 * (possibly several: "anna" → Anna B and Anna K). Empty when none.
 */
export function resolvePerson(name: string, people: Iterable<NamedPerson>, fullOnly = false): NamedPerson[] {
  const q = normalizeName(name);
  if (!q) return [];
  const full: NamedPerson[] = [];
  const first: NamedPerson[] = [];
  for (const p of people) {
    const n = normalizeName(p.name);
    if (!n) continue;
    if (n === q) full.push(p);
    else if (!fullOnly && n.split(' ')[0] === q) first.push(p);
  }
  return full.length ? full : first;
}
