import { parseBearer } from '../../src/core/bearer';

describe('reading an Authorization header (one rule for tokens, API tokens and source tokens)', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['', { kind: 'none' }],
    ['   ', { kind: 'none' }],
    ['Bearer abc.def', { kind: 'token', token: 'abc.def' }],
    ['bearer argus_pat_x', { kind: 'token', token: 'argus_pat_x' }],
    ['  Bearer   tok  ', { kind: 'token', token: 'tok' }],
    [['Bearer first', 'Bearer second'], { kind: 'token', token: 'first' }],
    ['Basic dXNlcjpwYXNz', { kind: 'malformed' }],
    ['Bearer', { kind: 'malformed' }],
    ['Bearer two tokens', { kind: 'malformed' }],
    ['tok', { kind: 'malformed' }],
  ])('%j is %j', (header, expected) => {
    expect(parseBearer(header)).toEqual(expected);
  });
});
