import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../api/graphql/context.js';
import { requireAuth } from '../../api/graphql/auth-checker.js';
import { AppError } from '../../core/errors.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { Service } from '../../modules/services/service.entity.js';
import {
  Classification,
  ClassifyIncidentInput,
  EmbeddingJobState,
  EmbeddingStatus,
  ModelStatus,
} from './classify.types.js';
import { IncidentEmbedding } from '../similar/incident-embedding.entity.js';

@Resolver()
export class AiResolver {
  /** A query, not a mutation: classifying changes nothing (REST reaches it with POST, as its body is the text). */
  @Authorized(Role.viewer)
  @Query(() => Classification, {
    description: "Classifies an incident text with the model of the caller's organization",
  })
  @RestRoute({
    method: 'POST',
    path: '/ai/classify',
    tags: ['ai'],
    description:
      'Suggests a severity (with a calibrated confidence and the evidence), a team and a service for an incident text',
  })
  async classifyIncident(
    @Arg('input', () => ClassifyIncidentInput) input: ClassifyIncidentInput,
    @Ctx() ctx: Context,
  ): Promise<Classification> {
    const auth = requireAuth(ctx);
    if (input.serviceId && !(await ctx.em.count(Service, { id: input.serviceId }))) {
      throw AppError.validation('serviceId', `refers to no service of this organization: ${input.serviceId}`);
    }
    const answer = await ctx.services.classifier.classify(auth.organizationId, input, {
      em: ctx.em,
      purpose: 'classify',
    });
    return { ...answer, fallbackReason: answer.fallbackReason ?? null, refitPending: answer.refitPending ?? false };
  }

  @Authorized(Role.viewer)
  @Query(() => ModelStatus, {
    description: "The caller's organization's severity model and similar-incident index, as they answer now",
  })
  @RestRoute({
    method: 'GET',
    path: '/ai/model-status',
    tags: ['ai'],
    description:
      "The caller's organization's severity model (when fitted, examples per severity, whether a refit is pending) and the size of its similar-incident index",
  })
  async modelStatus(@Ctx() ctx: Context): Promise<ModelStatus> {
    const auth = requireAuth(ctx);
    const classifier = ctx.services.classifier;
    if (!classifier.status) throw new AppError('INTERNAL', 'The configured classifier has no model status');
    const status = await classifier.status(auth.organizationId, { em: ctx.em, purpose: 'classify' });
    const loaded = ctx.services.similarIncidents.indexState(auth.organizationId);
    const stored = await ctx.em.count(IncidentEmbedding, { organization: auth.organizationId });
    return {
      ...status,
      examplesPerSeverity: {
        p1: status.examplesPerSeverity.P1,
        p2: status.examplesPerSeverity.P2,
        p3: status.examplesPerSeverity.P3,
        p4: status.examplesPerSeverity.P4,
      },
      similarIndexSize: stored,
      similarIndexLoaded: loaded !== null,
    };
  }

  @Authorized(Role.viewer)
  @Query(() => EmbeddingStatus, {
    description:
      "Whether the organization's incidents are embedded by the configured embedding model, and the progress of the job that does it",
  })
  @RestRoute({
    method: 'GET',
    path: '/ai/embedding-status',
    tags: ['ai'],
    description: "Progress of the re-embedding of the caller's organization by the configured embedding model",
  })
  async embeddingStatus(@Ctx() ctx: Context): Promise<EmbeddingStatus> {
    const auth = requireAuth(ctx);
    const status = await ctx.services.reembedding.status(ctx.em, auth.organizationId);
    return { ...status, state: status.state as EmbeddingJobState };
  }
}
