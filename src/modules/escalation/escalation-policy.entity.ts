import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Team } from '../teams/team.entity.js';

/** One step of a policy: who is paged, and how long they have before the next level is. */
@ObjectType({
  description: 'A level: its targets are paged, and after delay_minutes without acknowledgement the next level is',
})
export class EscalationLevel {
  @Field(() => Int, {
    description: 'Minutes this level has to acknowledge before the next level (or the repeat) is paged',
  })
  delayMinutes: number;

  @Field(() => [ID], { description: 'User ids and on-call schedule ids; a schedule pages whoever is on call then' })
  targetIds: string[];
}

@ObjectType()
@Entity({ tableName: 'escalation_policies' })
@Unique({ properties: ['organization', 'name'] })
export class EscalationPolicy extends TenantEntity<'repeat'> {
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

  @Field(() => [EscalationLevel])
  @Property({ type: 'json' })
  levels: EscalationLevel[];

  @Field(() => Int, { description: 'How many more times the whole sequence runs after the first pass, 0–5' })
  @Property({ type: 'smallint', default: 0 })
  repeat: number = 0;
}
