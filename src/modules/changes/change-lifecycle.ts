import { ChangeStatus as S, ChangeType } from './change-request.enums.js';

/**
 * Every move a change request can make. approved and rejected are reached only through the approval decision
 * (approveChangeRequest / rejectChangeRequest), except that submitting a standard change approves it at once.
 */
const NEXT: Record<S, S[]> = {
  [S.draft]: [S.submitted, S.cancelled],
  [S.submitted]: [S.approved, S.rejected, S.cancelled],
  [S.approved]: [S.scheduled, S.cancelled],
  [S.scheduled]: [S.implementing, S.cancelled],
  [S.implementing]: [S.completed, S.failed, S.cancelled],
  [S.rejected]: [],
  [S.completed]: [],
  [S.failed]: [],
  [S.cancelled]: [],
};

/** Statuses reached only by an approval decision, never by a plain status update. */
export const DECISION_STATUSES: readonly S[] = [S.approved, S.rejected];

export function canChangeTransition(from: S, to: S): boolean {
  return NEXT[from].includes(to);
}

/** A closed change (rejected, completed, failed, cancelled) is a record of what happened. */
export function isClosedChange(status: S): boolean {
  return NEXT[status].length === 0;
}

/** Where a submission lands: a standard change is pre-approved, the others wait for an approver. */
export function statusOnSubmit(type: ChangeType): S {
  return type === ChangeType.standard ? S.approved : S.submitted;
}
