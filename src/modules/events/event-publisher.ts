import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { OrganizationRead, organizationRead, readInOrganization } from '../../db/tenancy.js';
import type { Clock } from '../../core/clock.js';
import { AlertRule } from '../alert-rules/alert-rule.entity.js';
import { WebhookDelivery } from '../webhook-deliveries/webhook-delivery.entity.js';
import type { EventType } from './event-types.js';

/** How a record reads in an event payload: its REST shape (the api layer's RecordView implements it). */
export interface RecordSerializer {
  of(typeName: string, record: object): Promise<Record<string, unknown>>;
}

export interface PublishedRecord {
  /** The GraphQL type that describes the record (its REST shape). */
  typeName: string;
  record: object & { id: string };
  /** What the record's severity, service and team are, for rule conditions. */
  facets: { severity?: string | null; serviceId?: string | null; teamId?: string | null };
  /** Deliveries with the same key keep their order (the incident's id for incident events). */
  orderingKey: string;
}

/**
 * Announces a change to the alert rules that subscribe to it. Called inside the transaction of the change: the
 * deliveries it writes are the outbox, so a rolled-back change sends nothing and a committed one is delivered even
 * if the process dies right after.
 */
export class EventPublisher {
  constructor(
    private readonly view: () => RecordSerializer,
    private readonly clock: Clock,
  ) {}

  /**
   * The enabled rules subscribed to `type`; a caller may read them early (before taking a lock) and pass them to
   * publish.
   */
  async subscribers(em: EntityManager, type: EventType): Promise<AlertRule[]> {
    const [rules] = await readInOrganization(em, this.subscribed(type));
    return rules;
  }

  /** subscribers as a read, to run with others in one round trip (readInOrganization). */
  subscribed(type: EventType): OrganizationRead<AlertRule[]> {
    // Every write runs this: hand-written conditions (findInOrganization) instead of a built query.
    return organizationRead(AlertRule, '"enabled" = true and "event_types" @> array[?]::text[]', [type]);
  }

  /** Adds the deliveries of the matching rules (read now unless given) to `em`, written by its next flush. */
  async publish(
    em: EntityManager,
    organizationId: string,
    type: EventType,
    published: PublishedRecord,
    previous?: Record<string, unknown>,
    subscribers?: AlertRule[],
  ): Promise<void> {
    const rules = subscribers ?? (await this.subscribers(em, type));
    const matching = rules.filter((rule) => matches(rule, published.facets));
    if (!matching.length) return;
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    const createdAt = this.clock.now();
    const data = await this.view().of(published.typeName, published.record);
    const payload = {
      id,
      type,
      created_at: createdAt.toISOString(),
      organization_id: organizationId,
      data: previous ? { ...data, previous: snakeKeys(previous) } : data,
    };
    for (const rule of matching) {
      em.create(WebhookDelivery, {
        alertRule: rule,
        webhookId: id,
        eventType: type,
        payload,
        orderingKey: published.orderingKey,
        nextAttemptAt: createdAt,
      });
    }
  }
}

function matches(rule: AlertRule, facets: PublishedRecord['facets']): boolean {
  const c = rule.conditions ?? {};
  if (c.severities?.length && (!facets.severity || !c.severities.includes(facets.severity as never))) return false;
  if (c.serviceId && c.serviceId !== facets.serviceId) return false;
  if (c.teamId && c.teamId !== facets.teamId) return false;
  return true;
}

function snakeKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      v instanceof Date ? v.toISOString() : v,
    ]),
  );
}
