import { clientAddress } from '../../src/core/client-address';

describe('the address a client is counted under', () => {
  it('keeps IPv4 addresses, also when mapped into IPv6', () => {
    expect(clientAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('reduces IPv6 to its /64 network, however it is written', () => {
    expect(clientAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
  });

  it('has a name for an unknown address', () => {
    expect(clientAddress(undefined)).toBe('unknown');
  });
});
