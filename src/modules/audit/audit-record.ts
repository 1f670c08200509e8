import type { EntityManager } from '@mikro-orm/postgresql';

/** Who made a request that is audited outside a mutation (single sign-on's callback), as the request told it. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditRecord {
  organizationId: string | null;
  actorId: string | null;
  action: string;
  outcome: 'success' | 'failure';
  errorCode: string | null;
  recordType: string | null;
  recordId: string | null;
}

/** One audit row for an action that is not a GraphQL mutation (those are audited by the mutation wrapper). */
export async function recordAudit(em: EntityManager, row: AuditRecord, origin: RequestOrigin): Promise<void> {
  await em.getConnection().execute(
    `insert into audit_events (id, created_at, organization_id, actor_id, action, outcome, error_code, record_type, record_id,
       changed_fields, surface, ip, user_agent, request_id)
     values (gen_random_uuid(), date_trunc('milliseconds', clock_timestamp()), ?, ?, ?, ?, ?, ?, ?, '{}', 'rest', ?, ?, ?)`,
    [
      row.organizationId,
      row.actorId,
      row.action,
      row.outcome,
      row.errorCode,
      row.recordType,
      row.recordId,
      origin.ip,
      origin.userAgent?.slice(0, 500) ?? null,
      origin.requestId,
    ],
  );
}
