import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Team } from '../teams/team.entity.js';

/** One layer of a schedule: participants take turns of `lengthHours`, handing off at `handoffTime` local time. */
@ObjectType({
  description: 'A rotation: participants take turns in order, each for length_hours, handing off at handoff_time',
})
export class OnCallRotation {
  @Field()
  name: string;

  @Field(() => [ID], { description: 'User ids, in turn order' })
  participantIds: string[];

  /** An instant, stored in the jsonb column as ISO 8601 text. */
  @Field(() => Date, { description: 'When the first participant goes on call' })
  startAt: string;

  @Field(() => Int, {
    description: 'Length of a turn; multiples of 24 hand off at handoff_time local wall time, across DST',
  })
  lengthHours: number;

  @Field({ description: "Local wall time of the handoff in the schedule's time zone, HH:mm" })
  handoffTime: string;
}

/** Someone on call instead of the rotations for a window. */
@ObjectType({ description: 'A user on call instead of the rotations from start_at until end_at' })
export class OnCallOverride {
  @Field(() => ID)
  userId: string;

  /** ISO 8601 text in the jsonb column. */
  @Field(() => Date)
  startAt: string;

  @Field(() => Date)
  endAt: string;
}

@ObjectType()
@Entity({ tableName: 'on_call_schedules' })
@Unique({ properties: ['organization', 'name'] })
export class OnCallSchedule extends TenantEntity<'rotations' | 'overrides'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @RelationField(() => Team, { nullable: true })
  @ManyToOne(() => Team, { nullable: true, deleteRule: 'set null' })
  team?: Team | null;

  @Field(() => ID, { nullable: true })
  teamId(): string | null {
    return this.team?.id ?? null;
  }

  @Field({ description: 'IANA time zone name, e.g. Europe/Berlin; handoff times are wall times in it' })
  @Property({ type: 'text' })
  timeZone: string;

  @Field(() => [OnCallRotation], { description: "Layers: every rotation's current participant is on call together" })
  @Property({ type: 'json', default: '[]' })
  rotations: OnCallRotation[] = [];

  @Field(() => [OnCallOverride], { description: "Each replaces the rotations' participants for its window" })
  @Property({ type: 'json', default: '[]' })
  overrides: OnCallOverride[] = [];
}
