import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { wrap } from '@mikro-orm/core';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import { isUuid } from '../../core/scalars.js';
import { KEY_PATTERN } from '../../core/ids.js';
import { Organization } from '../../db/organization.entity.js';
import type { Incident } from '../../modules/incidents/incident.entity.js';
import { INCIDENT_KEY_PREFIX } from '../../modules/incidents/incident.entity.js';
import type { IncidentStatus, Severity } from '../../modules/incidents/incident.enums.js';
import { LexicalModel } from '../models/lexical-model.js';
import { decodeSparse, decodeSparseInto, encodeSparse } from '../models/sparse-vector.js';
import type { UnitOfWork } from '../../db/unit-of-work.js';
import type { IndexChange, IndexChangeNotifier, RecordedChange } from './index-changes.js';
import type { ModelVectorRescorer } from './model-vectors.js';
import { IncidentEmbedding } from './incident-embedding.entity.js';
import { DEFAULT_RANK_OPTIONS, RankOptions, RankedMatch, rankMatches } from './rank.js';
import type { MatchRelation } from './match-score.js';
import { DEFAULT_INDEX_OPTIONS, IndexedIncident, VectorIndex, VectorIndexOptions } from './vector-index.js';
import { findByIdsOrKeys } from '../../modules/crud.service.js';
import { Service } from '../../modules/services/service.entity.js';

export interface SimilarMatch {
  incidentId: string;
  score: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  relation: MatchRelation;
}

export interface SimilarAnswer {
  model: string;
  matches: SimilarMatch[];
}

/**
 * How an organization's HNSW graph is filled after its incidents are loaded: in slices of `sliceMs` of work, with a
 * pause of `pauseMs` between them (0: the next turn of the event loop), so requests are answered during the fill.
 */
export interface GraphFillOptions {
  sliceMs: number;
  pauseMs: number;
}

export const DEFAULT_FILL_OPTIONS: GraphFillOptions = { sliceMs: 20, pauseMs: 0 };

/** Incidents read per statement while an index is loaded. */
const LOAD_BATCH = 5000;

export const SIMILAR_LIMIT_MAX = 50;
export const SIMILAR_LIMIT_DEFAULT = 10;

export interface SimilarOptions {
  limit?: number | null;
  minScore?: number | null;
}

/** An incident's text before it is stored. */
export interface SimilarText {
  title: string;
  description?: string | null;
  serviceId?: string | null;
}

function checkedOptions(options: SimilarOptions): { limit: number; minScore: number } {
  const limit = options.limit ?? SIMILAR_LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > SIMILAR_LIMIT_MAX)
    throw AppError.validation('limit', `must be an integer from 1 to ${SIMILAR_LIMIT_MAX}`);
  const minScore = options.minScore ?? 0;
  if (!(minScore >= 0 && minScore <= 1)) throw AppError.validation('minScore', 'must be a number from 0 to 1');
  return { limit, minScore };
}

type IndexOp = { kind: 'upsert'; entry: IndexedIncident } | { kind: 'remove'; id: string };

interface OrgIndex {
  /** The index that answers; while `stale` it is rebuilt before it answers again. */
  ready: VectorIndex | null;
  loading: Promise<VectorIndex> | null;
  /** The organization's change version (similar_index_versions) that `ready` has followed up to. */
  version: number;
  /** Changes may have been missed (a gap in the versions, or the listener's connection dropped). */
  stale: boolean;
  /** This process's committed changes that arrive while the index is being built, with their versions. */
  queued: Array<{ op: IndexOp; change: RecordedChange | null }>;
  /** Notifications heard while the index is being built; followed once it is ready. */
  heard: IndexChange[];
}

interface EmbeddedRow extends IncidentRow {
  model: string | null;
  sparse: Buffer | null;
}

interface IncidentRow {
  id: string;
  number: number;
  title: string;
  description: string | null;
  started_at: Date | string;
  service_id: string | null;
  service_name: string | null;
}

/**
 * Similar incidents. The database is the source of truth: every change to an incident's text, service or start writes
 * its embedding row in the same transaction (recordIncident), and the in-memory index of the organization (one HNSW
 * graph per organization, built lazily from those rows on its first query) is a cache of those rows.
 *
 * How the cache follows (docs/AI.md, "Several processes"): each change raises the organization's version and NOTIFYs
 * it in the writing transaction (IndexChangeNotifier); every process, the writer included, hears it on its listening
 * connection (IndexChangeListener, which calls `heard`) and re-reads that incident's row, one batch at a time, so the
 * last read of an incident always comes after its last commit. The writer also applies its own change right after
 * its commit (the unit of work's after-commit step), so it sees its own writes at once; a rolled-back transaction
 * reaches no index. A gap in
 * an organization's versions, or a dropped listening connection, marks indexes stale: rebuilt from PostgreSQL on next
 * use. Anything still wrong is repaired on read: an incident asked about that the index lacks is embedded from its row
 * and added, and a match whose incident no longer exists is dropped from the index (markDelete).
 */
export class SimilarIncidentsService {
  readonly model: LexicalModel;
  private readonly orgs = new Map<string, OrgIndex>();
  /** Raised by markAllStale: a build that started before it is stale as soon as it is ready. */
  private generation = 0;
  /** Incidents to re-read, per index (an index replaced meanwhile has its own follow-up). */
  private readonly refreshes = new Map<VectorIndex, { organizationId: string; ids: Set<string> }>();
  private draining: Promise<void> | null = null;
  private closed = false;
  /** Set when an OpenAI-compatible embedding model is configured: its stored vectors re-score the candidates. */
  modelVectors?: ModelVectorRescorer;

  constructor(
    private readonly orm: MikroORM,
    private readonly unit: UnitOfWork,
    /** Null: changes are not announced to other processes (a single-process tool such as the evaluation). */
    readonly changes: IndexChangeNotifier | null,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly indexOptions: VectorIndexOptions = DEFAULT_INDEX_OPTIONS,
    private readonly rankOptions: RankOptions = DEFAULT_RANK_OPTIONS,
    model?: LexicalModel,
    /** Mutable: a test slows the fill down to look at an index while it fills. */
    public fillOptions: GraphFillOptions = DEFAULT_FILL_OPTIONS,
  ) {
    this.model = model ?? new LexicalModel();
  }

  get modelName(): string {
    return this.model.name;
  }

  /**
   * Writes the embedding of a new or changed incident in the caller's transaction, and schedules the index update for
   * after the commit. `isNew`: the incident row is not flushed yet (the embedding joins the same flush).
   */
  async recordIncident(em: EntityManager, organizationId: string, incident: Incident, isNew: boolean): Promise<void> {
    if (incident.service && !wrap(incident.service).isInitialized()) await wrap(incident.service).init();
    const sparse = this.model.embedIncident({
      title: incident.title,
      description: incident.description,
      service: incident.service?.name ?? null,
    });
    // A changed text makes the configured embedding model's vector stale: the re-embedding job writes it again.
    const row = {
      incident,
      organization: em.getReference(Organization, organizationId),
      model: this.model.name,
      sparse: encodeSparse(sparse),
      vectorModel: null,
      vector: null,
      updatedAt: new Date(),
    };
    if (isNew) em.create(IncidentEmbedding, row);
    else await em.upsert(IncidentEmbedding, row);
    const entry: IndexedIncident = {
      id: incident.id,
      sparse,
      startedAt: incident.startedAt.getTime(),
      serviceId: incident.service?.id ?? null,
    };
    const change = this.changes ? await this.changes.record(em, organizationId, incident.id, 'upsert') : null;
    this.unit.afterCommit(em, () => this.apply(organizationId, { kind: 'upsert', entry }, change));
  }

  /**
   * The incident is being deleted in `em`'s transaction (its embedding row goes with it): out of the index after
   * commit.
   */
  async forgetIncident(em: EntityManager, organizationId: string, incidentId: string): Promise<void> {
    const change = this.changes ? await this.changes.record(em, organizationId, incidentId, 'delete') : null;
    this.unit.afterCommit(em, () => this.apply(organizationId, { kind: 'remove', id: incidentId }, change));
  }

  /**
   * A change committed by any process (this one included), in commit order. Organizations whose index this process
   * has not loaded ignore it: their build will read the committed rows.
   */
  heard(change: IndexChange): void {
    const state = this.orgs.get(change.organizationId);
    if (!state) return;
    if (state.loading) state.heard.push(change);
    else if (state.ready) this.follow(change.organizationId, state, state.ready, change);
  }

  /** Every index may have missed changes (the listener's connection dropped or came back): rebuilt on next use. */
  markAllStale(reason: string): void {
    this.generation++;
    let marked = 0;
    for (const state of this.orgs.values()) {
      if (state.ready && !state.stale) marked++;
      state.stale = true;
    }
    if (marked) this.log.info({ reason, indexes: marked }, 'similar-incident indexes marked stale');
  }

  /**
   * Waits for the re-reads in flight (tests and shutdown), and stops graph fills (an index keeps answering without).
   */
  async settle(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }

  /** Every index this process holds: its size and the incidents not in its graph yet (the metrics). */
  indexStates(): Array<{ size: number; pending: number }> {
    const states: Array<{ size: number; pending: number }> = [];
    for (const state of this.orgs.values())
      if (state.ready) states.push({ size: state.ready.size, pending: state.ready.pending });
    return states;
  }

  /** The organization's index as loaded in this process, if it is: its size and the incidents not in its graph yet. */
  indexState(organizationId: string): { size: number; pending: number } | null {
    const index = this.orgs.get(organizationId)?.ready;
    return index ? { size: index.size, pending: index.pending } : null;
  }

  async similar(scope: Scope, idOrKey: string, options: SimilarOptions): Promise<SimilarAnswer> {
    const organizationId = scope.actor!.organizationId;
    const { limit, minScore } = checkedOptions(options);
    const where = whereIdOrKey(idOrKey);
    const connection = scope.em.getConnection();
    const [row] = await connection.execute<IncidentRow[]>(
      `select i.id, i.number, i.title, i.description, i.started_at, i.service_id, s.name as service_name
         from incidents i left join services s on s.id = i.service_id
        where i.organization_id = ? and ${where.sql} limit 1`,
      [organizationId, where.value],
    );
    if (!row) throw AppError.notFound('incident');
    const index = await this.indexFor(organizationId);
    let query = index.get(row.id);
    if (!query) {
      // Rebuild on miss: committed by another process, or created before the index was loaded and missed somehow.
      query = this.entryFromRow(row);
      index.upsert(query);
    }
    let ranked = rankMatches(index, query, this.rankOptions);
    let model = this.model.name;
    if (this.modelVectors) {
      const rescored = await this.modelVectors.rescore(
        connection,
        organizationId,
        row.id,
        ranked,
        query.startedAt,
        query.serviceId,
      );
      ranked = rescored.ranked;
      model = rescored.model ?? model;
    }
    return { model, matches: await this.matchesOf(scope.em, organizationId, index, ranked, limit, minScore) };
  }

  /**
   * Incidents like a text not yet stored (a draft before it is declared), ranked as `similar` ranks them for a
   * stored incident that starts now: the lexical model only, since a configured embedding model's vectors exist for
   * stored incidents alone.
   */
  async similarToText(scope: Scope, text: SimilarText, options: SimilarOptions): Promise<SimilarAnswer> {
    const organizationId = scope.actor!.organizationId;
    const { limit, minScore } = checkedOptions(options);
    const [service] = text.serviceId ? await findByIdsOrKeys(scope.em, Service, [text.serviceId], 'serviceId') : [];
    const serviceName = service?.name ?? null;
    const index = await this.indexFor(organizationId);
    const query: IndexedIncident = {
      id: '',
      sparse: this.model.embedIncident({
        title: text.title,
        description: text.description ?? null,
        service: serviceName,
      }),
      startedAt: this.clock.now().getTime(),
      serviceId: text.serviceId ?? null,
    };
    const ranked = rankMatches(index, query, this.rankOptions);
    return {
      model: this.model.name,
      matches: await this.matchesOf(scope.em, organizationId, index, ranked, limit, minScore),
    };
  }

  /** The ranked entries that score above zero and `minScore`, as matches read from PostgreSQL (the database wins). */
  private async matchesOf(
    em: EntityManager,
    organizationId: string,
    index: VectorIndex,
    all: RankedMatch[],
    limit: number,
    minScore: number,
  ): Promise<SimilarMatch[]> {
    const connection = em.getConnection();
    // A score of 0 shares nothing (no words, no service, not within a day): never a match, whatever min_score says.
    const ranked = all.filter((r) => r.match.score > 0 && r.match.score >= minScore);
    const matches: SimilarMatch[] = [];
    let next = 0;
    while (matches.length < limit && next < ranked.length) {
      const batch = ranked.slice(next, next + limit - matches.length + 5);
      next += batch.length;
      const rows = await connection.execute<
        Array<{ id: string; number: number; title: string; severity: Severity; status: IncidentStatus }>
      >(`select id, number, title, severity, status from incidents where organization_id = ? and id in (?)`, [
        organizationId,
        batch.map((r) => r.entry.id),
      ]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const r of batch) {
        const found = byId.get(r.entry.id);
        if (!found) {
          // Deleted by a transaction this process did not see: the database wins.
          index.remove(r.entry.id);
          continue;
        }
        if (matches.length < limit) {
          matches.push({
            incidentId: `${INCIDENT_KEY_PREFIX}-${found.number}`,
            score: round(r.match.score),
            title: found.title,
            severity: found.severity,
            status: found.status,
            relation: r.match.relation,
          });
        }
      }
    }
    return matches;
  }

  /** The organization's index, built from the database on first use (concurrent callers share one build). */
  indexFor(organizationId: string): Promise<VectorIndex> {
    let state = this.orgs.get(organizationId);
    if (state?.ready && !state.stale) return Promise.resolve(state.ready);
    if (!state) {
      state = { ready: null, loading: null, version: 0, stale: false, queued: [], heard: [] };
      this.orgs.set(organizationId, state);
    }
    if (!state.loading) {
      const current = state;
      const generation = this.generation;
      const loading = this.build(organizationId).then(
        ({ index, version }) => {
          // Own changes the snapshot may predate (a version above the one read first, or unknown) are applied again.
          for (const { op, change } of current.queued)
            if (change?.version == null || change.version > version) applyOp(index, op);
          const heard = current.heard;
          Object.assign(current, {
            ready: index,
            loading: null,
            version,
            stale: this.generation !== generation,
            queued: [],
            heard: [],
          });
          for (const change of heard) this.follow(organizationId, current, index, change);
          this.fill(organizationId, current, index, Date.now());
          return index;
        },
        (error: unknown) => {
          if (current.ready) Object.assign(current, { loading: null, queued: [], heard: [] });
          else this.orgs.delete(organizationId);
          throw error;
        },
      );
      current.loading = loading;
      return loading;
    }
    return state.loading;
  }

  /**
   * Puts the loaded incidents into the index's HNSW graph a slice at a time, on the event loop between requests; the
   * first slice runs at once (a small organization's graph is complete before its first answer). Until the graph is
   * complete, the index also scans the incidents outside it exactly (VectorIndex.nearest), so answers stay right.
   */
  private fill(organizationId: string, state: OrgIndex, index: VectorIndex, started: number): void {
    if (this.closed || state.ready !== index || this.orgs.get(organizationId) !== state) return;
    const left = index.fillGraph(performance.now() + this.fillOptions.sliceMs);
    if (left === 0) {
      if (Date.now() - started > this.fillOptions.sliceMs)
        this.log.info(
          { organizationId, incidents: index.size, ms: Date.now() - started },
          'similar-incident graph filled',
        );
      return;
    }
    const next = () => this.fill(organizationId, state, index, started);
    if (this.fillOptions.pauseMs > 0) setTimeout(next, this.fillOptions.pauseMs).unref();
    else setImmediate(next);
  }

  /** Drops every in-memory index (the next query rebuilds from the database). */
  reset(): void {
    this.orgs.clear();
  }

  /** This process's own committed change, applied at once (the notification of it re-reads the row later). */
  private apply(organizationId: string, op: IndexOp, change: RecordedChange | null): void {
    const state = this.orgs.get(organizationId);
    if (!state) return; // not loaded: its build will read the committed rows
    if (state.loading) state.queued.push({ op, change });
    else if (state.ready) applyOp(state.ready, op);
  }

  /** Versions come in commit order without gaps: the next one is followed, an old one ignored, a jump means a miss. */
  private follow(organizationId: string, state: OrgIndex, index: VectorIndex, change: IndexChange): void {
    if (state.stale || change.version <= state.version) return;
    if (change.version !== state.version + 1) {
      state.stale = true;
      this.log.warn(
        { organizationId, expected: state.version + 1, heard: change.version },
        'similar-incident index missed a change; marked stale',
      );
      return;
    }
    state.version = change.version;
    let pending = this.refreshes.get(index);
    if (!pending) {
      pending = { organizationId, ids: new Set() };
      this.refreshes.set(index, pending);
    }
    pending.ids.add(change.incidentId);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /** Re-reads the incidents heard about, one batch at a time, so a later read is never overtaken by an earlier one. */
  private async drain(): Promise<void> {
    for (let next = this.refreshes.entries().next(); !next.done; next = this.refreshes.entries().next()) {
      const [index, { organizationId, ids }] = next.value;
      this.refreshes.delete(index);
      try {
        await this.refresh(organizationId, index, [...ids]);
      } catch (error) {
        const state = this.orgs.get(organizationId);
        if (state?.ready === index) state.stale = true;
        this.log.warn(
          { err: error, organizationId },
          'similar-incident index could not re-read a change; marked stale',
        );
      }
    }
  }

  private async refresh(organizationId: string, index: VectorIndex, ids: string[]): Promise<void> {
    const connection = this.orm.em.getConnection();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await connection.execute<EmbeddedRow[]>(
        `select i.id, i.number, i.title, i.description, i.started_at, i.service_id, s.name as service_name, e.model, e.sparse
           from incidents i left join services s on s.id = i.service_id left join incident_embeddings e on e.incident_id = i.id
          where i.organization_id = ? and i.id in (?)`,
        [organizationId, chunk],
      );
      if (this.orgs.get(organizationId)?.ready !== index) return; // rebuilt meanwhile from a later snapshot
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const id of chunk) {
        const row = byId.get(id);
        if (!row) index.remove(id);
        else index.upsert(this.storedEntry(row) ?? this.entryFromRow(row));
      }
    }
  }

  /**
   * Reads the organization's incidents with their stored embeddings; rows embedded by another model version (or not
   * at all, e.g. incidents older than this feature) are embedded now and written back, so the next build is cheap.
   */
  private async build(organizationId: string): Promise<{ index: VectorIndex; version: number }> {
    const started = Date.now();
    const em = this.orm.em.fork();
    const connection = em.getConnection();
    // The version first: the rows read after it hold at least every change up to it; later ones are heard (the
    // batches below are separate statements: a change committed between two of them is heard and re-read too).
    const [{ version, incidents }] = await connection.execute<
      Array<{ version: string | number; incidents: string | number }>
    >(
      `select coalesce((select version from similar_index_versions where organization_id = ?), 0) as version,
              (select count(*) from incidents where organization_id = ?) as incidents`,
      [organizationId, organizationId],
    );
    const index = new VectorIndex(this.model, {
      ...this.indexOptions,
      initialCapacity: Math.max(this.indexOptions.initialCapacity, Math.ceil(Number(incidents) * 1.25)),
    });
    const stale: string[] = [];
    const idx = new Uint16Array(1 << 16);
    const val = new Float32Array(1 << 16);
    // Batches in id order, so that the whole organization is never held as rows at once.
    for (let after: string | null = null; ;) {
      const rows: Array<{
        id: string;
        started_at: Date | string;
        service_id: string | null;
        model: string | null;
        sparse: Buffer | null;
      }> = await connection.execute(
        `select i.id, i.started_at, i.service_id, e.model, e.sparse
           from incidents i left join incident_embeddings e on e.incident_id = i.id
          where i.organization_id = ?${after ? ' and i.id > ?' : ''}
          order by i.id limit ${LOAD_BATCH}`,
        after ? [organizationId, after] : [organizationId],
      );
      for (const row of rows) {
        if (row.model !== this.model.name || !row.sparse) stale.push(row.id);
        else
          index.loadStored(
            row.id,
            idx,
            val,
            0,
            decodeSparseInto(row.sparse, idx, val),
            new Date(row.started_at).getTime(),
            row.service_id,
          );
      }
      if (rows.length < LOAD_BATCH) break;
      after = rows[rows.length - 1].id;
    }
    for (let i = 0; i < stale.length; i += 500) {
      const chunk = stale.slice(i, i + 500);
      const texts = await connection.execute<IncidentRow[]>(
        `select i.id, i.number, i.title, i.description, i.started_at, i.service_id, s.name as service_name
           from incidents i left join services s on s.id = i.service_id
          where i.organization_id = ? and i.id in (?)`,
        [organizationId, chunk],
      );
      const entries = texts.map((t) => this.entryFromRow(t));
      for (const entry of entries) index.load(entry);
      if (entries.length) {
        const values = entries.map((e) => [e.id, organizationId, this.model.name, encodeSparse(e.sparse)]);
        await connection.execute(
          `insert into incident_embeddings (incident_id, organization_id, model, sparse, updated_at)
           values ${values.map(() => '(?, ?, ?, ?, now())').join(', ')}
           on conflict (incident_id) do update set model = excluded.model, sparse = excluded.sparse, updated_at = excluded.updated_at`,
          values.flat(),
        );
      }
    }
    index.trim();
    this.log.info(
      {
        organizationId,
        incidents: index.size,
        reembedded: stale.length,
        version: Number(version),
        ms: Date.now() - started,
      },
      'similar-incident index loaded',
    );
    return { index, version: Number(version) };
  }

  /**
   * The index entry from a stored embedding row; null when the row is missing or of another model (embed the text
   * then).
   */
  private storedEntry(row: {
    id: string;
    started_at: Date | string;
    service_id: string | null;
    model: string | null;
    sparse: Buffer | null;
  }): IndexedIncident | null {
    if (row.model !== this.model.name || !row.sparse) return null;
    return {
      id: row.id,
      sparse: decodeSparse(row.sparse),
      startedAt: new Date(row.started_at).getTime(),
      serviceId: row.service_id,
    };
  }

  private entryFromRow(row: IncidentRow): IndexedIncident {
    return {
      id: row.id,
      sparse: this.model.embedIncident({ title: row.title, description: row.description, service: row.service_name }),
      startedAt: new Date(row.started_at).getTime(),
      serviceId: row.service_id,
    };
  }
}

function applyOp(index: VectorIndex, op: IndexOp): void {
  if (op.kind === 'upsert') index.upsert(op.entry);
  else index.remove(op.id);
}

function whereIdOrKey(idOrKey: string): { sql: string; value: string | number } {
  if (isUuid(idOrKey)) return { sql: 'i.id = ?', value: idOrKey.toLowerCase() };
  const match = KEY_PATTERN.exec(idOrKey.toUpperCase());
  if (!match || match[1] !== INCIDENT_KEY_PREFIX)
    throw AppError.validation('id', `must be a UUID or a key such as ${INCIDENT_KEY_PREFIX}-1`);
  return { sql: 'i.number = ?', value: Number(match[2]) };
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000;
}
