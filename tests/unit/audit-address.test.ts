import { auditAddress } from '../../src/api/graphql/audit-mutations';

describe('the address an audit row keeps', () => {
  it('writes IPv4-mapped IPv6 as IPv4 and keeps IPv6 whole', () => {
    expect(auditAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(auditAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(auditAddress('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
  });

  it('keeps no address when there is none', () => {
    expect(auditAddress('')).toBeNull();
  });
});
