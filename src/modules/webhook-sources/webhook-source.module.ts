import { IsOptional, Length } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import { LockMode } from '@mikro-orm/core';
import { CrudResolver } from '../../api/graphql/crud.js';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { restRoute } from '../../api/rest/routes.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotent } from '../../api/idempotency/idempotency.js';
import type { Clock } from '../../core/clock.js';
import { Severity } from '../incidents/incident.enums.js';
import { Service } from '../services/service.entity.js';
import { issueSecret } from './source-secrets.js';
import { WebhookSource, WebhookSourceKind, WebhookSourceWithSecret, WebhookVerification } from './webhook-source.entity.js';

@InputType()
export class CreateWebhookSourceInput {
  @Field()
  @Length(1, 120)
  name: string;

  @Field(() => WebhookSourceKind)
  kind: WebhookSourceKind;

  @Field(() => WebhookVerification, {
    nullable: true,
    description: 'Default: signature for generic sources, bearer for Alertmanager and Grafana (which cannot sign Standard Webhooks)',
  })
  verification?: WebhookVerification;

  @Field(() => Severity, { nullable: true })
  defaultSeverity?: Severity | null;

  @Field(() => UuidScalar, { nullable: true })
  defaultServiceId?: string | null;

  @Field({ nullable: true, description: 'Default true' })
  enabled?: boolean;
}

@InputType({ description: 'The verification method changes only with a new secret: see rotateWebhookSourceSecret' })
export class UpdateWebhookSourceInput {
  @Field({ nullable: true })
  @IsOptional()
  @Length(1, 120)
  name?: string;

  @Field(() => WebhookSourceKind, { nullable: true })
  kind?: WebhookSourceKind;

  @Field(() => Severity, { nullable: true })
  defaultSeverity?: Severity | null;

  @Field(() => UuidScalar, { nullable: true })
  defaultServiceId?: string | null;

  @Field({ nullable: true })
  enabled?: boolean;
}

@InputType()
export class WebhookSourceFilter {
  @Field(() => [WebhookSourceKind], { nullable: true })
  kind?: WebhookSourceKind[];

  @Field(() => [WebhookVerification], { nullable: true })
  verification?: WebhookVerification[];

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => [UuidScalar], { nullable: true })
  defaultServiceId?: string[];

  @Field(() => String, { nullable: true, description: 'Text in the name' })
  @IsOptional()
  @Length(1, 200)
  q?: string;
}

type Input = Record<string, unknown>;

/** Alertmanager and Grafana send a static Authorization header but cannot compute a Standard Webhooks signature. */
const defaultVerification = (kind: WebhookSourceKind) =>
  kind === WebhookSourceKind.generic ? WebhookVerification.signature : WebhookVerification.bearer;

export class WebhookSourceService extends CrudService<WebhookSource> {
  constructor(private readonly clock: Clock) {
    super(WebhookSource, {
      label: 'webhook source',
      filters: {
        kind: { kind: 'in', property: 'kind' },
        verification: { kind: 'in', property: 'verification' },
        enabled: { kind: 'eq', property: 'enabled' },
        defaultServiceId: { kind: 'in', property: 'defaultService' },
        q: { kind: 'text', properties: ['name'] },
      },
      sort: { fields: ['name', 'createdAt', 'updatedAt', 'lastAlertAt'], default: 'name' },
      references: { defaultServiceId: { property: 'defaultService', entity: Service } },
    });
  }

  /** Creates the source with a fresh secret, returned here and never again. */
  async createWithSecret(ctx: Context, input: Input): Promise<WebhookSourceWithSecret> {
    const verification = (input.verification as WebhookVerification | undefined) ?? defaultVerification(input.kind as WebhookSourceKind);
    const secret = issueSecret(verification);
    const webhookSource = await this.create(ctx, { ...input, verification, ...secret.stored, secretRotatedAt: this.clock.now() });
    return { webhookSource, ...secret.revealed };
  }

  /**
   * Replaces the secret (and, when asked, the verification method); the old secret stops working at once. The new one
   * is returned here and never again.
   */
  async rotateSecret(ctx: Context, id: string, verification?: WebhookVerification | null): Promise<WebhookSourceWithSecret> {
    return ctx.em.transactional(async (em) => {
      const webhookSource = await em.findOne(WebhookSource, this.whereIdOrKey(id), {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        populate: ['signingSecret', 'tokenHash'],
      });
      if (!webhookSource) throw AppError.notFound(this.options.label);
      const secret = issueSecret(verification ?? webhookSource.verification);
      em.assign(webhookSource, { verification: verification ?? webhookSource.verification, ...secret.stored, secretRotatedAt: this.clock.now() });
      return { webhookSource, ...secret.revealed };
    });
  }
}

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
  @Mutation(() => WebhookSourceWithSecret, { description: 'Creates an inbound alert source; its secret is in this response only' })
  async createWebhookSource(
    @Arg('input', () => CreateWebhookSourceInput) input: CreateWebhookSourceInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookSourceWithSecret> {
    return idempotent(ctx, 'createWebhookSource', idempotencyKey, input, () => ctx.services.webhookSources.createWithSecret(ctx, { ...input }));
  }

  @Authorized(Role.admin)
  @Mutation(() => WebhookSourceWithSecret, {
    description: 'Issues a new secret (optionally switching the verification method); the old one stops working at once',
  })
  async rotateWebhookSourceSecret(
    @Arg('id', () => UuidScalar) id: string,
    @Arg('verification', () => WebhookVerification, { nullable: true }) verification: WebhookVerification | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<WebhookSourceWithSecret> {
    return ctx.services.webhookSources.rotateSecret(ctx, id, verification);
  }
}

restRoute('Mutation.createWebhookSource', { method: 'POST', path: '/webhook-sources', responseStatus: 201, tags: ['webhookSources'] });
restRoute('Mutation.rotateWebhookSourceSecret', { method: 'POST', path: '/webhook-sources/:id/rotate-secret', tags: ['webhookSources'] });
