import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventPublisher } from '../events/event-publisher.js';
import { TENANT_FILTER } from '../../db/tenancy.js';
import { Incident } from '../incidents/incident.entity.js';
import { published } from '../incidents/incident.service.js';
import { IncidentEventType } from '../incidents/incident.enums.js';
import { SlaClockName, breachEntry } from './sla-clock.js';

/** One breach, marked and written to the timeline by one run; what the webhooks will announce. */
export interface SlaBreachRecord {
  incidentId: string;
  organizationId: string;
  clock: SlaClockName;
  dueAt: Date;
  policyId: string | null;
  eventId: string;
}

interface MarkedRow {
  id: string;
  organization_id: string;
  sla_policy_id: string | null;
  response: boolean;
  resolution: boolean;
  sla_response_due_at: Date | null;
  sla_resolution_due_at: Date | null;
}

const RESPONSE_DUE = `(sla_response_due_at < ? and sla_response_stopped_at is null and sla_response_breached_at is null)`;
const RESOLUTION_DUE = `(sla_resolution_due_at < ? and sla_resolution_stopped_at is null and sla_resolution_breached_at is null)`;

/**
 * Marks a batch of overdue clocks in ONE statement. `for update skip locked` hands each row to one run only (a
 * concurrent run skips it; a row being acknowledged right now is skipped and looked at next time), and the due
 * conditions are checked on the latest row version, so a clock stopped or marked by someone else is never marked.
 * The flags say which clock this statement marked.
 */
const MARK_SQL = `
with due as (
  select id, ${RESPONSE_DUE} as response, ${RESOLUTION_DUE} as resolution
  from incidents
  where ${RESPONSE_DUE} or ${RESOLUTION_DUE}
  order by id
  limit ?
  for update skip locked
)
update incidents i set
  sla_response_breached_at = case when due.response then i.sla_response_due_at else i.sla_response_breached_at end,
  sla_resolution_breached_at = case when due.resolution then i.sla_resolution_due_at else i.sla_resolution_breached_at end,
  sla_breached = true,
  updated_at = ?
from due
where i.id = due.id
returning i.id, i.organization_id, i.sla_policy_id, due.response, due.resolution, i.sla_response_due_at, i.sla_resolution_due_at`;

const INSERT_EVENT_SQL = `
insert into incident_events (id, organization_id, incident_id, type, message, actor_id, data, occurred_at, created_at, updated_at)
values (?, ?, ?, ?, ?, null, ?::jsonb, ?, ?, ?)`;

/**
 * Finds SLA clocks past their due time and records each breach exactly once: the breach stamp on the incident and a
 * `sla_breached` timeline entry, in the same transaction. It spans every organization, so it is the one place that
 * works without a tenant context, and it does so with explicit SQL that names the organization of every row it writes.
 */
export class SlaBreachJob {
  constructor(
    private readonly orm: MikroORM,
    private readonly events?: EventPublisher,
    private readonly batchSize = 500,
  ) {}

  async runOnce(now: Date): Promise<SlaBreachRecord[]> {
    const all: SlaBreachRecord[] = [];
    for (;;) {
      const { marked, breaches } = await this.orm.em.fork().transactional((em) => this.markBatch(em, now));
      all.push(...breaches);
      if (marked < this.batchSize) return all;
    }
  }

  private async markBatch(em: EntityManager, now: Date): Promise<{ marked: number; breaches: SlaBreachRecord[] }> {
    const connection = em.getConnection();
    const trx = em.getTransactionContext<object>();
    const rows = await connection.execute<MarkedRow[]>(MARK_SQL, [now, now, now, now, this.batchSize, now], 'all', trx);
    const breaches: SlaBreachRecord[] = [];
    for (const row of rows) {
      const clocks: Array<[SlaClockName, Date | null]> = [];
      if (row.response) clocks.push(['response', row.sla_response_due_at]);
      if (row.resolution) clocks.push(['resolution', row.sla_resolution_due_at]);
      for (const [clock, due] of clocks) {
        const dueAt = new Date(due!);
        const entry = breachEntry({ clock, dueAt }, now, row.sla_policy_id);
        const eventId = randomUUID();
        await connection.execute(
          INSERT_EVENT_SQL,
          [
            eventId,
            row.organization_id,
            row.id,
            IncidentEventType.sla_breached,
            entry.message,
            JSON.stringify(entry.data),
            dueAt,
            now,
            now,
          ],
          'run',
          trx,
        );
        breaches.push({
          incidentId: row.id,
          organizationId: row.organization_id,
          clock,
          dueAt,
          policyId: row.sla_policy_id,
          eventId,
        });
      }
    }
    await this.announce(em, breaches);
    return { marked: rows.length, breaches };
  }

  /** `incident.sla_breached` for each breach, into the outbox of the same transaction, one organization at a time. */
  private async announce(em: EntityManager, breaches: SlaBreachRecord[]): Promise<void> {
    if (!this.events) return;
    for (const breach of breaches) {
      em.setFilterParams(TENANT_FILTER, { organizationId: breach.organizationId });
      const incident = await em.findOneOrFail(Incident, { id: breach.incidentId }, { refresh: true });
      await this.events.publish(em, breach.organizationId, 'incident.sla_breached', published(incident), {
        [breach.clock === 'response' ? 'slaResponseBreachedAt' : 'slaResolutionBreachedAt']: null,
      });
      await em.flush();
    }
  }
}
