import { TokenService } from '../../src/modules/auth/tokens';

const config = {
  secret: 'unit-secret-unit-secret-unit-secret-0123',
  issuer: 'argus',
  audience: 'argus-api',
  accessTtlSeconds: 60,
  refreshTtlDays: 30,
};

describe('access token verification', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a token it already checked from memory, and stops accepting it when it expires', () => {
    const tokens = new TokenService(config);
    const token = tokens.signAccess({ sub: 'user-1', org: 'org-1', ver: 3 });
    expect(tokens.verifyAccess(token)).toEqual({ sub: 'user-1', org: 'org-1', ver: 3 });
    expect(tokens.verifyAccess(token)).toEqual({ sub: 'user-1', org: 'org-1', ver: 3 });
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect(() => tokens.verifyAccess(token)).toThrow('Invalid or expired access token');
  });

  it('never accepts a token that differs from a checked one, however slightly', () => {
    const tokens = new TokenService(config);
    const token = tokens.signAccess({ sub: 'user-1', org: 'org-1', ver: 3 });
    tokens.verifyAccess(token);
    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), org: 'org-2' }),
    ).toString('base64url');
    expect(() => tokens.verifyAccess(`${header}.${forgedPayload}.${signature}`)).toThrow(
      'Invalid or expired access token',
    );
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'AB' : 'AA');
    expect(() => tokens.verifyAccess(`${header}.${payload}.${flipped}`)).toThrow('Invalid or expired access token');
    const other = new TokenService({ ...config, secret: 'another-secret-another-secret-another-0' });
    expect(() => other.verifyAccess(token)).toThrow('Invalid or expired access token');
  });
});
