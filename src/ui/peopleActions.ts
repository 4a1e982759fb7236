import type { People } from '../library/people/people';

/**
 * Names a person. If someone else already has that name, the user is asked whether they are the same person
 * (then the two merge) or two people who share a name. Returns the id the person has afterwards.
 */
export function nameOrMerge(people: People, personId: number, text: string, ask: (q: string) => boolean = (q) => confirm(q)): number {
  const name = text.replace(/\s+/g, ' ').trim();
  const namesake = name ? people.withName(name).find((id) => id !== personId) : undefined;
  if (namesake !== undefined && people.person(namesake) && ask(`There is already someone called ${name}. Is this the same person? OK merges them; Cancel keeps two people called ${name}.`)) {
    return people.merge(namesake, personId);
  }
  people.rename(personId, name);
  return personId;
}

/** Merges several people into one: the first named one (else the one with most photos) keeps its id and name. */
export function mergeAll(people: People, ids: number[]): number | null {
  const summaries = ids.map((id) => people.person(id)).filter((p) => p !== null);
  if (summaries.length < 2) return summaries[0]?.id ?? null;
  const into = summaries.find((p) => p.name) ?? [...summaries].sort((a, b) => b.photoCount - a.photoCount)[0];
  for (const p of summaries) if (p.id !== into.id) people.merge(into.id, p.id);
  return into.id;
}
