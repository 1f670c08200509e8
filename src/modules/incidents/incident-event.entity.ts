import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../db/base.entity.js';
import { timeOrderedId } from '../../core/ids.js';
import { RelationField } from '../../db/relation-field.js';
import { User } from '../users/user.entity.js';
import { Incident } from './incident.entity.js';
import { IncidentEventType } from './incident.enums.js';

@ObjectType({ description: 'A timeline entry of an incident', simpleResolvers: true })
@Entity({ tableName: 'incident_events' })
@Index({ properties: ['incident', 'occurredAt'] })
// Analytics (src/modules/analytics): the few entries its figures read, each in a partial index.
@Index({
  name: 'incident_events_severity_changes_index',
  expression: `create index "incident_events_severity_changes_index" on "incident_events" ("organization_id", "incident_id", ("data"->>'from')) where "type" = 'severity_changed'`,
})
@Index({
  name: 'incident_events_reopens_index',
  expression: `create index "incident_events_reopens_index" on "incident_events" ("organization_id", "incident_id") where "type" = 'status_changed' and ("data"->>'to') = 'open'`,
})
@Index({
  name: 'incident_events_on_call_touches_index',
  expression: `create index "incident_events_on_call_touches_index" on "incident_events" ("organization_id", "occurred_at") where "type" = 'assigned' or "type" = 'created' or ("type" = 'status_changed' and ("data"->>'from') = 'open')`,
})
export class IncidentEvent extends TenantEntity<'occurredAt' | 'data'> {
  /**
   * Time-ordered, so entries of one instant keep the order they were written in (lists sort on occurred_at, then id).
   */
  override id: string = timeOrderedId();

  @RelationField(() => Incident)
  @ManyToOne(() => Incident, { deleteRule: 'cascade' })
  incident: Incident;

  @Field(() => ID)
  incidentId(): string {
    return this.incident.id;
  }

  @Field(() => IncidentEventType)
  @Enum({ items: () => IncidentEventType, nativeEnumName: 'incident_event_type' })
  type: IncidentEventType;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  message?: string | null;

  @RelationField(() => User, { nullable: true })
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor?: User | null;

  @Field(() => ID, { nullable: true })
  actorId(): string | null {
    return this.actor?.id ?? null;
  }

  @Field(() => GraphQLJSONObject, { description: 'Structured details, e.g. {"from": "open", "to": "resolved"}' })
  @Property({ type: 'jsonb', default: '{}' })
  data: Record<string, unknown> = {};

  @Field()
  @Property({ type: 'timestamptz' })
  occurredAt: Date = new Date();
}
