import { IsOptional, Length } from 'class-validator';
import { InputType } from 'type-graphql';
import { FilterAfter, FilterBefore, FilterEq, FilterIn } from '../list-filters.js';
import { UuidScalar } from '../../core/scalars.js';
import { AuditOutcome, AuditSurface } from './audit-event.entity.js';

@InputType()
export class AuditEventFilter {
  @FilterIn('actorId', () => UuidScalar, { description: 'Events of these users' })
  actorId?: string[];

  @FilterIn('apiTokenId', () => UuidScalar, { description: 'Events of callers authenticated with these API tokens' })
  apiTokenId?: string[];

  @FilterIn('action', () => String, { description: 'Mutation names, e.g. createIncident, login' })
  action?: string[];

  @FilterIn('outcome', () => AuditOutcome)
  outcome?: AuditOutcome[];

  @FilterIn('recordType', () => String, { description: 'Record types, e.g. Incident, AlertRule' })
  recordType?: string[];

  @FilterEq('recordId', () => String, { description: 'The id (or the key a caller named) of one record' })
  @IsOptional()
  @Length(1, 100)
  recordId?: string;

  @FilterIn('surface', () => AuditSurface)
  surface?: AuditSurface[];

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterBefore('createdAt')
  createdBefore?: Date;
}
