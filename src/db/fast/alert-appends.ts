import type { EntityManager } from '@mikro-orm/postgresql';

/** One alert that fires again on its open incident: its row's new state and the timeline entry that says so. */
export interface AlertAppend {
  alertId: string;
  incidentId: string;
  title: string;
  labels: Record<string, string>;
  payload: Record<string, unknown>;
  eventId: string;
  message: string;
  data: Record<string, unknown>;
}

/** The processed webhook-id written with the appends. */
export interface ReceiptRow {
  id: string;
  sourceId: string;
  webhookId: string;
  summary: Record<string, unknown>;
}

/**
 * The storm's common case in one statement: every alert of a request fires again on an incident already open. Each
 * alert row is counted (`occurrences + 1`) and refreshed, each incident gets its `alert` timeline entry, and the
 * receipt is written, as data-modifying CTEs over the rows passed as one JSON parameter. The same columns and values
 * as the ORM's flush of the same changes (tests/integration/inbound-alerts.test.ts reads them back through the API).
 * The alerts must have distinct ids: a row is updated once per statement.
 */
export async function appendAlerts(
  em: EntityManager,
  organizationId: string,
  occurredAt: Date,
  rows: AlertAppend[],
  receipt: ReceiptRow | null,
): Promise<void> {
  const now = new Date();
  const input = JSON.stringify(
    rows.map((r) => ({
      alert_id: r.alertId,
      incident_id: r.incidentId,
      title: r.title,
      labels: r.labels,
      payload: r.payload,
      event_id: r.eventId,
      message: r.message,
      data: r.data,
    })),
  );
  const ctes = [
    `input as (select * from jsonb_to_recordset(?::jsonb) as i(alert_id uuid, incident_id uuid, title text, labels jsonb, payload jsonb, event_id uuid, message text, data jsonb))`,
    `appended as (update alerts a set status = 'firing', resolved_at = null, title = i.title, labels = i.labels, payload = i.payload,
       last_received_at = ?, occurrences = a.occurrences + 1, updated_at = ? from input i where a.id = i.alert_id and a.organization_id = ? returning a.id)`,
    `entries as (insert into incident_events (id, created_at, updated_at, organization_id, incident_id, type, message, data, occurred_at, actor_id)
       select i.event_id, ?, ?, ?, i.incident_id, 'alert', i.message, i.data, ?, null from input i returning id)`,
  ];
  const params: unknown[] = [input, occurredAt, now, organizationId, now, now, organizationId, occurredAt];
  if (receipt) {
    ctes.push(
      `receipt as (insert into webhook_receipts (id, created_at, updated_at, organization_id, source_id, webhook_id, summary) values (?, ?, ?, ?, ?, ?, ?::jsonb) returning id)`,
    );
    params.push(
      receipt.id,
      now,
      now,
      organizationId,
      receipt.sourceId,
      receipt.webhookId,
      JSON.stringify(receipt.summary),
    );
  }
  const [counts] = await em.execute<Array<{ appended: number; entries: number }>>(
    `with ${ctes.join(', ')} select (select count(*) from appended)::int as appended, (select count(*) from entries)::int as entries${receipt ? ', (select count(*) from receipt)::int as receipts' : ''}`,
    params,
  );
  if (counts.appended !== rows.length || counts.entries !== rows.length)
    throw new Error(`alert appends: ${counts.appended} rows and ${counts.entries} entries written of ${rows.length}`);
}

/** The latest alert of a dedup key whose incident is open, as the append path needs it. */
export interface OpenAlertRow {
  alertId: string;
  dedupKey: string;
  status: 'firing' | 'resolved';
  incidentId: string;
  incidentNumber: number;
}

/**
 * For each of `keys` of the source, its latest alert whose incident is not resolved or closed, with the incident
 * locked (`FOR UPDATE OF`: a status changed meanwhile is re-read before the row is returned, and a row whose incident
 * no longer qualifies is left out). Keys without one are absent.
 */
export async function openAlertsByKey(
  em: EntityManager,
  sourceId: string,
  keys: string[],
): Promise<Map<string, OpenAlertRow>> {
  const rows = await em.execute<
    Array<{
      id: string;
      dedup_key: string;
      status: 'firing' | 'resolved';
      incident_id: string;
      number: number;
      created_at: Date;
    }>
  >(
    `select a.id, a.dedup_key, a.status, a.incident_id, a.created_at, i.number from alerts a join incidents i on i.id = a.incident_id
      where a.source_id = ? and a.dedup_key in (select jsonb_array_elements_text(?::jsonb)) and i.status not in ('resolved', 'closed')
      order by i.id, a.created_at desc, a.id desc for update of i`,
    [sourceId, JSON.stringify(keys)],
  );
  const latest = new Map<string, OpenAlertRow & { createdAt: number }>();
  for (const r of rows) {
    const current = latest.get(r.dedup_key);
    const createdAt = new Date(r.created_at).getTime();
    // A key has one open incident; should it have more, the newest alert row decides, as on the general path.
    if (!current || createdAt > current.createdAt) {
      latest.set(r.dedup_key, {
        alertId: r.id,
        dedupKey: r.dedup_key,
        status: r.status,
        incidentId: r.incident_id,
        incidentNumber: Number(r.number),
        createdAt,
      });
    }
  }
  return latest;
}

/** The receipt of a processed `webhook-id` of the source: the summary it was answered with, or null. */
export async function receiptSummary(
  em: EntityManager,
  sourceId: string,
  webhookId: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await em.execute<Array<{ summary: Record<string, unknown> }>>(
    'select summary from webhook_receipts where source_id = ? and webhook_id = ?',
    [sourceId, webhookId],
  );
  return row?.summary ?? null;
}
