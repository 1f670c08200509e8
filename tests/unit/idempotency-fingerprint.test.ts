import { canonicalJson } from '../../src/api/idempotency/idempotency';

describe('the canonical JSON behind an Idempotency-Key fingerprint', () => {
  it('is the same whatever the key order, also nested', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'x' } })).toBe(
      canonicalJson({ a: { c: 'x', d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });

  it('leaves out fields that are undefined and writes dates as ISO strings', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ at: new Date('2026-11-28T09:12:00Z') })).toBe(
      canonicalJson({ at: '2026-11-28T09:12:00.000Z' }),
    );
  });

  it('tells different values, null and absence apart', () => {
    expect(canonicalJson({ severity: 'P1' })).not.toBe(canonicalJson({ severity: 'P2' }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
