import fc from 'fast-check';
import { SsrfError, TargetPolicy, embeddedIPv4 } from '../../src/modules/webhook-deliveries/ssrf';

/** Every IPv6 form that carries an IPv4 address is judged as that IPv4 address, whatever it is. */
const policy = new TargetPolicy('');
const verdict = (address: string) => {
  try {
    policy.checkAddress('host', address);
    return 'allowed';
  } catch (error) {
    if (!(error instanceof SsrfError)) throw error;
    return 'refused';
  }
};

const hex = (a: number[]) => `${((a[0] << 8) | a[1]).toString(16)}:${((a[2] << 8) | a[3]).toString(16)}`;
/** The IPv6 forms of an IPv4 address. */
const FORMS: Array<[string, (a: number[]) => string]> = [
  ['mapped, dotted', (a) => `::ffff:${a.join('.')}`],
  ['mapped, hex', (a) => `::ffff:${hex(a)}`],
  ['compatible', (a) => `::${a.join('.')}`],
  ['NAT64', (a) => `64:ff9b::${a.join('.')}`],
  ['NAT64, hex', (a) => `64:ff9b::${hex(a)}`],
  ['NAT64 local-use', (a) => `64:ff9b:1::${hex(a)}`],
  ['6to4', (a) => `2002:${hex(a)}::1`],
  ['Teredo client', (a) => `2001:0:4136:e378:8000:63bf:${hex(a.map((x) => x ^ 0xff))}`],
  ['Teredo server', (a) => `2001:0:${hex(a)}:0:0:0:1`],
];
const INTERNAL = [
  '127.0.0.1',
  '10.1.2.3',
  '172.16.0.9',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '198.18.0.5',
];

describe('IPv6 addresses that embed IPv4', () => {
  it.each(FORMS)('%s forms of internal and metadata addresses are refused', (_name, form) => {
    for (const v4 of INTERNAL) {
      const address = form(v4.split('.').map(Number));
      // ::0.0.0.0 is ::, IPv6's own unspecified address (refused as such).
      if (address !== '::0.0.0.0') expect(embeddedIPv4(address)).toContain(v4);
      expect({ address, verdict: verdict(address) }).toEqual({ address, verdict: 'refused' });
    }
  });

  it('judges every form of any IPv4 address as the address itself (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }),
        fc.constantFrom(...FORMS),
        (a, [, form]) => {
          const own = verdict(a.join('.'));
          const address = form(a);
          // Teredo also carries its server's address, which is public in these forms: the client decides.
          expect({ address, verdict: verdict(address) }).toEqual({ address, verdict: own });
        },
      ),
      { seed: 18, numRuns: 300 },
    );
  });

  it('leaves other IPv6 addresses to the IPv6 ranges', () => {
    expect(verdict('::1')).toBe('refused');
    expect(verdict('fd00::1')).toBe('refused');
    expect(verdict('2606:4700::1111')).toBe('allowed');
    expect(embeddedIPv4('2606:4700::1111')).toEqual([]);
  });
});
