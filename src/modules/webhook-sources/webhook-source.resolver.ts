import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotent } from '../../api/idempotency/idempotency.js';
import { WebhookSource, WebhookVerification } from './webhook-source.entity.js';
import { CreateWebhookSourceInput, UpdateWebhookSourceInput, WebhookSourceFilter } from './webhook-source.inputs.js';

@Resolver(() => WebhookSource)
export class WebhookSourceResolver extends CrudResolver({
  entity: WebhookSource,
  single: 'webhookSource',
  plural: 'webhookSources',
  path: '/webhook-sources',
  updateInput: UpdateWebhookSourceInput,
  filterInput: WebhookSourceFilter,
  service: (ctx) => ctx.services.webhookSources,
  writeRole: Role.admin,
}) {
  @Authorized(Role.admin)
  @Mutation(() => WebhookSource, {
    description: 'Creates an inbound alert source; its secret (signingSecret or bearerToken) is in this response only',
  })
  @RestRoute({ method: 'POST', path: '/webhook-sources', responseStatus: 201, tags: ['webhookSources'] })
  async createWebhookSource(
    @Arg('input', () => CreateWebhookSourceInput) input: CreateWebhookSourceInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookSource> {
    return idempotent(ctx, 'createWebhookSource', idempotencyKey, input, () =>
      ctx.services.webhookSources.createWithSecret(ctx, { ...input }),
    );
  }

  @Authorized(Role.admin)
  @Mutation(() => WebhookSource, {
    description:
      'Issues a new secret (optionally switching the verification method), shown in this response only; the old one stops working at once',
  })
  @RestRoute({ method: 'POST', path: '/webhook-sources/:id/rotate-secret', tags: ['webhookSources'] })
  async rotateWebhookSourceSecret(
    @Arg('id', () => UuidScalar) id: string,
    @Arg('verification', () => WebhookVerification, { nullable: true })
    verification: WebhookVerification | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookSource> {
    return ctx.services.webhookSources.rotateSecret(ctx, id, verification);
  }
}
