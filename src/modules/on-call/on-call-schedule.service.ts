import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors.js';
import type { Actor, Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import { CrudService } from '../crud.service.js';
import { User } from '../users/user.entity.js';
import { EscalationPolicy } from '../escalation/escalation-policy.entity.js';
import { OnCallCalculator, canonicalTimeZone } from './on-call-calculator.js';
import { OnCallOverride, OnCallRotation, OnCallSchedule } from './on-call-schedule.entity.js';
import {
  CreateOnCallScheduleInput,
  OnCallOverrideInput,
  OnCallRotationInput,
  OnCallScheduleFilter,
  UpdateOnCallScheduleInput,
} from './on-call-schedule.inputs.js';
import type { OnCallAnswer, OnCallShiftList } from './on-call.types.js';

type Input = Record<string, unknown>;

const DAY_MS = 86_400_000;
/** The longest range the shifts listing answers. */
export const MAX_SHIFT_RANGE_DAYS = 90;
/** The range the shifts listing answers when `to` is left out. */
export const DEFAULT_SHIFT_RANGE_DAYS = 7;

/** On-call schedules: CRUD with their rules, and the answers computed from them (who is on call, shifts). */
export class OnCallScheduleService extends CrudService<OnCallSchedule> {
  constructor(private readonly clock: Clock) {
    super(OnCallSchedule, {
      label: 'on-call schedule',
      filter: OnCallScheduleFilter,
      inputs: [CreateOnCallScheduleInput, UpdateOnCallScheduleInput],
      sort: { fields: ['name', 'createdAt', 'updatedAt'], default: 'name' },
    });
  }

  /** Who is on call at `at` (default: now), with the bounds of that shift. */
  async onCallAt(scope: Scope, scheduleId: string, at?: Date | null): Promise<OnCallAnswer> {
    const schedule = await this.get(scope, scheduleId);
    const when = at ?? this.clock.now();
    const shift = calculatorFor(schedule).shiftAt(when);
    return { scheduleId: schedule.id, at: when, userIds: shift.userIds, shiftStart: shift.start, shiftEnd: shift.end };
  }

  /** The shifts in [from, to): from defaults to now, to to a week later; at most MAX_SHIFT_RANGE_DAYS. */
  async shiftsBetween(
    scope: Scope,
    scheduleId: string,
    from?: Date | null,
    to?: Date | null,
  ): Promise<OnCallShiftList> {
    const start = from ?? this.clock.now();
    const end = to ?? new Date(start.getTime() + DEFAULT_SHIFT_RANGE_DAYS * DAY_MS);
    if (end.getTime() <= start.getTime()) throw AppError.validation('to', 'must be after from');
    if (end.getTime() - start.getTime() > MAX_SHIFT_RANGE_DAYS * DAY_MS) {
      throw AppError.validation('to', `must be at most ${MAX_SHIFT_RANGE_DAYS} days after from`);
    }
    const schedule = await this.get(scope, scheduleId);
    return { scheduleId: schedule.id, from: start, to: end, shifts: calculatorFor(schedule).shiftsBetween(start, end) };
  }

  /** A schedule that an escalation policy pages cannot be deleted until the policy stops naming it. */
  override async remove(scope: Scope, idOrKey: string): Promise<boolean> {
    const schedule = await this.get(scope, idOrKey);
    const policies = await scope.em.find(EscalationPolicy, {}, { fields: ['id', 'name', 'levels'] });
    const using = policies.filter((p) => p.levels.some((level) => level.targetIds.includes(schedule.id)));
    if (using.length) {
      throw AppError.conflict(
        `The schedule is a target of escalation policy ${using.map((p) => `"${p.name}"`).join(', ')}; remove it there first`,
        [{ field: 'id', message: 'is a target of an escalation policy' }],
      );
    }
    await scope.em.remove(schedule).flush();
    return true;
  }

  protected override async beforeCreate(em: EntityManager, _auth: Actor, data: Input): Promise<Input> {
    return this.normalize(em, { rotations: [], overrides: [], ...data });
  }

  protected override async applyUpdate(
    em: EntityManager,
    _auth: Actor,
    record: OnCallSchedule,
    data: Input,
  ): Promise<void> {
    em.assign(record, (await this.normalize(em, data)) as never);
  }

  /** Canonical time zone, rotations and overrides in their stored form, every user checked against the organization. */
  private async normalize(em: EntityManager, data: Input): Promise<Input> {
    const out = { ...data };
    if (data.timeZone !== undefined) {
      const zone = canonicalTimeZone(data.timeZone as string);
      if (!zone) throw AppError.validation('timeZone', 'must be an IANA time zone name such as Europe/Berlin');
      out.timeZone = zone;
    }
    const rotations = data.rotations as OnCallRotationInput[] | undefined;
    const overrides = data.overrides as OnCallOverrideInput[] | undefined;
    const users: { field: string; id: string }[] = [];
    if (rotations) {
      rotations.forEach((r, i) => {
        if (r.startAt.getTime() < 0)
          throw AppError.validation(`rotations.${i}.startAt`, 'must be on or after 1970-01-01');
        r.participantIds.forEach((id) => users.push({ field: `rotations.${i}.participantIds`, id }));
      });
      out.rotations = rotations.map((r): OnCallRotation => ({
        name: r.name,
        participantIds: r.participantIds,
        startAt: r.startAt.toISOString(),
        lengthHours: r.lengthHours,
        handoffTime: r.handoffTime,
      }));
    }
    if (overrides) {
      overrides.forEach((o, i) => {
        if (o.endAt.getTime() <= o.startAt.getTime())
          throw AppError.validation(`overrides.${i}.endAt`, 'must be after its start');
        users.push({ field: `overrides.${i}.userId`, id: o.userId });
      });
      out.overrides = overrides.map((o): OnCallOverride => ({
        userId: o.userId,
        startAt: o.startAt.toISOString(),
        endAt: o.endAt.toISOString(),
      }));
    }
    await assertUsersOfOrganization(em, users);
    return out;
  }
}

/** The pure calculator for a stored schedule. */
export function calculatorFor(schedule: OnCallSchedule): OnCallCalculator {
  return new OnCallCalculator({
    timeZone: schedule.timeZone,
    rotations: schedule.rotations.map((r) => ({ ...r, startAt: new Date(r.startAt) })),
    overrides: schedule.overrides.map((o) => ({
      userId: o.userId,
      startAt: new Date(o.startAt),
      endAt: new Date(o.endAt),
    })),
  });
}

/**
 * Each id must be a user of the caller's organization (the tenant filter hides everyone else); 400 naming the field.
 */
async function assertUsersOfOrganization(em: EntityManager, refs: { field: string; id: string }[]): Promise<void> {
  if (!refs.length) return;
  const ids = [...new Set(refs.map((r) => r.id))];
  const found = new Set((await em.find(User, { id: { $in: ids } }, { fields: ['id'] })).map((u) => u.id));
  const missing = refs.find((r) => !found.has(r.id));
  if (missing) throw AppError.validation(missing.field, `refers to no user of this organization: ${missing.id}`);
}
