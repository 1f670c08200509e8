import { createHash, hkdfSync } from 'node:crypto';
import { openWithKey, sealWithKey } from '../../core/secret-box.js';
import { Utils } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Context } from '../graphql/context.js';

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;
/** Stripe's rule: up to 255 characters; here visible ASCII, so a key never hides spaces or control characters. */
const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export const IDEMPOTENCY_KEY_DESCRIPTION =
  `Makes the create safe to retry (REST: the Idempotency-Key header): a repeat with the same key and input within ` +
  `${IDEMPOTENCY_TTL_HOURS} hours returns the record the first one created instead of creating another; the same key ` +
  'with another input is IDEMPOTENCY_KEY_REUSED. Keys belong to the caller within the organization.';

/**
 * Runs a create at most once per Idempotency-Key of the caller (organization + user). The key is claimed with an
 * INSERT in the create's own transaction: a concurrent duplicate waits on that row until the first commits, then
 * replays it; a create that fails rolls its claim back with it, so failures are never replayed and a retry runs again.
 * A replay answers with the same record (read again, so as it is now) and the same one-time secrets, which are kept
 * encrypted under a key derived from the Idempotency-Key, known only to the client.
 */
export async function idempotent<R>(
  ctx: Context,
  operation: string,
  key: string | null | undefined,
  input: object,
  run: () => Promise<R>,
): Promise<R> {
  if (key === undefined || key === null) return run();
  if (!KEY_SHAPE.test(key))
    throw AppError.validation('idempotencyKey', 'must be 1 to 255 visible ASCII characters (a UUID is a good choice)');
  const auth = ctx.actor;
  if (!auth) throw AppError.unauthenticated();
  const scope = [auth.organizationId, auth.userId];
  const keyHash = sha256(key);
  const fingerprint = sha256(`${operation}\n${canonicalJson(input)}`);
  const outer = ctx.em;
  return outer.transactional(async (txEm) => {
    const em = txEm;
    const connection = em.getConnection();
    const trx = em.getTransactionContext<object>();
    // A live row is left alone (the conflict waits for a claim still in flight); an expired one is taken over.
    const claimed = await connection.execute<Array<{ id: string }>>(
      `insert into idempotency_keys as k (id, organization_id, user_id, key_hash, operation, fingerprint, created_at, expires_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, now(), now() + interval '${IDEMPOTENCY_TTL_HOURS} hours')
       on conflict (organization_id, user_id, key_hash) do update
         set operation = excluded.operation, fingerprint = excluded.fingerprint, response = null,
             created_at = excluded.created_at, expires_at = excluded.expires_at
         where k.expires_at <= now()
       returning id`,
      [...scope, keyHash, operation, fingerprint],
      'all',
      trx,
    );
    if (claimed.length) {
      ctx.em = em;
      let result: R;
      try {
        result = await run();
      } finally {
        ctx.em = outer;
      }
      const sealed = seal(key, scope, JSON.stringify(snapshot(em, result)));
      // With the create's last statement when it ends with one (an incident's), as the audit row.
      await ctx.services.unitOfWork.join(em, {
        sql: 'update idempotency_keys set response = ? where id = ?',
        params: [sealed, claimed[0].id],
      });
      return result;
    }
    const [row] = await connection.execute<Array<{ operation: string; fingerprint: string; response: Buffer | null }>>(
      'select operation, fingerprint, response from idempotency_keys where organization_id = ? and user_id = ? and key_hash = ?',
      [...scope, keyHash],
      'all',
      trx,
    );
    if (!row || row.fingerprint !== fingerprint || !row.response) {
      throw new AppError(
        'IDEMPOTENCY_KEY_REUSED',
        row && row.operation !== operation
          ? `This Idempotency-Key was used for ${row.operation}; use a new key for another request`
          : 'This Idempotency-Key was used with a different request body; use a new key for another request',
        [{ field: 'idempotencyKey', message: 'was already used with a different request' }],
      );
    }
    return (await revive(em, JSON.parse(open(key, scope, row.response)) as Snapshot)) as R;
  });
}

/** Removes keys past their time; the claim above already ignores them, this only keeps the table small. */
export async function deleteExpiredIdempotencyKeys(em: EntityManager): Promise<number> {
  const rows = await em
    .getConnection()
    .execute<Array<{ id: string }>>('delete from idempotency_keys where expires_at <= now() returning id');
  return rows.length;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** JSON with sorted keys, so that the same input sent as REST or GraphQL, in any key order, has one fingerprint. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

type Snapshot =
  | null
  | boolean
  | number
  | string
  | Snapshot[]
  | { $date: string }
  | { $entity: string; id: string; transient: Record<string, unknown> }
  | { $object: Record<string, Snapshot> };

/** What a create returned, with records by reference (plus their not-stored fields, e.g. a secret shown once). */
function snapshot(em: EntityManager, value: unknown): Snapshot {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Utils.isEntity(value)) {
    const meta = em.getMetadata().find(value.constructor.name)!;
    const record = value as Record<string, unknown>;
    const transient = Object.fromEntries(
      Object.values(meta.properties)
        .filter((p) => p.persist === false && record[p.name] !== undefined)
        .map((p) => [p.name, record[p.name]]),
    );
    return { $entity: meta.className, id: String(record.id), transient };
  }
  if (Array.isArray(value)) return (value as unknown[]).map((v) => snapshot(em, v));
  if (value && typeof value === 'object')
    return { $object: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(em, v)])) };
  return value ?? null;
}

async function revive(em: EntityManager, value: Snapshot): Promise<unknown> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => revive(em, v)));
  if (value && typeof value === 'object') {
    if ('$date' in value) return new Date(value.$date);
    if ('$entity' in value) {
      const meta = em.getMetadata().find(value.$entity);
      const record = meta && ((await em.findOne(meta.class, { id: value.id })) as object | null);
      if (!record) throw new AppError('NOT_FOUND', 'The record this Idempotency-Key created no longer exists');
      return Object.assign(record, value.transient);
    }
    const entries = await Promise.all(
      Object.entries(value.$object).map(async ([k, v]) => [k, await revive(em, v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

function cipherKey(key: string, scope: string[]): Buffer {
  return Buffer.from(hkdfSync('sha256', key, scope.join(':'), 'argus idempotent response', 32));
}

function seal(key: string, scope: string[], plain: string): Buffer {
  return sealWithKey(cipherKey(key, scope), plain);
}

function open(key: string, scope: string[], sealed: Buffer): string {
  return openWithKey(cipherKey(key, scope), sealed);
}
