import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AiProvider } from '../providers/ai-provider.js';
import type { IncidentText } from '../models/lexical-model.js';
import { encodeSparse, SparseVector } from '../models/sparse-vector.js';
import type { IndexChangeNotifier } from './index-changes.js';

/** The embedded model as the job needs it: its id (stored as `incident_embeddings.model`) and the vector it stores. */
export interface EmbeddedModel {
  readonly name: string;
  embedIncident(incident: IncidentText): SparseVector;
}

export type EmbeddingState = 'pending' | 'running' | 'failed' | 'done';

/** What `GET /ai/embedding-status` shows for the caller's organization. */
export interface EmbeddingStatus {
  /** The configured embedding model the incidents are (being) embedded with. */
  model: string;
  /** The organization's incidents, and how many of them have the configured model's embedding. */
  total: number;
  done: number;
  state: EmbeddingState;
  startedAt: Date | null;
  finishedAt: Date | null;
  lastError: string | null;
}

export interface ReembedOptions {
  /** Incidents embedded per batch (one transaction, and one call to the embedding model). */
  batchSize: number;
  /** Batches one run does per organization before it moves on (the next run continues). */
  maxBatchesPerRun: number;
  /** Announces each rewritten embedding, so every process's similar-incident index re-reads it. */
  changes?: Pick<IndexChangeNotifier, 'record'>;
}

/** float32 little-endian, as `incident_embeddings.vector` stores it. */
export function encodeDense(vector: number[]): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => buffer.writeFloatLE(x, i * 4));
  return buffer;
}

export function decodeDense(buffer: Buffer | Uint8Array): Float32Array {
  const b = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer);
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

class EmbeddingModelError extends Error {}

interface Pending {
  id: string;
  title: string;
  description: string | null;
  service_name: string | null;
  /** The embedding row's updated_at as PostgreSQL printed it (exact to the microsecond), or null when there is none. */
  seen: string | null;
}

interface JobRow {
  model: string;
  state: string;
  total: number;
  done: number;
  started_at: Date | string;
  finished_at: Date | string | null;
  last_error: string | null;
}

/**
 * Keeps every incident embedded by the configured models, in the background: the embedded model (`sparse`, which the
 * similar-incident index is built from) and, when one is configured, the OpenAI-compatible embedding model (`vector`).
 * An incident is current when its row has `model` = the embedded model's id and, with a configured embedding model,
 * `vector_model` = that model's id; whatever is not — after a change of either model id, rows older than this
 * feature, or (with an embedding model) incidents created or edited since the last run — is embedded in batches.
 *
 * Several processes may run it at once: each batch is one transaction that holds the organization's `embedding_jobs`
 * row (`select … for update skip locked`), so a second process skips that organization while a batch runs. Progress
 * is in PostgreSQL (the job row, and the rows themselves: what is left is always recomputed from the data), so a
 * restart, or a kill, loses at most the batch in flight, and any process resumes it. A row whose incident changed
 * while its batch was out at the model is left alone (compared by updated_at) and picked up again.
 */
export class ReembedJob {
  constructor(
    private readonly orm: MikroORM,
    private readonly local: EmbeddedModel,
    private readonly ai: AiProvider,
    private readonly log: Logger,
    private readonly options: ReembedOptions,
  ) {}

  /** The configured model the status reports: the OpenAI-compatible embedding model, else the embedded one. */
  get model(): string {
    return this.ai.embeddingModel ?? this.local.name;
  }

  /** One pass over every organization with incidents that are not current; returns how many incidents it embedded. */
  async runOnce(): Promise<number> {
    const connection = this.orm.em.getConnection();
    const behind = await connection.execute<Array<{ organization_id: string }>>(
      `select i.organization_id
         from incidents i left join incident_embeddings e on e.incident_id = i.id
        where ${NOT_CURRENT}
        group by i.organization_id
       union
       select organization_id from embedding_jobs where model <> ? or state <> 'done'`,
      [...this.currentParams(), this.model],
    );
    let embedded = 0;
    for (const { organization_id: organizationId } of behind) embedded += await this.runOrganization(organizationId);
    return embedded;
  }

  /**
   * Batches for one organization until it is current, a batch fails, another process holds it, or the run's share is
   * spent.
   */
  async runOrganization(organizationId: string, maxBatches = this.options.maxBatchesPerRun): Promise<number> {
    // Committed on its own, so that a second process finds the row locked rather than waiting on an uncommitted insert.
    await this.orm.em.getConnection().execute(
      `insert into embedding_jobs (organization_id, model, state, total, done, started_at, updated_at)
       values (?, ?, 'pending', 0, 0, now(), now()) on conflict (organization_id) do nothing`,
      [organizationId, this.model],
    );
    let embedded = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      let outcome: { embedded: number; finished: boolean; locked: boolean };
      try {
        outcome = await this.orm.em.fork().transactional((em) => this.batch(em, organizationId));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // The batch's transaction is gone (with a job row it may have created): record the failure on its own.
        await this.orm.em.getConnection().execute(
          `insert into embedding_jobs (organization_id, model, state, total, done, started_at, last_error, updated_at)
           values (?, ?, 'failed', 0, 0, now(), ?, now())
           on conflict (organization_id) do update
              set started_at = case when embedding_jobs.model = excluded.model and embedding_jobs.state <> 'done' then embedding_jobs.started_at else now() end,
                  model = excluded.model, state = 'failed', last_error = excluded.last_error, finished_at = null, updated_at = now()`,
          [organizationId, this.model, message.slice(0, 1000)],
        );
        this.log.warn(
          { organizationId, model: this.model, error: message },
          're-embedding batch failed; retried at the next run',
        );
        break;
      }
      embedded += outcome.embedded;
      if (outcome.finished || outcome.locked) break;
    }
    return embedded;
  }

  /**
   * The caller's organization's progress, counted live from the rows; the job row adds state, times and the last error.
   */
  async status(em: EntityManager, organizationId: string): Promise<EmbeddingStatus> {
    const connection = em.getConnection();
    const [counts] = await connection.execute<Array<{ total: string | number; pending: string | number }>>(
      `select count(*) as total, count(*) filter (where ${NOT_CURRENT}) as pending
         from incidents i left join incident_embeddings e on e.incident_id = i.id
        where i.organization_id = ?`,
      [...this.currentParams(), organizationId],
    );
    const [job] = await connection.execute<JobRow[]>(`select * from embedding_jobs where organization_id = ?`, [
      organizationId,
    ]);
    const total = Number(counts.total);
    const done = total - Number(counts.pending);
    const mine = job && job.model === this.model ? job : null;
    let state: EmbeddingState;
    if (done === total) state = 'done';
    else if (!mine || mine.state === 'done' || mine.state === 'pending') state = 'pending';
    else state = mine.state === 'failed' ? 'failed' : 'running';
    return {
      model: this.model,
      total,
      done,
      state,
      startedAt: mine && mine.state !== 'pending' ? new Date(mine.started_at) : null,
      finishedAt: state === 'done' && mine?.finished_at ? new Date(mine.finished_at) : null,
      lastError: mine && state !== 'done' ? mine.last_error : null,
    };
  }

  private currentParams(): unknown[] {
    return [this.local.name, this.ai.embeddingModel, this.ai.embeddingModel];
  }

  private async batch(
    em: EntityManager,
    organizationId: string,
  ): Promise<{ embedded: number; finished: boolean; locked: boolean }> {
    const connection = em.getConnection();
    const tx = em.getTransactionContext<object>();
    const run = <T>(sql: string, params: unknown[]) => connection.execute(sql, params, 'all', tx) as Promise<T>;
    const [job] = await run<JobRow[]>(`select * from embedding_jobs where organization_id = ? for update skip locked`, [
      organizationId,
    ]);
    if (!job) return { embedded: 0, finished: false, locked: true };
    if (job.model !== this.model || job.state === 'done' || job.state === 'pending') {
      // A new model, or new work after a finished pass: a new run of the job starts now.
      await run(
        `update embedding_jobs set model = ?, state = 'running', started_at = now(), finished_at = null, last_error = null, updated_at = now() where organization_id = ?`,
        [this.model, organizationId],
      );
      this.log.info({ organizationId, model: this.model, previous: job.model }, 're-embedding started');
    }
    const pending = await run<Pending[]>(
      `select i.id, i.title, i.description, s.name as service_name, e.updated_at::text as seen
         from incidents i
         left join incident_embeddings e on e.incident_id = i.id
         left join services s on s.id = i.service_id
        where i.organization_id = ? and ${NOT_CURRENT}
        order by i.created_at desc, i.id
        limit ?`,
      [organizationId, ...this.currentParams(), this.options.batchSize],
    );
    let written = 0;
    if (pending.length) {
      const sparse = pending.map((p) =>
        encodeSparse(this.local.embedIncident({ title: p.title, description: p.description, service: p.service_name })),
      );
      const vectors = await this.vectors(pending);
      const values = pending.map((p, i) => [
        p.id,
        sparse[i],
        this.ai.embeddingModel,
        vectors ? encodeDense(vectors[i]) : null,
        p.seen,
      ]);
      const result = await run<Array<{ incident_id: string }>>(
        `with v (id, sparse, vector_model, vector, seen) as (values ${values.map(() => '(?::uuid, ?::bytea, ?::text, ?::bytea, ?::timestamptz)').join(', ')})
         insert into incident_embeddings (incident_id, organization_id, model, sparse, vector_model, vector, updated_at)
         select v.id, i.organization_id, ?, v.sparse, v.vector_model, v.vector, now() from v join incidents i on i.id = v.id
         on conflict (incident_id) do update
            set model = excluded.model, sparse = excluded.sparse, vector_model = excluded.vector_model, vector = excluded.vector, updated_at = excluded.updated_at
          where incident_embeddings.updated_at is not distinct from (select v.seen from v where v.id = excluded.incident_id)
         returning incident_id`,
        [...values.flat(), this.local.name],
      );
      written = result.length;
      for (const { incident_id: incidentId } of result)
        await this.options.changes?.record(em, organizationId, incidentId, 'upsert');
    }
    const [counts] = await run<Array<{ total: string | number; pending: string | number }>>(
      `select count(*) as total, count(*) filter (where ${NOT_CURRENT}) as pending
         from incidents i left join incident_embeddings e on e.incident_id = i.id
        where i.organization_id = ?`,
      [...this.currentParams(), organizationId],
    );
    const total = Number(counts.total);
    const done = total - Number(counts.pending);
    const finished = done === total;
    await run(
      `update embedding_jobs set total = ?, done = ?, state = ?, last_error = null, finished_at = ${finished ? 'now()' : 'null'}, updated_at = now() where organization_id = ?`,
      [total, done, finished ? 'done' : 'running', organizationId],
    );
    this.log.info(
      { organizationId, model: this.model, done, total, batch: written },
      finished ? 're-embedding done' : 're-embedding progress',
    );
    return { embedded: written, finished, locked: false };
  }

  /**
   * The configured embedding model's vectors for a batch; null without one. A failed call fails the batch (no fallback
   * is stored).
   */
  private async vectors(pending: Pending[]): Promise<number[][] | null> {
    if (!this.ai.embeddingModel) return null;
    const texts = pending.map((p) => [p.title, p.description ?? '', p.service_name ?? ''].join('\n').trim());
    const answer = await this.ai.embed(texts, { model: this.local.name, run: () => [] });
    if (answer.fallbackReason)
      throw new EmbeddingModelError(`the embedding model ${this.ai.embeddingModel} failed: ${answer.fallbackReason}`);
    return answer.value;
  }
}

/**
 * An incident (alias i, its embedding row e) that is not current: no row, a row of another embedded model, or — with
 * a configured embedding model (the two parameters) — no vector of that model. Takes [embedded model, model, model].
 */
const NOT_CURRENT = `(e.incident_id is null or e.model <> ? or (?::text is not null and e.vector_model is distinct from ?::text))`;
