import { decodeIndexChange } from '../../src/ai/similar/index-changes';
import { rootTransaction } from '../../src/db/deferred-transaction';

const org = '0b6f3c1e-6a53-4c1e-9d2f-4f7a1b2c3d4e';
const incident = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('similar-index notifications', () => {
  it('reads the payload PostgreSQL builds', () => {
    expect(decodeIndexChange(`{"o" : "${org}", "i" : "${incident}", "op" : "upsert", "v" : 12}`)).toEqual({
      organizationId: org,
      incidentId: incident,
      op: 'upsert',
      version: 12,
    });
    expect(decodeIndexChange(JSON.stringify({ o: org, i: incident, op: 'delete', v: 1 }))?.op).toBe('delete');
  });

  it.each([
    undefined,
    '',
    'not json',
    '"a string"',
    JSON.stringify({ o: 'x', i: incident, op: 'upsert', v: 1 }),
    JSON.stringify({ o: org, i: incident, op: 'drop', v: 1 }),
    JSON.stringify({ o: org, i: incident, op: 'upsert', v: 0 }),
    JSON.stringify({ o: org, i: incident, op: 'upsert', v: '3' }),
  ])('ignores what is not one of its own (%j)', (payload) => {
    expect(decodeIndexChange(payload)).toBeNull();
  });
});

describe('rootTransaction', () => {
  it('walks from a savepoint to the transaction that commits', () => {
    const parent = Symbol('parentTransaction');
    const root = {};
    const nested = { [parent]: root };
    const deeper = { [parent]: nested };
    expect(rootTransaction(deeper)).toBe(root);
    expect(rootTransaction(root)).toBe(root);
  });
});
