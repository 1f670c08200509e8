import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { UuidScalar } from '../../core/scalars.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { OnCallSchedule } from './on-call-schedule.entity.js';
import {
  CreateOnCallScheduleInput,
  OnCallScheduleFilter,
  UpdateOnCallScheduleInput,
} from './on-call-schedule.inputs.js';
import { OnCallAnswer, OnCallShiftList } from './on-call.types.js';
import { MAX_SHIFT_RANGE_DAYS } from './on-call-schedule.service.js';
import { Cost } from '../../api/graphql/limits.js';

@Resolver(() => OnCallSchedule)
export class OnCallScheduleResolver extends CrudResolver({
  entity: OnCallSchedule,
  single: 'onCallSchedule',
  plural: 'onCallSchedules',
  path: '/on-call-schedules',
  createInput: CreateOnCallScheduleInput,
  updateInput: UpdateOnCallScheduleInput,
  filterInput: OnCallScheduleFilter,
  service: (ctx) => ctx.services.onCallSchedules,
  writeRole: Role.admin,
}) {
  @Authorized(Role.viewer)
  // Rotations and overrides are evaluated in memory for every answer.
  @Cost({ cost: 10 })
  @Query(() => OnCallAnswer, {
    description: 'Who is on call on a schedule at an instant (default now), and the bounds of that shift',
  })
  @RestRoute({
    method: 'GET',
    path: '/on-call-schedules/:scheduleId/on-call',
    tags: ['onCallSchedules'],
    description: 'Who is on call at `at` (RFC 3339; default now), and the bounds of that shift',
  })
  async onCall(
    @Arg('scheduleId', () => UuidScalar) scheduleId: string,
    @Arg('at', () => Date, { nullable: true }) at: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<OnCallAnswer> {
    return ctx.services.onCallSchedules.onCallAt(ctx, scheduleId, at);
  }

  @Authorized(Role.viewer)
  // Up to 90 days of every layer's handoffs.
  @Cost({ cost: 50 })
  @Query(() => OnCallShiftList, {
    description: `The shifts of a schedule in [from, to), clipped to the range; at most ${MAX_SHIFT_RANGE_DAYS} days`,
  })
  @RestRoute({
    method: 'GET',
    path: '/on-call-schedules/:scheduleId/shifts',
    tags: ['onCallSchedules'],
    description: `The shifts between \`from\` (default now) and \`to\` (default a week later; at most ${MAX_SHIFT_RANGE_DAYS} days)`,
  })
  async onCallShifts(
    @Arg('scheduleId', () => UuidScalar) scheduleId: string,
    @Arg('from', () => Date, { nullable: true, description: 'Default: now' }) from: Date | undefined,
    @Arg('to', () => Date, { nullable: true, description: 'Default: a week after from' }) to: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<OnCallShiftList> {
    return ctx.services.onCallSchedules.shiftsBetween(ctx, scheduleId, from, to);
  }
}
