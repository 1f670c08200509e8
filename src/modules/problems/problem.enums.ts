import { registerEnumType } from 'type-graphql';

export enum ProblemStatus {
  open = 'open',
  investigating = 'investigating',
  known_error = 'known_error',
  resolved = 'resolved',
  closed = 'closed',
}
registerEnumType(ProblemStatus, { name: 'ProblemStatus' });
