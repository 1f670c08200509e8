import { DateTime, IANAZone } from 'luxon';

/**
 * Who is on call, computed from a schedule's rotations and overrides. Pure: no database, no clock; instants in,
 * instants out. The rules (also in docs/DECISIONS.md, "On-call and escalation"):
 *
 * - A rotation hands off on a grid anchored at `handoffTime` (local wall time in the schedule's time zone) on the
 *   local date of `startAt`. Grid point k lies k × lengthHours after that anchor, counted as whole local days plus the
 *   remaining real hours: point k = (anchor date + ⌊k·L/24⌋ days) at handoffTime, plus (k·L mod 24) real hours.
 *   So a length that is a multiple of 24 always hands off at handoffTime local wall time (a shift spanning a DST change
 *   lasts 23 or 25 real hours), and any other length realigns to handoffTime each time a whole number of days has
 *   elapsed, its shifts in between lasting exactly L real hours (the shift that ends at the realignment absorbs a DST
 *   change). A grid point that falls on the next one (an hour-long shift in a 23-hour day) gives an empty shift,
 *   which is skipped together with that turn.
 * - The first participant is on call from `startAt` until the first grid point k ≥ 1 after `startAt`; then the
 *   participants take turns in order, one grid interval each, forever. Nobody from the rotation is on call before
 *   `startAt`.
 * - A handoff time that does not exist on a day (clocks go forward) moves forward by the gap; one that happens twice
 *   (clocks go back) happens at its second occurrence.
 * - Rotations are layers that are on call together: the answer is every rotation's current participant, in rotation
 *   order, each user once.
 * - An override replaces all rotation participants for its window [startAt, endAt); overlapping overrides are on call
 *   together (in order of their start).
 * - A shift is a maximal period in which the same people (in the same order) are on call; its ends are null when no
 *   change happens within SEARCH_LIMIT_MS in that direction (or ever).
 */

export interface RotationSpec {
  participantIds: string[];
  startAt: Date;
  lengthHours: number;
  /** "HH:mm", local wall time in the schedule's time zone. */
  handoffTime: string;
}

export interface OverrideSpec {
  userId: string;
  startAt: Date;
  endAt: Date;
}

export interface ScheduleSpec {
  timeZone: string;
  rotations: RotationSpec[];
  overrides: OverrideSpec[];
}

export interface Shift {
  userIds: string[];
  /** Null when the same people have been on call for longer than the search limit (or forever). */
  start: Date | null;
  /** Null when the same people stay on call for longer than the search limit (or forever). */
  end: Date | null;
}

export interface RangeShift {
  userIds: string[];
  start: Date;
  end: Date;
}

const HOUR_MS = 3_600_000;
/** How far the bounds of a shift are searched for, each way. */
export const SEARCH_LIMIT_MS = 366 * 24 * HOUR_MS;
export const HANDOFF_TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The shape of a tz database name: `UTC`, `Europe/Berlin`, `America/Argentina/Buenos_Aires`, `Etc/GMT+1`. A fixed UTC
 * offset (`+01:00`, `-0500`) starts with a sign and never matches, whatever the runtime's Intl would accept (Node 22
 * and 24 accept offsets as zones): a schedule's zone must follow daylight saving (docs/DECISIONS.md, "Time zones").
 */
const TZ_DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** The canonical IANA name of a time zone ("europe/berlin" → "Europe/Berlin"), or null when it is not one. */
export function canonicalTimeZone(name: string): string | null {
  if (!name || name.length > 64 || !TZ_DATABASE_NAME.test(name) || !IANAZone.isValidZone(name)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

/** One rotation's grid, with its anchor resolved in the schedule's time zone. */
class RotationGrid {
  private readonly anchorDate: { year: number; month: number; day: number };
  private readonly hour: number;
  private readonly minute: number;
  private readonly lengthHours: number;
  private readonly startMs: number;
  /** Index of the first grid point after startAt (≥ 1); the first participant's turn ends there. */
  private readonly firstHandoff: number;
  private readonly cache = new Map<number, number>();

  constructor(
    private readonly rotation: RotationSpec,
    private readonly zone: string,
  ) {
    if (!HANDOFF_TIME_PATTERN.test(rotation.handoffTime))
      throw new RangeError(`handoffTime must be HH:mm, got ${rotation.handoffTime}`);
    if (!Number.isInteger(rotation.lengthHours) || rotation.lengthHours < 1)
      throw new RangeError('lengthHours must be a positive integer');
    const [hour, minute] = rotation.handoffTime.split(':').map(Number);
    this.hour = hour;
    this.minute = minute;
    this.lengthHours = rotation.lengthHours;
    this.startMs = rotation.startAt.getTime();
    const local = DateTime.fromMillis(this.startMs, { zone });
    this.anchorDate = { year: local.year, month: local.month, day: local.day };
    let k = Math.max(1, Math.floor((this.startMs - this.point(0)) / (this.lengthHours * HOUR_MS)) - 1);
    while (this.point(k) <= this.startMs) k++;
    while (k > 1 && this.point(k - 1) > this.startMs) k--;
    this.firstHandoff = k;
  }

  get participants(): string[] {
    return this.rotation.participantIds;
  }

  /** Grid point k as epoch milliseconds. */
  point(k: number): number {
    const totalHours = k * this.lengthHours;
    const days = Math.floor(totalHours / 24);
    return this.dayStart(days) + (totalHours - days * 24) * HOUR_MS;
  }

  /** handoffTime on the anchor date + `days`, in the schedule's zone (the only place that asks the zone rules). */
  private dayStart(days: number): number {
    const cached = this.cache.get(days);
    if (cached !== undefined) return cached;
    const date = new Date(Date.UTC(this.anchorDate.year, this.anchorDate.month - 1, this.anchorDate.day + days));
    const ms = DateTime.fromObject(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: this.hour,
        minute: this.minute,
      },
      { zone: this.zone },
    ).toMillis();
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(days, ms);
    return ms;
  }

  /** The turn at instant t: which participant, and the turn's bounds; null before the rotation starts. */
  turnAt(t: number): { participant: string; start: number; end: number } | null {
    if (t < this.startMs || !this.participants.length) return null;
    if (t < this.point(this.firstHandoff)) {
      return { participant: this.participants[0], start: this.startMs, end: this.point(this.firstHandoff) };
    }
    // Estimate the grid index from elapsed real time, then correct for DST and realignments.
    let k = Math.max(this.firstHandoff, Math.floor((t - this.point(0)) / (this.lengthHours * HOUR_MS)));
    while (this.point(k) > t) k--;
    while (this.point(k + 1) <= t) k++;
    const turn = k - this.firstHandoff + 1;
    return {
      participant: this.participants[turn % this.participants.length],
      start: this.point(k),
      end: this.point(k + 1),
    };
  }

  /** The first instant after t at which this rotation's participant changes (or it starts); null if never. */
  nextChange(t: number): number | null {
    // Walking forward asks again and again from inside the same turn; the answer holds until it is reached.
    const memo = this.nextMemo;
    if (memo && memo.from <= t && (memo.value === null || t < memo.value)) return memo.value;
    const value = this.computeNextChange(t);
    this.nextMemo = { from: t, value };
    return value;
  }

  private nextMemo: { from: number; value: number | null } | undefined;

  private computeNextChange(t: number): number | null {
    if (t < this.startMs) return this.startMs;
    if (new Set(this.participants).size <= 1) return null;
    let turn = this.turnAt(t)!;
    for (let i = 0; i < this.participants.length + 1; i++) {
      const next = this.turnAt(turn.end)!;
      if (next.participant !== turn.participant) return turn.end;
      turn = next;
    }
    return turn.end;
  }

  /** The last instant ≤ t at which this rotation's participant changed (or it started); null before the start. */
  lastChange(t: number): number | null {
    if (t < this.startMs) return null;
    let turn = this.turnAt(t)!;
    if (new Set(this.participants).size <= 1) return this.startMs;
    for (let i = 0; i < this.participants.length + 1 && turn.start > this.startMs; i++) {
      const previous = this.turnAt(turn.start - 1)!;
      if (previous.participant !== turn.participant) return turn.start;
      turn = previous;
    }
    return turn.start;
  }
}

/** A schedule ready for questions; build once per request, ask many times. */
export class OnCallCalculator {
  private readonly grids: RotationGrid[];
  private readonly overrides: { userId: string; start: number; end: number }[];

  constructor(schedule: ScheduleSpec) {
    const zone = canonicalTimeZone(schedule.timeZone);
    if (!zone) throw new RangeError(`Unknown time zone ${schedule.timeZone}`);
    this.grids = schedule.rotations.map((r) => new RotationGrid(r, zone));
    this.overrides = schedule.overrides
      .map((o) => ({ userId: o.userId, start: o.startAt.getTime(), end: o.endAt.getTime() }))
      .filter((o) => o.end > o.start)
      .sort((a, b) => a.start - b.start);
  }

  /** Who is on call at one instant. */
  usersAt(at: Date): string[] {
    return this.usersAtMs(at.getTime());
  }

  /** Who is on call at `at`, and the bounds of that shift. */
  shiftAt(at: Date): Shift {
    const t = at.getTime();
    const userIds = this.usersAtMs(t);
    let end: number | null = null;
    for (let e = t; ;) {
      const next = this.nextChange(e);
      if (next === null || next - t > SEARCH_LIMIT_MS) break;
      if (!sameUsers(this.usersAtMs(next), userIds)) {
        end = next;
        break;
      }
      e = next;
    }
    let start: number | null = null;
    for (let s = t; ;) {
      const last = this.lastChange(s);
      if (last === null || t - last > SEARCH_LIMIT_MS) break;
      if (!sameUsers(this.usersAtMs(last - 1), userIds)) {
        start = last;
        break;
      }
      s = last - 1;
    }
    return { userIds, start: start === null ? null : new Date(start), end: end === null ? null : new Date(end) };
  }

  /**
   * The shifts in [from, to), clipped to the range, in order; periods when nobody is on call are left out.
   */
  shiftsBetween(from: Date, to: Date): RangeShift[] {
    const out: RangeShift[] = [];
    const end = to.getTime();
    let t = from.getTime();
    while (t < end) {
      const userIds = this.usersAtMs(t);
      let segmentEnd = t;
      for (;;) {
        const next = this.nextChange(segmentEnd);
        segmentEnd = next === null ? end : Math.min(next, end);
        if (segmentEnd >= end || !sameUsers(this.usersAtMs(segmentEnd), userIds)) break;
      }
      if (userIds.length) out.push({ userIds, start: new Date(t), end: new Date(segmentEnd) });
      t = segmentEnd;
    }
    return out;
  }

  private overridden(t: number): boolean {
    return this.overrides.some((o) => o.start <= t && t < o.end);
  }

  private usersAtMs(t: number): string[] {
    const overriding = this.overrides.filter((o) => o.start <= t && t < o.end);
    const users = overriding.length
      ? overriding.map((o) => o.userId)
      : this.grids.map((g) => g.turnAt(t)?.participant).filter((u): u is string => u !== undefined);
    return [...new Set(users)];
  }

  /**
   * The first instant after t at which anything may change (a handoff, a rotation start, an override edge). While an
   * override is on, handoffs behind it change nothing, so only override edges count.
   */
  private nextChange(t: number): number | null {
    let best: number | null = null;
    const consider = (c: number | null) => {
      if (c !== null && c > t && (best === null || c < best)) best = c;
    };
    if (!this.overridden(t)) for (const g of this.grids) consider(g.nextChange(t));
    for (const o of this.overrides) {
      consider(o.start);
      consider(o.end);
    }
    return best;
  }

  /** The last instant ≤ t at which anything may have changed (only override edges while an override is on). */
  private lastChange(t: number): number | null {
    let best: number | null = null;
    const consider = (c: number | null) => {
      if (c !== null && c <= t && (best === null || c > best)) best = c;
    };
    if (!this.overridden(t)) for (const g of this.grids) consider(g.lastChange(t));
    for (const o of this.overrides) {
      consider(o.start);
      consider(o.end);
    }
    return best;
  }
}

function sameUsers(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((u, i) => u === b[i]);
}
