import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequiredEntityData } from '@mikro-orm/core';
import { AppError } from '../../core/errors.js';
import { requireActor, type Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import { forkForOrganization } from '../../db/tenancy.js';
import { User } from '../users/user.entity.js';
import { Service } from '../services/service.entity.js';
import { Team } from '../teams/team.entity.js';
import { SERVICE_NAME_MAX } from '../services/service.inputs.js';
import { TEAM_NAME_MAX } from '../teams/team.inputs.js';
import { Incident, INCIDENT_KEY_PREFIX } from './incident.entity.js';
import { IncidentEvent } from './incident-event.entity.js';
import { IncidentEventType, IncidentStatus, Severity } from './incident.enums.js';
import { IncidentImport, IncidentImportRowError, IncidentImportState } from './incident-import.entity.js';
import type { SimilarIndexWriter } from './incident-ai.js';

/** Rows written per transaction: a batch is written whole or not at all. */
export const IMPORT_BATCH_SIZE = 500;
/** Rows one request may carry. */
export const IMPORT_MAX_ROWS = 20_000;
/** Row errors kept on the import resource. */
const MAX_ERRORS_KEPT = 1000;
const MAX_TITLE = 300;
const MAX_DESCRIPTION = 20_000;
const MAX_EXTERNAL_ID = 200;
/** Tolerated clock skew for an imported time. */
const FUTURE_SKEW_MS = 60_000;

/** A row of an import after checking: every field in Argus's terms. */
interface ImportRow {
  row: number;
  externalId: string;
  title: string;
  description: string | null;
  severity: Severity;
  status: IncidentStatus;
  startedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  service: string | null;
  team: string | null;
}

/**
 * Severity words of the tools people import from (docs/IMPORT.md): Argus's P1–P4, Opsgenie's P1–P5, PagerDuty's
 * priority names and urgency, Statuspage's impact, and common words.
 */
const SEVERITY_WORDS: Record<string, Severity> = {
  p1: Severity.P1,
  p2: Severity.P2,
  p3: Severity.P3,
  p4: Severity.P4,
  p5: Severity.P4,
  sev1: Severity.P1,
  sev2: Severity.P2,
  sev3: Severity.P3,
  sev4: Severity.P4,
  sev5: Severity.P4,
  '1': Severity.P1,
  '2': Severity.P2,
  '3': Severity.P3,
  '4': Severity.P4,
  '5': Severity.P4,
  critical: Severity.P1,
  high: Severity.P2,
  major: Severity.P2,
  medium: Severity.P3,
  moderate: Severity.P3,
  minor: Severity.P3,
  low: Severity.P4,
  none: Severity.P4,
  info: Severity.P4,
  informational: Severity.P4,
};

const STATUS_WORDS: Record<string, IncidentStatus> = {
  open: IncidentStatus.open,
  triggered: IncidentStatus.open,
  new: IncidentStatus.open,
  acknowledged: IncidentStatus.acknowledged,
  investigating: IncidentStatus.investigating,
  mitigated: IncidentStatus.mitigated,
  resolved: IncidentStatus.resolved,
  closed: IncidentStatus.closed,
};

class RowError extends Error {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** snake_case and camelCase keys alike, compared without case, spaces or punctuation. */
function fieldsOf(raw: Record<string, unknown>): Map<string, unknown> {
  return new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase().replace(/[^a-z0-9]/g, ''), v]));
}

function externalIdText(value: unknown): string {
  return String(value).slice(0, MAX_EXTERNAL_ID);
}

function text(fields: Map<string, unknown>, name: string, max: number, required = false): string | null {
  const value = fields.get(name.replace(/_/g, ''));
  if (value === undefined || value === null || value === '') {
    if (required) throw new RowError(name, 'is required');
    return null;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new RowError(name, 'must be a string');
  const s = String(value).trim();
  if (!s && required) throw new RowError(name, 'is required');
  if (s.length > max) throw new RowError(name, `must be at most ${max} characters`);
  return s || null;
}

function time(fields: Map<string, unknown>, name: string, now: Date, required = false): Date | null {
  const value = text(fields, name, 100, required);
  if (value === null) return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(value) ? value.replace(' ', 'T') : value);
  if (Number.isNaN(date.getTime()) || date.getFullYear() < 1970)
    throw new RowError(name, `is not a date and time: ${value.slice(0, 40)}`);
  if (date.getTime() > now.getTime() + FUTURE_SKEW_MS) throw new RowError(name, 'must not be in the future');
  return date;
}

/** Checks one raw row; throws RowError naming the field at fault. */
export function parseImportRow(raw: unknown, row: number, now: Date): ImportRow {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RowError(null, 'must be an object');
  const invalid = (raw as Record<string, unknown>)._invalid;
  if (typeof invalid === 'string') throw new RowError(null, invalid);
  const fields = fieldsOf(raw as Record<string, unknown>);
  const externalId = text(fields, 'external_id', MAX_EXTERNAL_ID, true)!;
  const title = text(fields, 'title', MAX_TITLE, true)!;
  const description = text(fields, 'description', MAX_DESCRIPTION);
  const severityText = text(fields, 'severity', 40, true)!;
  const severity = SEVERITY_WORDS[severityText.toLowerCase().replace(/[^a-z0-9]/g, '')];
  if (!severity)
    throw new RowError('severity', `is not a severity (P1–P4, sev1–sev5, critical, high, …): ${severityText}`);
  const startedAt = time(fields, 'started_at', now, true)!;
  const acknowledgedAt = time(fields, 'acknowledged_at', now);
  const resolvedAt = time(fields, 'resolved_at', now);
  if (acknowledgedAt && acknowledgedAt < startedAt)
    throw new RowError('acknowledged_at', 'must not be before started_at');
  if (resolvedAt && resolvedAt < startedAt) throw new RowError('resolved_at', 'must not be before started_at');
  const statusText = text(fields, 'status', 40);
  let status: IncidentStatus;
  if (statusText) {
    const known = STATUS_WORDS[statusText.toLowerCase()];
    if (!known)
      throw new RowError('status', `is not a status (${Object.values(IncidentStatus).join(', ')}): ${statusText}`);
    status = known;
  } else {
    status = resolvedAt ? IncidentStatus.resolved : acknowledgedAt ? IncidentStatus.acknowledged : IncidentStatus.open;
  }
  if ((status === IncidentStatus.resolved || status === IncidentStatus.closed) && !resolvedAt) {
    throw new RowError('resolved_at', `is required with status ${status}`);
  }
  return {
    row,
    externalId,
    title,
    description,
    severity,
    status,
    startedAt,
    acknowledgedAt,
    resolvedAt,
    service: text(fields, 'service', SERVICE_NAME_MAX),
    team: text(fields, 'team', TEAM_NAME_MAX),
  };
}

/**
 * Imports past incidents of an organization (docs/IMPORT.md). Rows are checked one by one (a bad row is reported with
 * its number and field, never stops the others) and written in batches of IMPORT_BATCH_SIZE, each in one transaction:
 * a batch that cannot be written leaves nothing behind and its rows are reported. An `external_id` already imported
 * updates that incident, so importing the same file twice changes nothing. Imported incidents keep their own times
 * and severity (labelled: auto_classified false), are embedded for similar incidents, get one `created` timeline
 * entry saying they were imported, and start no SLA clock; no webhook fires for them. Services and teams are found by
 * name, and made when the organization has none of that name.
 */
export class IncidentImportService {
  constructor(
    private readonly clock: Clock,
    private readonly similar: SimilarIndexWriter,
  ) {}

  async get(scope: Scope, id: string): Promise<IncidentImport> {
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await scope.em.findOne(IncidentImport, { id }) : null;
    if (!found) throw AppError.notFound('incident import');
    return found;
  }

  async import(scope: Scope, rows: unknown[]): Promise<IncidentImport> {
    const actor = requireActor(scope);
    if (!Array.isArray(rows)) throw AppError.validation('rows', 'must be a list of incidents');
    if (rows.length === 0) throw AppError.validation('rows', 'must hold at least one incident');
    if (rows.length > IMPORT_MAX_ROWS)
      throw AppError.validation('rows', `must hold at most ${IMPORT_MAX_ROWS} incidents per request`);
    const em = forkForOrganization(scope.em, actor.organizationId);
    const record = em.create(IncidentImport, {
      total: rows.length,
      actorId: actor.userId,
    } as RequiredEntityData<IncidentImport>);
    await em.persistAndFlush(record);

    const now = this.clock.now();
    const errors: IncidentImportRowError[] = [];
    const refuse = (row: number, externalId: string | null, field: string | null, message: string) => {
      record.failed++;
      if (errors.length < MAX_ERRORS_KEPT) errors.push({ row, externalId, field, message });
    };
    const checked: ImportRow[] = [];
    const seen = new Set<string>();
    rows.forEach((raw, i) => {
      try {
        const row = parseImportRow(raw, i + 1, now);
        if (seen.has(row.externalId))
          throw new RowError(
            'external_id',
            `repeats row ${checked.find((c) => c.externalId === row.externalId)!.row}'s`,
          );
        seen.add(row.externalId);
        checked.push(row);
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        // The row's external id as it was sent, whatever its type, to name the refused row.
        const given: unknown =
          typeof raw === 'object' && raw ? fieldsOf(raw as Record<string, unknown>).get('externalid') : undefined;
        refuse(i + 1, given === undefined || given === null ? null : externalIdText(given), error.field, error.message);
      }
    });
    record.processed = rows.length - checked.length;

    const catalog = new Catalog();
    for (let start = 0; start < checked.length; start += IMPORT_BATCH_SIZE) {
      const batch = checked.slice(start, start + IMPORT_BATCH_SIZE);
      try {
        const counts = await forkForOrganization(em, actor.organizationId).transactional((tem) =>
          this.writeBatch(tem, actor.organizationId, actor.userId, batch, catalog),
        );
        record.created += counts.created;
        record.updated += counts.updated;
        record.unchanged += counts.unchanged;
      } catch (error) {
        catalog.forgetNew();
        for (const row of batch)
          refuse(
            row.row,
            row.externalId,
            null,
            `not written: the batch could not be saved (${error instanceof Error ? error.message.slice(0, 200) : 'error'})`,
          );
      }
      catalog.keepNew();
      record.processed += batch.length;
      record.errors = [...errors];
      await em.flush();
    }
    record.errors = [...errors];
    record.state = IncidentImportState.done;
    record.finishedAt = this.clock.now();
    await em.flush();
    return record;
  }

  private async writeBatch(
    em: EntityManager,
    organizationId: string,
    userId: string,
    batch: ImportRow[],
    catalog: Catalog,
  ): Promise<{ created: number; updated: number; unchanged: number }> {
    await catalog.load(em);
    // The batch's known services in the identity map, so that embedding an incident does not read its service again.
    const serviceIds = catalog.knownServiceIds(batch.map((r) => r.service));
    if (serviceIds.length) await em.find(Service, { id: { $in: serviceIds } });
    const existing = new Map(
      (
        await em.find(
          Incident,
          { externalId: { $in: batch.map((r) => r.externalId) } },
          { populate: ['service', 'team'] },
        )
      ).map((i) => [i.externalId!, i]),
    );
    const fresh = batch.filter((r) => !existing.has(r.externalId));
    let number = fresh.length ? await takeNumbers(em, organizationId, fresh.length) : 0;
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const row of batch) {
      const named = row.team ? catalog.team(em, row.team) : null;
      const { service, team } = row.service ? catalog.service(em, row.service, named) : { service: null, team: named };
      const data = {
        title: row.title,
        description: row.description,
        severity: row.severity,
        status: row.status,
        startedAt: row.startedAt,
        acknowledgedAt: row.acknowledgedAt,
        resolvedAt: row.resolvedAt,
        closedAt: row.status === IncidentStatus.closed ? row.resolvedAt : null,
        service,
        team,
      };
      const known = existing.get(row.externalId);
      if (known) {
        const same =
          known.title === data.title &&
          (known.description ?? null) === data.description &&
          known.severity === data.severity &&
          known.status === data.status &&
          known.startedAt.getTime() === data.startedAt.getTime() &&
          (known.acknowledgedAt?.getTime() ?? null) === (data.acknowledgedAt?.getTime() ?? null) &&
          (known.resolvedAt?.getTime() ?? null) === (data.resolvedAt?.getTime() ?? null) &&
          (known.service?.id ?? null) === (data.service?.id ?? null) &&
          (known.team?.id ?? null) === (data.team?.id ?? null);
        if (same) {
          counts.unchanged++;
          continue;
        }
        em.assign(known, { ...data, autoClassified: false });
        await this.similar.recordIncident(em, organizationId, known, false);
        counts.updated++;
        continue;
      }
      const incident = em.create(Incident, {
        ...data,
        number: number++,
        externalId: row.externalId,
        source: 'import',
        autoClassified: false,
        tags: [],
        slaBreached: false,
      } as RequiredEntityData<Incident>);
      em.create(IncidentEvent, {
        incident,
        type: IncidentEventType.created,
        message: `Imported with severity ${row.severity} (external id ${row.externalId})`,
        actor: em.getReference(User, userId),
        data: { severity: row.severity, status: row.status, imported: true, external_id: row.externalId },
        occurredAt: row.startedAt,
      } as RequiredEntityData<IncidentEvent>);
      await this.similar.recordIncident(em, organizationId, incident, true);
      counts.created++;
    }
    await em.flush();
    // The batch's similar-index changes announced in one statement (not one per incident at the commit).
    const claimed = this.similar.changes?.claim(em, organizationId, null);
    if (claimed) {
      const [row] = await em
        .getConnection()
        .execute<Array<{ versions: Array<number | string> | null }>>(
          `with ${claimed.ctes.join(', ')} select ${claimed.select} as versions`,
          claimed.params,
          'all',
          em.getTransactionContext(),
        );
      claimed.settle(row.versions ?? []);
    }
    return counts;
  }
}

/** Takes `count` consecutive incident numbers in one statement; returns the first. */
async function takeNumbers(em: EntityManager, organizationId: string, count: number): Promise<number> {
  const rows = await em.getConnection().execute<{ last: number }[]>(
    `insert into key_sequences (organization_id, prefix, last) values (?, ?, ?)
     on conflict (organization_id, prefix) do update set last = key_sequences.last + excluded.last
     returning last`,
    [organizationId, INCIDENT_KEY_PREFIX, count],
    'all',
    em.getTransactionContext(),
  );
  return rows[0].last - count + 1;
}

/**
 * The organization's services and teams by name (case-insensitive), read once per import; names not found are made
 * in the batch that needs them, and forgotten again when that batch rolls back.
 */
class Catalog {
  private services?: Map<string, { id: string; teamId: string | null }>;
  private teams?: Map<string, string>;
  private readonly newServices = new Map<string, { id: string; teamId: string | null }>();
  private readonly newTeams = new Map<string, string>();

  async load(em: EntityManager): Promise<void> {
    if (this.services) return;
    const [services, teams] = [
      await em.find(Service, {}, { fields: ['id', 'name', 'team'] }),
      await em.find(Team, {}, { fields: ['id', 'name'] }),
    ];
    this.services = new Map(services.map((s) => [s.name.toLowerCase(), { id: s.id, teamId: s.team?.id ?? null }]));
    this.teams = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  }

  team(em: EntityManager, name: string): Team {
    const key = name.toLowerCase();
    const id = this.teams!.get(key) ?? this.newTeams.get(key);
    if (id) return em.getReference(Team, id);
    const team = em.create(Team, { name } as RequiredEntityData<Team>);
    this.newTeams.set(key, team.id);
    return team;
  }

  /**
   * The service of that name (made with the row's team when new) and the incident's team: the row's, else the
   * service's.
   */
  service(em: EntityManager, name: string, team: Team | null): { service: Service; team: Team | null } {
    const key = name.toLowerCase();
    const known = this.services!.get(key) ?? this.newServices.get(key);
    if (known)
      return {
        service: em.getReference(Service, known.id),
        team: team ?? (known.teamId ? em.getReference(Team, known.teamId) : null),
      };
    const service = em.create(Service, { name, team } as RequiredEntityData<Service>);
    this.newServices.set(key, { id: service.id, teamId: team?.id ?? null });
    return { service, team };
  }

  knownServiceIds(names: Array<string | null>): string[] {
    return [...new Set(names.flatMap((n) => (n && this.services!.get(n.toLowerCase())?.id) || []))];
  }

  /** The batch that made them committed. */
  keepNew(): void {
    for (const [k, v] of this.newServices) this.services!.set(k, v);
    for (const [k, v] of this.newTeams) this.teams!.set(k, v);
    this.newServices.clear();
    this.newTeams.clear();
  }

  /** The batch that made them rolled back. */
  forgetNew(): void {
    this.newServices.clear();
    this.newTeams.clear();
  }
}
