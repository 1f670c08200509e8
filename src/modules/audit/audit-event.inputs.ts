import { IsOptional, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { UuidScalar } from '../../core/scalars.js';
import { AuditOutcome, AuditSurface } from './audit-event.entity.js';

@InputType()
export class AuditEventFilter {
  @Field(() => [UuidScalar], { nullable: true, description: 'Events of these users' })
  actorId?: string[];

  @Field(() => [UuidScalar], { nullable: true, description: 'Events of callers authenticated with these API tokens' })
  apiTokenId?: string[];

  @Field(() => [String], { nullable: true, description: 'Mutation names, e.g. createIncident, login' })
  action?: string[];

  @Field(() => [AuditOutcome], { nullable: true })
  outcome?: AuditOutcome[];

  @Field(() => [String], { nullable: true, description: 'Record types, e.g. Incident, AlertRule' })
  recordType?: string[];

  @Field(() => String, { nullable: true, description: 'The id (or the key a caller named) of one record' })
  @IsOptional()
  @Length(1, 100)
  recordId?: string;

  @Field(() => [AuditSurface], { nullable: true })
  surface?: AuditSurface[];

  @Field(() => Date, { nullable: true })
  createdAfter?: Date;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date;
}
