const normalize = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');

/**
 * The organization's record a model named, by id or by name (case, spaces, `-` and `_` ignored); null when none
 * matches. A model's answer is untrusted: only records of the caller's own catalog ever come out of it.
 */
export function matchCatalogRecord<T extends { id: string; name: string }>(
  records: T[],
  said: string | null | undefined,
): T | null {
  if (!said?.trim()) return null;
  const id = said.trim();
  const wanted = normalize(said);
  return records.find((r) => r.id === id || normalize(r.name) === wanted) ?? null;
}
