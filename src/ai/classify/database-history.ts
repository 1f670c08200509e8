import { Client, TypeOverrides } from 'pg';
import type { CatalogService, HistoryChanges, HistorySource, HistoryVersion, ReadScope } from './classifier-types.js';
import type { HistoryIncident } from './severity-model.js';
import { severityIndex } from './severity-labels.js';

/**
 * An organization's labelled history, read straight from PostgreSQL with plain rows (no entities: a model may read
 * thousands of incidents). Every statement names the organization explicitly, since the classifier also runs outside
 * a request (background retrains).
 *
 * Labelled means a severity a person set or confirmed: `auto_classified = false` (given at creation or changed later
 * by someone), or an auto-classified incident that was worked through to resolved or closed without anyone changing
 * its severity.
 */
const LABELLED = `(i.auto_classified = false or i.status in ('resolved', 'closed'))`;

const SIGNATURE_SQL = `
  select (select max(i.updated_at) from incidents i where i.organization_id = ?) as incidents_at,
         (select max(s.updated_at) from services s where s.organization_id = ?) as services_at,
         (select count(*) from services s where s.organization_id = ?) as services`;

const HISTORY_SQL = `
  select i.id, i.number, i.title, i.description, i.severity, i.service_id, i.team_id, i.started_at, s.name as service_name
    from incidents i left join services s on s.id = i.service_id
   where i.organization_id = ? and ${LABELLED}
   order by i.started_at desc, i.id
   limit ?`;

/** Every incident changed since a time (labelled or not any more), and how many labelled incidents there are now. */
const CHANGES_SQL = `
  select (select count(*)::int from incidents i where i.organization_id = ? and ${LABELLED}) as labelled_total,
         coalesce((select json_agg(c) from (
           select i.id, i.number, i.title, i.description, i.severity, i.service_id, i.team_id, i.started_at,
                  s.name as service_name, ${LABELLED} as labelled
             from incidents i left join services s on s.id = i.service_id
            where i.organization_id = ? and i.updated_at >= ?) c), '[]'::json) as changed`;

const SERVICES_SQL = `select id, name, team_id from services where organization_id = ? order by name`;

interface HistoryRow {
  id: string;
  number: number;
  title: string;
  description: string | null;
  severity: string;
  service_id: string | null;
  team_id: string | null;
  started_at: Date | string;
  service_name: string | null;
}

/** What the history needs of a connection: MikroORM's, or a plain pg client's (`pgStatements`). */
export interface StatementRunner {
  execute(sql: string, params: unknown[]): Promise<unknown>;
}

/**
 * A pg client whose rows are what MikroORM's connection returns (timestamps as text, read by toHistoryIncident), so
 * that a history read through it is the same to the millisecond.
 */
export function historyClient(connectionString: string): Client {
  const types = new TypeOverrides();
  for (const oid of [1082, 1114, 1184, 1186]) types.setTypeParser(oid, (text: string) => text);
  return new Client({ connectionString, types });
}

/** A pg client as a StatementRunner: the history's `?` placeholders become `$1`, `$2`, … */
export function pgStatements(client: Client): StatementRunner {
  return {
    async execute(sql, params) {
      let n = 0;
      return (
        await client.query<Record<string, unknown>>(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    },
  };
}

export class DatabaseHistory implements HistorySource {
  constructor(private readonly connection: () => StatementRunner) {}

  /** Through the scope's EntityManager and its transaction when given, else through the pool (background refits). */
  private query(sql: string, params: unknown[], scope?: ReadScope): Promise<unknown> {
    const em = scope?.em;
    return em
      ? em.getConnection().execute(sql, params, 'all', em.getTransactionContext())
      : this.connection().execute(sql, params);
  }

  /**
   * The latest change to any incident or service of the organization, and the number of services. Any update of an
   * incident can change what is labelled (a severity set, an incident resolved), so the newest `updated_at` is the
   * cheap test (an index on organization and updated_at answers it); deleting an incident is seen at the next change.
   */
  async signature(organizationId: string, scope?: ReadScope): Promise<HistoryVersion> {
    const [row] = (await this.query(SIGNATURE_SQL, [organizationId, organizationId, organizationId], scope)) as Array<{
      incidents_at: Date | null;
      services_at: Date | null;
      services: string | number;
    }>;
    const at = (d: Date | string | null) => (d ? new Date(d).toISOString() : '-');
    return {
      history: at(row.incidents_at),
      services: `${at(row.services_at)}|${row.services}`,
      changedAt: row.incidents_at ? new Date(row.incidents_at) : null,
    };
  }

  async changedSince(organizationId: string, since: Date, scope?: ReadScope): Promise<HistoryChanges> {
    const [row] = (await this.query(CHANGES_SQL, [organizationId, organizationId, since], scope)) as Array<{
      labelled_total: number;
      changed: Array<HistoryRow & { labelled: boolean }> | string;
    }>;
    const changed =
      typeof row.changed === 'string'
        ? (JSON.parse(row.changed) as Array<HistoryRow & { labelled: boolean }>)
        : row.changed;
    return {
      labelledTotal: Number(row.labelled_total),
      changed: changed.map((r) => ({ incident: toHistoryIncident(r), labelled: r.labelled })),
    };
  }

  async labelled(organizationId: string, limit: number, scope?: ReadScope): Promise<HistoryIncident[]> {
    const rows = (await this.query(HISTORY_SQL, [organizationId, limit], scope)) as HistoryRow[];
    return rows.map(toHistoryIncident);
  }

  async services(organizationId: string, scope?: ReadScope): Promise<CatalogService[]> {
    const rows = (await this.query(SERVICES_SQL, [organizationId], scope)) as Array<{
      id: string;
      name: string;
      team_id: string | null;
    }>;
    return rows.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id }));
  }
}

function toHistoryIncident(r: HistoryRow): HistoryIncident {
  return {
    id: r.id,
    key: `INC-${r.number}`,
    title: r.title,
    description: r.description,
    service: r.service_name,
    severity: severityIndex(r.severity),
    serviceId: r.service_id,
    teamId: r.team_id,
    startedAt: new Date(r.started_at),
  };
}
