import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { TestApp, startTestApp } from '../support/app';
import { seedOrg } from '../support/seed';

/** A raw GET: Node's fetch would decompress the body and hide Content-Encoding's effect on the bytes sent. */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (r: { headers: Record<string, unknown>; body: Buffer }): Buffer =>
  r.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? gunzipSync(r.body)
      : r.body;

describe('pages and assets, compressed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the GraphiQL page with brotli or gzip as asked, the same page each way, at a fraction of its size', async () => {
    const html = { accept: 'text/html' };
    const plain = await get(`${t.url}/graphql`, html);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(5_000_000);
    const br = await get(`${t.url}/graphql`, { ...html, 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(`${t.url}/graphql`, { ...html, 'accept-encoding': 'gzip' });
    expect([br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual(['br', 'gzip']);
    expect(decode(br).equals(plain.body)).toBe(true);
    expect(decode(gz).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.headers.vary).toBe('Accept-Encoding, Accept');
    expect(br.headers['cache-control']).toBe('no-cache');
  });

  it('answers a revalidation with 304 and no body', async () => {
    const first = await get(`${t.url}/graphql`, { accept: 'text/html', 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(`${t.url}/graphql`, {
      accept: 'text/html',
      'accept-encoding': 'br',
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const other = await get(`${t.url}/graphql`, { accept: 'text/html', 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
  });

  it('serves the Swagger UI assets compressed, cached for a day', async () => {
    const res = await get(`${t.url}/api/v1/docs/assets/swagger-ui-bundle.js`, {
      'accept-encoding': 'br;q=0.5, gzip;q=1',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toContain('text/javascript');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(decode(res).toString('utf8')).toContain('SwaggerUIBundle');
    const css = await get(`${t.url}/api/v1/docs/assets/swagger-ui.css`, { 'accept-encoding': 'br' });
    expect(css.headers['content-encoding']).toBe('br');
    expect(decode(css).length).toBeGreaterThan(css.body.length * 3);
  });

  it("serves only the package's own files: anything else is a 404, never a file read", async () => {
    for (const path of ['nope.js', '..%2Fpackage.json', '%2e%2e/%2e%2e/package.json', 'swagger-ui-bundle.js%00']) {
      const res = await get(`${t.url}/api/v1/docs/assets/${path}`);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });

  it('leaves JSON uncompressed by default', async () => {
    const org = await seedOrg(t.url);
    const res = await get(`${t.url}/api/v1/openapi.json`, {
      authorization: `Bearer ${org.owner.token}`,
      'accept-encoding': 'gzip, br',
    });
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('JSON compression with ARGUS_COMPRESS_JSON=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ARGUS_COMPRESS_JSON: 'true' });
  });
  afterAll(() => t.close());

  it('compresses JSON of 1 KB and more for clients that accept it, and nothing for those that do not', async () => {
    const org = await seedOrg(t.url);
    for (let i = 0; i < 5; i++) await org.incident({ title: `Compressed ${i}` });
    const auth = { authorization: `Bearer ${org.owner.token}` };
    const plain = await get(`${t.url}/api/v1/incidents/?limit=50`, auth);
    const br = await get(`${t.url}/api/v1/incidents/?limit=50`, { ...auth, 'accept-encoding': 'br' });
    const gz = await get(`${t.url}/api/v1/incidents/?limit=50`, { ...auth, 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect([br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual(['br', 'gzip']);
    expect(JSON.parse(decode(br).toString()).items).toHaveLength(JSON.parse(plain.body.toString()).items.length);
    expect(JSON.parse(decode(gz).toString()).total).toBe(JSON.parse(plain.body.toString()).total);
    const small = await get(`${t.url}/healthz`, { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ status: 'ok' });
  });
});
