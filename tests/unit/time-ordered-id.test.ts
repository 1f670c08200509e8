import { isUuid } from '../../src/core/scalars';
import { timeOrderedId } from '../../src/core/ids';

describe('timeOrderedId', () => {
  it('makes version-7 UUIDs with the RFC 9562 variant and the millisecond in front', () => {
    const id = timeOrderedId(Date.UTC(2026, 10, 28, 12));
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 28, 12));
  });

  it('sorts ids made in the same millisecond in the order they were made, also past the counter', () => {
    const at = Date.UTC(2027, 0, 1);
    const ids = Array.from({ length: 5000 }, () => timeOrderedId(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
