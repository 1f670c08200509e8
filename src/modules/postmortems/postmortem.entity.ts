import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsBoolean, IsOptional, Length } from 'class-validator';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { UuidScalar } from '../../core/scalars.js';
import { Incident } from '../incidents/incident.entity.js';

export enum PostmortemStatus {
  draft = 'draft',
  in_review = 'in_review',
  published = 'published',
}
registerEnumType(PostmortemStatus, { name: 'PostmortemStatus' });

@ObjectType({ description: 'One line of a postmortem timeline' })
@InputType('PostmortemTimelineEntryInput')
export class PostmortemTimelineEntry {
  @Field()
  at: Date;

  @Field()
  @Length(1, 2000)
  description: string;
}

@ObjectType()
@InputType('ActionItemInput')
export class ActionItem {
  @Field()
  @Length(1, 2000)
  description: string;

  @Field(() => UuidScalar, { nullable: true, description: 'The user who owns the follow-up' })
  @IsOptional()
  ownerId?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  dueAt?: Date | null;

  @Field({ defaultValue: false })
  @IsBoolean()
  done: boolean = false;
}

@ObjectType()
@Entity({ tableName: 'postmortems' })
@Unique({ properties: ['organization', 'incident'] })
export class Postmortem extends TenantEntity<
  'status' | 'timeline' | 'contributingFactors' | 'actionItems' | 'aiGenerated'
> {
  @RelationField(() => Incident)
  @ManyToOne(() => Incident, { deleteRule: 'cascade' })
  incident: Incident;

  @Field(() => ID)
  incidentId(): string {
    return this.incident.id;
  }

  @Field()
  @Property({ type: 'text' })
  title: string;

  @Field(() => PostmortemStatus)
  @Enum({ items: () => PostmortemStatus, nativeEnumName: 'postmortem_status', default: PostmortemStatus.draft })
  status: PostmortemStatus = PostmortemStatus.draft;

  @Field(() => String, { nullable: true, description: 'Who and what was affected, for how long' })
  @Property({ type: 'text', nullable: true })
  severityImpact?: string | null;

  @Field(() => [PostmortemTimelineEntry])
  @Property({ type: 'jsonb', default: '[]' })
  timeline: PostmortemTimelineEntry[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  rootCause?: string | null;

  @Field(() => [String])
  @Property({ type: 'jsonb', default: '[]' })
  contributingFactors: string[] = [];

  @Field(() => [ActionItem])
  @Property({ type: 'jsonb', default: '[]' })
  actionItems: ActionItem[] = [];

  @Field(() => Int, { nullable: true, description: 'From started to resolved; filled from the incident when left out' })
  @Property({ type: 'int', nullable: true })
  durationMinutes?: number | null;

  @Field({ description: 'True when the content was drafted by Argus AI rather than written by a person' })
  @Property({ type: 'boolean', default: false })
  aiGenerated: boolean = false;
}
