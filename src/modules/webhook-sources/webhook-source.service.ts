import { LockMode } from '@mikro-orm/core';
import { CrudService } from '../crud.service.js';
import { AppError } from '../../core/errors.js';
import type { Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import { type IssuedSecret, issueSecret } from './source-secrets.js';
import { WebhookSource, WebhookSourceKind, WebhookVerification } from './webhook-source.entity.js';
import { CreateWebhookSourceInput, UpdateWebhookSourceInput, WebhookSourceFilter } from './webhook-source.inputs.js';

type Input = Record<string, unknown>;

/** Alertmanager and Grafana send a static Authorization header but cannot compute a Standard Webhooks signature. */
const defaultVerification = (kind: WebhookSourceKind) =>
  kind === WebhookSourceKind.generic ? WebhookVerification.signature : WebhookVerification.bearer;

export class WebhookSourceService extends CrudService<WebhookSource> {
  constructor(private readonly clock: Clock) {
    super(WebhookSource, {
      label: 'webhook source',
      filter: WebhookSourceFilter,
      inputs: [CreateWebhookSourceInput, UpdateWebhookSourceInput],
      sort: { fields: ['name', 'createdAt', 'updatedAt', 'lastAlertAt'], default: 'name' },
    });
  }

  /** Creates the source with a fresh secret, returned here and never again. */
  async createWithSecret(scope: Scope, input: Input): Promise<WebhookSource> {
    const verification =
      (input.verification as WebhookVerification | undefined) ?? defaultVerification(input.kind as WebhookSourceKind);
    const secret = issueSecret(verification);
    const webhookSource = await this.create(scope, {
      ...input,
      verification,
      ...secret.stored,
      secretRotatedAt: this.clock.now(),
    });
    return reveal(webhookSource, secret);
  }

  /**
   * Replaces the secret (and, when asked, the verification method); the old secret stops working at once. The new one
   * is returned here and never again.
   */
  async rotateSecret(scope: Scope, id: string, verification?: WebhookVerification | null): Promise<WebhookSource> {
    return scope.em.transactional(async (em) => {
      const webhookSource = await em.findOne(WebhookSource, this.whereIdOrKey(id), {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        populate: ['signingSecret', 'tokenHash'],
      });
      if (!webhookSource) throw AppError.notFound(this.options.label);
      const secret = issueSecret(verification ?? webhookSource.verification);
      em.assign(webhookSource, {
        verification: verification ?? webhookSource.verification,
        ...secret.stored,
        secretRotatedAt: this.clock.now(),
      });
      return reveal(webhookSource, secret);
    });
  }
}

/** The source as the create and rotate responses show it: its fields and the secret just issued, once. */
function reveal(source: WebhookSource, secret: IssuedSecret): WebhookSource {
  source.revealedSigningSecret = secret.revealed.signingSecret ?? undefined;
  source.revealedBearerToken = secret.revealed.bearerToken ?? undefined;
  return source;
}
