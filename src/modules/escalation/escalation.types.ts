import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One page of an escalation: a level paged at a time, its targets resolved to users' })
export class EscalationStep {
  @Field(() => Int, { description: '1-based' })
  level: number;

  @Field(() => Int, { description: '0 for the first pass, then 1..repeat' })
  repetition: number;

  @Field()
  at: Date;

  @Field(() => [ID])
  targetIds: string[];

  @Field(() => [ID], {
    description: 'The users paged: user targets, and whoever is on call on schedule targets at that time',
  })
  userIds: string[];

  @Field({ description: 'True when the incident had been acknowledged (or moved past open) by then: not sent' })
  suppressed: boolean;
}

@ObjectType({ description: 'Who an escalation policy pages, and when, for an incident that is not acknowledged' })
export class EscalationPlan {
  @Field(() => ID)
  policyId: string;

  @Field(() => ID, { nullable: true })
  incidentId: string | null;

  @Field({ description: "When level 1 is paged: the incident's started_at, the start argument, or now" })
  start: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the incident stopped escalating (acknowledged or moved past open); null if it has not',
  })
  stoppedAt: Date | null;

  @Field(() => [EscalationStep])
  steps: EscalationStep[];
}
