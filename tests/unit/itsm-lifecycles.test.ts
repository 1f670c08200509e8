import { canProblemTransition, isProblemReopen } from '../../src/modules/problems/problem-lifecycle';
import { ProblemStatus as P } from '../../src/modules/problems/problem.enums';
import { canChangeTransition, isClosedChange, statusOnSubmit } from '../../src/modules/changes/change-lifecycle';
import { ChangeStatus as C, ChangeType } from '../../src/modules/changes/change-request.enums';

describe('problem lifecycle rules', () => {
  it.each([
    [P.open, P.investigating],
    [P.open, P.known_error],
    [P.investigating, P.resolved],
    [P.known_error, P.closed],
    [P.resolved, P.closed],
    [P.resolved, P.open],
  ])('allows %s → %s', (from, to) => {
    expect(canProblemTransition(from, to)).toBe(true);
  });

  it.each([
    [P.known_error, P.investigating],
    [P.investigating, P.open],
    [P.closed, P.open],
    [P.closed, P.resolved],
    [P.open, P.open],
  ])('refuses %s → %s', (from, to) => {
    expect(canProblemTransition(from, to)).toBe(false);
  });

  it('calls only resolved → open a reopen', () => {
    expect(isProblemReopen(P.resolved, P.open)).toBe(true);
    expect(isProblemReopen(P.known_error, P.open)).toBe(false);
  });
});

describe('change request lifecycle rules', () => {
  it.each([
    [C.draft, C.submitted],
    [C.submitted, C.approved],
    [C.submitted, C.rejected],
    [C.approved, C.scheduled],
    [C.scheduled, C.implementing],
    [C.implementing, C.completed],
    [C.implementing, C.failed],
    ...[C.draft, C.submitted, C.approved, C.scheduled, C.implementing].map((s) => [s, C.cancelled] as [C, C]),
  ])('allows %s → %s', (from, to) => {
    expect(canChangeTransition(from, to)).toBe(true);
  });

  it.each([
    [C.draft, C.approved],
    [C.draft, C.scheduled],
    [C.approved, C.implementing],
    [C.submitted, C.draft],
    [C.rejected, C.submitted],
    [C.completed, C.cancelled],
    [C.failed, C.implementing],
    [C.cancelled, C.draft],
  ])('refuses %s → %s', (from, to) => {
    expect(canChangeTransition(from, to)).toBe(false);
  });

  it('treats rejected, completed, failed and cancelled as closed', () => {
    expect(Object.values(C).filter(isClosedChange).sort()).toEqual(
      [C.cancelled, C.completed, C.failed, C.rejected].sort(),
    );
  });

  it('pre-approves standard changes on submission only', () => {
    expect(statusOnSubmit(ChangeType.standard)).toBe(C.approved);
    expect(statusOnSubmit(ChangeType.normal)).toBe(C.submitted);
    expect(statusOnSubmit(ChangeType.emergency)).toBe(C.submitted);
  });
});
