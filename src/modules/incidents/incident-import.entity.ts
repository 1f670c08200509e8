import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';

export enum IncidentImportState {
  running = 'running',
  done = 'done',
  failed = 'failed',
}
registerEnumType(IncidentImportState, {
  name: 'IncidentImportState',
  description:
    'running: batches are being written; done: every row was written or reported; failed: the import stopped (see the row errors)',
});

@ObjectType({
  description: "A row of an import that was not written, and why (the row's other fields were not written either)",
})
export class IncidentImportRowError {
  @Field(() => Int, { description: 'The row number, from 1 (a CSV header is row 0)' })
  row: number;

  @Field(() => String, { nullable: true })
  externalId: string | null;

  @Field(() => String, { nullable: true, description: 'The field at fault, when one is' })
  field: string | null;

  @Field()
  message: string;
}

/** One import of past incidents and its progress: the rows written, updated, unchanged and refused so far. */
@ObjectType({
  description: 'An import of past incidents (POST /incidents/import): its progress and the rows it refused',
})
@Entity({ tableName: 'incident_imports' })
@Index({ properties: ['organization', 'createdAt'] })
export class IncidentImport extends TenantEntity<
  'state' | 'created' | 'updated' | 'unchanged' | 'failed' | 'processed' | 'errors'
> {
  @Field(() => IncidentImportState)
  @Enum({
    items: () => IncidentImportState,
    nativeEnumName: 'incident_import_state',
    default: IncidentImportState.running,
  })
  state: IncidentImportState = IncidentImportState.running;

  @Field(() => ID, { nullable: true, description: 'Who imported' })
  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Field(() => Int, { description: 'Rows received' })
  @Property({ type: 'int' })
  total: number;

  @Field(() => Int, { description: 'Rows handled so far (written, unchanged or refused)' })
  @Property({ type: 'int', default: 0 })
  processed: number = 0;

  @Field(() => Int, { description: 'New incidents' })
  @Property({ type: 'int', default: 0 })
  created: number = 0;

  @Field(() => Int, { description: 'Incidents already imported under the same external id, changed by this row' })
  @Property({ type: 'int', default: 0 })
  updated: number = 0;

  @Field(() => Int, { description: 'Incidents already imported under the same external id, identical' })
  @Property({ type: 'int', default: 0 })
  unchanged: number = 0;

  @Field(() => Int, { description: 'Rows refused (see errors)' })
  @Property({ type: 'int', default: 0 })
  failed: number = 0;

  @Field(() => [IncidentImportRowError], { description: 'Why each refused row was refused (the first 1 000)' })
  @Property({ type: 'jsonb', default: '[]' })
  errors: IncidentImportRowError[] = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt?: Date | null;
}
