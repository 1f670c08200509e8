import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantEntity } from '../../db/base.entity.js';
import { WebhookSource } from './webhook-source.entity.js';

/**
 * A processed `webhook-id` of a source, with the answer it got: a replay of the same id is answered the same way and
 * has no second effect. The unique constraint is the last line of defence if two deliveries of one id race.
 */
@Entity({ tableName: 'webhook_receipts' })
@Unique({ properties: ['source', 'webhookId'] })
export class WebhookReceipt extends TenantEntity<'summary'> {
  @ManyToOne(() => WebhookSource, { deleteRule: 'cascade' })
  source: WebhookSource;

  @Property({ type: 'text' })
  webhookId: string;

  @Property({ type: 'jsonb', default: '{}' })
  summary: Record<string, unknown> = {};
}
