import { TestApp, startTestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { StormSource, groupDelivery, send } from '../support/storm';

/**
 * The append path (a request whose every alert fires again on an open incident, written in one statement) against the
 * general path that writes the same kinds of changes through the ORM: same answers, counts and timeline entries.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const sql = <T = any>(query: string, params: unknown[] = []) => t.orm.em.getConnection().execute<T[]>(query, params);

describe('alerts firing again on an open incident', () => {
  it('are counted and written like the first ones, "still firing" and "firing again" alike', async () => {
    const org = await seedOrg(t.url);
    const s = await org.webhookSource({ kind: 'grafana', default_severity: 'P3' });
    const source: StormSource = { id: s.id, kind: 'grafana', bearerToken: s.bearer_token };
    const both = (a: 'firing' | 'resolved', b: 'firing' | 'resolved') =>
      groupDelivery(source, 'g', [
        { fingerprint: 'fp-a', status: a },
        { fingerprint: 'fp-b', status: b },
      ]);
    const opened = await send(t.url, both('firing', 'firing'));
    const key = opened.body.incidents[0].key;
    expect(opened.body.incidents.map((i: { action: string }) => i.action)).toEqual(['opened', 'grouped']);
    // Every alert fires again: the append path.
    const again = await send(t.url, both('firing', 'firing'));
    expect(again.body).toEqual({
      incidents: [
        { key, action: 'appended', dedup_key: 'fp-a' },
        { key, action: 'appended', dedup_key: 'fp-b' },
      ],
    });
    // One resolves (the general path), then both fire: one "again", one "still".
    expect(
      (await send(t.url, both('resolved', 'firing'))).body.incidents.map((i: { action: string }) => i.action),
    ).toEqual(['alert_resolved', 'appended']);
    const third = await send(t.url, both('firing', 'firing'));
    expect(third.body.incidents.map((i: { action: string }) => i.action)).toEqual(['appended', 'appended']);

    const alerts = await sql(
      `select dedup_key, status, occurrences, resolved_at from alerts where source_id = ? order by dedup_key`,
      [source.id],
    );
    expect(alerts).toEqual([
      { dedup_key: 'fp-a', status: 'firing', occurrences: 3, resolved_at: null },
      { dedup_key: 'fp-b', status: 'firing', occurrences: 4, resolved_at: null },
    ]);
    const entries = (
      await rest(t.url, 'GET', `/incident-events?incident_id=${key}&limit=100`, { token: org.owner.token })
    ).body.items;
    expect(
      entries.map((e: { type: string; message: string }) =>
        e.type === 'created' ? e.type : `${e.type} ${e.message.split(':')[0]}`,
      ),
    ).toEqual(
      [
        'created',
        'alert Alert firing from ' + s.name,
        'alert Alert joined from ' + s.name,
        'alert Alert still firing',
        'alert Alert still firing',
        'alert Alert resolved',
        'alert Alert still firing',
        'alert Alert firing again',
        'alert Alert still firing',
      ].map((line) => line.split(':')[0]),
    );
    // The entries written in one statement carry what the ORM path writes.
    const written = entries.filter((e: { type: string }) => e.type === 'alert');
    for (const e of written) {
      expect(e.actor_id).toBeNull();
      expect(Object.keys(e.data).sort()).toEqual(['dedup_key', 'labels', 'source_id', 'source_name', 'status']);
      expect(e.data.source_id).toBe(source.id);
    }
    // A replay of an appended delivery answers the same and counts nothing.
    const replay = await send(t.url, third.delivery);
    expect(replay.body).toEqual({ ...third.body, replayed: true });
    const after = await sql(`select sum(occurrences)::int as n from alerts where source_id = ?`, [source.id]);
    expect(after[0].n).toBe(7);
  });
});
