import { TestApp, startTestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { ENTITY_SPECS, EntitySpec } from '../support/entities';
import { SeedOrg, seedOrg } from '../support/seed';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const page = (body: { items: Array<{ id: string }>; total: number; next_cursor: string | null }) => body;

/** The uniform CRUD contract, checked the same way for every entity of tests/support/entities.ts. */
describe.each(ENTITY_SPECS.map((spec) => [spec.name, spec] as [string, EntitySpec]))(
  'the uniform CRUD of %s',
  (_name, spec) => {
    let org: SeedOrg;
    beforeAll(async () => {
      org = await seedOrg(t.url);
    });

    it('reads a created record by id (and key) on REST and GraphQL', async () => {
      const record = await spec.make(org);
      const refs = [record.id, ...(spec.keyed && record.key ? [record.key] : [])];
      for (const ref of refs) {
        const res = await rest(t.url, 'GET', `${spec.path}/${ref}`, { token: org.owner.token });
        expect([ref, res.status, res.body.id]).toEqual([ref, 200, record.id]);
        const idType = spec.keyed ? 'IdOrKey' : 'UUID';
        const viaGraphQL = await gqlRaw(
          t.url,
          { query: `query($id: ${idType}!) { ${spec.single}(id: $id) { id } }`, variables: { id: ref } },
          org.owner.token,
        );
        expect(viaGraphQL.data?.[spec.single]?.id).toBe(record.id);
      }
    });

    it('lists with keyset pagination and a stable total', async () => {
      const made = [await spec.make(org), await spec.make(org)];
      const first = page((await rest(t.url, 'GET', `${spec.path}?limit=1`, { token: org.owner.token })).body);
      expect(first.items).toHaveLength(1);
      expect(first.total).toBeGreaterThanOrEqual(2);
      const seen = [...first.items.map((i) => i.id)];
      let cursor = first.next_cursor;
      while (cursor) {
        const next = page(
          (await rest(t.url, 'GET', `${spec.path}?limit=1&cursor=${cursor}`, { token: org.owner.token })).body,
        );
        seen.push(...next.items.map((i) => i.id));
        cursor = next.next_cursor;
      }
      expect(seen).toHaveLength(first.total);
      expect(new Set(seen).size).toBe(seen.length);
      for (const m of made) expect(seen).toContain(m.id);
    });

    if (spec.update) {
      it('updates only the fields sent', async () => {
        const record = await spec.make(org);
        const res = await rest(t.url, 'PATCH', `${spec.path}/${record.id}`, {
          token: org.owner.token,
          body: spec.update,
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject(spec.update!);
        const read = await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: org.owner.token });
        expect(read.body).toMatchObject(spec.update!);
      });
    }

    if (spec.deletable !== false) {
      it('deletes with 204, after which the record is not found', async () => {
        const record = await spec.make(org);
        const res = await rest(t.url, 'DELETE', `${spec.path}/${record.id}`, { token: org.owner.token });
        expect(res.status).toBe(204);
        expect((await rest(t.url, 'GET', `${spec.path}/${record.id}`, { token: org.owner.token })).status).toBe(404);
      });
    } else {
      it('offers no create, update or delete', async () => {
        const record = await spec.make(org);
        expect(
          (await rest(t.url, 'PATCH', `${spec.path}/${record.id}`, { token: org.owner.token, body: {} })).status,
        ).toBe(405);
        expect((await rest(t.url, 'DELETE', `${spec.path}/${record.id}`, { token: org.owner.token })).status).toBe(405);
        expect((await rest(t.url, 'POST', spec.path, { token: org.owner.token, body: {} })).status).toBe(405);
      });
    }

    if (Object.keys(spec.invalid).length) {
      it('refuses an invalid create with 400 and writes nothing', async () => {
        const before = (await rest(t.url, 'GET', `${spec.path}?limit=1`, { token: org.owner.token })).body.total;
        const res = await rest(t.url, 'POST', spec.path, { token: org.owner.token, body: spec.invalid });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect((await rest(t.url, 'GET', `${spec.path}?limit=1`, { token: org.owner.token })).body.total).toBe(before);
      });
    }
  },
);
