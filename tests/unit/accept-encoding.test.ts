import { pickEncoding } from '../../src/api/http/compressed-assets';

describe('Accept-Encoding for pages and assets', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.1, gzip', 'gzip'],
    ['identity', 'identity'],
    ['deflate', 'identity'],
    ['br;q=banana, gzip;q=0.9', 'br'],
    [',,;;,q=1', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});
