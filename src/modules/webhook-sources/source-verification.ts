import type { IncomingHttpHeaders } from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { isUuid } from '../../core/scalars.js';
import type { Severity } from '../incidents/incident.enums.js';
import { WebhookSourceKind, WebhookVerification } from './webhook-source.entity.js';
import { Verdict, verifyBearer, verifySignature } from './source-secrets.js';

/** One message for every refusal, so the endpoint tells an outsider nothing about which sources exist. */
const REFUSED = 'Unknown or disabled webhook source, or its signature or token does not verify';

/** What processing needs of the verified source; its row is referenced, not locked. */
export interface SourceInfo {
  id: string;
  organizationId: string;
  name: string;
  defaultSeverity: Severity | null;
  defaultServiceId: string | null;
}

interface SourceRow {
  id: string;
  organization_id: string;
  name: string;
  kind: WebhookSourceKind;
  verification: WebhookVerification;
  enabled: boolean;
  default_severity: Severity | null;
  default_service_id: string | null;
  signing_secret: string | null;
  token_hash: string | null;
}

/**
 * The source a request names, when it is enabled and the request's Standard Webhooks signature or bearer token
 * verifies; otherwise the same 401 whatever the reason (the reason goes to the log only).
 */
export async function verifySource(
  root: EntityManager,
  request: { sourceId: string; body: Buffer; headers: IncomingHttpHeaders },
  log: Logger,
): Promise<{ source: SourceInfo; kind: WebhookSourceKind; webhookId: string | null }> {
  const refuse = (reason: string) => {
    log.warn({ webhookSourceId: request.sourceId, reason }, 'inbound alert refused');
    return AppError.unauthenticated(REFUSED);
  };
  if (!isUuid(request.sourceId)) throw refuse('not a source id');
  // A plain read (not an entity): the source is not changed here, and its secrets are read by no other path.
  const [source] = await root.getConnection().execute<SourceRow[]>(
    `select id, organization_id, name, kind, verification, enabled, default_severity, default_service_id, signing_secret, token_hash
       from webhook_sources where id = ?`,
    [request.sourceId.toLowerCase()],
  );
  if (!source) throw refuse('no such source');
  if (!source.enabled) throw refuse('source disabled');
  let verdict: Verdict;
  if (source.verification === WebhookVerification.signature) {
    verdict = source.signing_secret
      ? verifySignature(source.signing_secret, request.body, request.headers)
      : { ok: false, reason: 'no secret' };
  } else {
    verdict = source.token_hash ? verifyBearer(source.token_hash, request.headers) : { ok: false, reason: 'no token' };
  }
  if (!verdict.ok) throw refuse(verdict.reason);
  return {
    source: {
      id: source.id,
      organizationId: source.organization_id,
      name: source.name,
      defaultSeverity: source.default_severity,
      defaultServiceId: source.default_service_id,
    },
    kind: source.kind,
    webhookId: verdict.webhookId,
  };
}
