import type { Connection } from '@mikro-orm/core';
import type { AiProvider } from '../providers/ai-provider.js';
import { scoreMatch } from './match-score.js';
import { RankedMatch, byScore } from './rank.js';
import { decodeDense } from './reembed-job.js';

/** The candidates (best first by the embedded model) whose text term the configured model's vectors recompute. */
const RESCORED = 100;

function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Similar incidents with a configured OpenAI-compatible embedding model: the candidates still come from the embedded
 * model's index (HNSW over its vectors, plus the incidents that started within a day), and their text similarity is
 * recomputed as the cosine of the configured model's vectors, which the re-embedding job stored — when the incident
 * asked about has one. Until then (the job has not reached it yet) the embedded model answers alone; a candidate
 * without a vector yet keeps its embedded-model similarity. One query reads the vectors of up to 100 candidates.
 */
export class ModelVectorRescorer {
  constructor(private readonly ai: AiProvider) {}

  async rescore(
    connection: Connection,
    organizationId: string,
    incidentId: string,
    ranked: RankedMatch[],
    queryStartedAt: number,
    queryServiceId: string | null,
  ): Promise<{ ranked: RankedMatch[]; model: string | null }> {
    const model = this.ai.embeddingModel;
    if (!model) return { ranked, model: null };
    const head = ranked.slice(0, RESCORED);
    const rows = (await connection.execute(
      `select incident_id, vector from incident_embeddings
        where organization_id = ? and vector_model = ? and incident_id in (?)`,
      [organizationId, model, [incidentId, ...head.map((r) => r.entry.id)]],
    )) as Array<{ incident_id: string; vector: Buffer }>;
    const vectors = new Map(rows.map((r) => [r.incident_id, decodeDense(r.vector)]));
    const query = vectors.get(incidentId);
    if (!query) return { ranked, model: null };
    const rescored = head.map((r) => {
      const vector = vectors.get(r.entry.id);
      if (!vector) return r;
      const text = Math.max(0, cosine(query, vector));
      const match = scoreMatch({
        text,
        sameService: queryServiceId !== null && queryServiceId === r.entry.serviceId,
        deltaMs: r.entry.startedAt - queryStartedAt,
      });
      return { ...r, match, text };
    });
    return { ranked: [...rescored.sort(byScore), ...ranked.slice(RESCORED)], model };
  }
}
