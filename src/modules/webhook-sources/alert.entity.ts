import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { TenantEntity } from '../../db/base.entity.js';
import { Incident } from '../incidents/incident.entity.js';
import { WebhookSource } from './webhook-source.entity.js';

export enum AlertStatus {
  firing = 'firing',
  resolved = 'resolved',
}

/**
 * One alert of a source (by its dedup key) linked to the incident it opened or joined. A dedup key has at most one
 * row per incident: when its incident is resolved and the alert fires again, a new incident and a new row follow.
 */
@Entity({ tableName: 'alerts' })
@Unique({ properties: ['source', 'dedupKey', 'incident'] })
@Index({ properties: ['source', 'groupKey'] })
export class Alert extends TenantEntity<'occurrences' | 'labels' | 'payload'> {
  @ManyToOne(() => WebhookSource, { deleteRule: 'cascade' })
  source: WebhookSource;

  @Property({ type: 'text' })
  dedupKey: string;

  /**
   * The notification group the alert arrived in (Alertmanager / Grafana groupKey); alerts of a group share an incident.
   */
  @Property({ type: 'text', nullable: true })
  groupKey?: string | null;

  @ManyToOne(() => Incident, { deleteRule: 'cascade', index: true })
  incident: Incident;

  @Enum({ items: () => AlertStatus, nativeEnumName: 'alert_status' })
  status: AlertStatus;

  @Property({ type: 'text' })
  title: string;

  @Property({ type: 'jsonb', default: '{}' })
  labels: Record<string, string> = {};

  @Property({ type: 'timestamptz' })
  startsAt: Date;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  lastReceivedAt: Date;

  /** How many notifications carried this alert for this incident. */
  @Property({ type: 'int', default: 1 })
  occurrences: number = 1;

  /** The alert as last received, cut down to a bounded size. */
  @Property({ type: 'jsonb', default: '{}' })
  payload: Record<string, unknown> = {};
}
