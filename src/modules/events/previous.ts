/** The values that `changes` would replace on `record`, relations by id: the `previous` of an event. */
export function previousValues(record: object, changes: Record<string, unknown>): Record<string, unknown> {
  const current = record as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || !(key in current)) continue;
    const before = current[key];
    const plain = before && typeof before === 'object' && 'id' in before ? (before as { id: string }).id : before;
    const next = value && typeof value === 'object' && 'id' in value ? (value as { id: string }).id : value;
    if (plain instanceof Date && next instanceof Date ? plain.getTime() !== next.getTime() : plain !== next)
      out[key] = plain;
  }
  return out;
}
