import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Who is on call on a schedule at one instant, and the bounds of that shift' })
export class OnCallAnswer {
  @Field(() => ID)
  scheduleId: string;

  @Field()
  at: Date;

  @Field(() => [ID], { description: 'Everyone on call at that instant; empty when nobody is' })
  userIds: string[];

  @Field(() => Date, {
    nullable: true,
    description: 'Since when the same people are on call; null when unbounded within a year',
  })
  shiftStart: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Until when the same people are on call; null when unbounded within a year',
  })
  shiftEnd: Date | null;
}

@ObjectType({ description: 'A period in which the same people are on call' })
export class OnCallShift {
  @Field(() => [ID])
  userIds: string[];

  @Field()
  start: Date;

  @Field()
  end: Date;
}

@ObjectType({
  description: 'The shifts of a schedule in a range, clipped to it; periods with nobody on call are left out',
})
export class OnCallShiftList {
  @Field(() => ID)
  scheduleId: string;

  @Field()
  from: Date;

  @Field()
  to: Date;

  @Field(() => [OnCallShift])
  shifts: OnCallShift[];
}
