import { Collection, Entity, Enum, Index, ManyToMany, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField, RelationIdsField } from '../../db/relation-field.js';
import { Service } from '../services/service.entity.js';
import { User } from '../users/user.entity.js';
import { Asset } from '../assets/asset.entity.js';
import { ChangeRisk, ChangeStatus, ChangeType } from './change-request.enums.js';

export const CHANGE_KEY_PREFIX = 'CHG';

@ObjectType({ description: 'A planned change to services or assets, with its approval' })
@Entity({ tableName: 'change_requests' })
@Unique({ properties: ['organization', 'number'] })
@Index({ properties: ['organization', 'createdAt', 'id'] })
export class ChangeRequest extends TenantEntity<'status' | 'type' | 'risk' | 'assets'> {
  @Field(() => Int, { description: 'Sequence number within the organization; the key is CHG-<number>' })
  @Property({ type: 'int' })
  number: number;

  @Field({ description: 'Human key, unique per organization, e.g. CHG-88' })
  key(): string {
    return `${CHANGE_KEY_PREFIX}-${this.number}`;
  }

  @Field()
  @Property({ type: 'text' })
  title: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => ChangeType)
  @Enum({ items: () => ChangeType, nativeEnumName: 'change_type', default: ChangeType.normal })
  type: ChangeType = ChangeType.normal;

  @Field(() => ChangeStatus)
  @Enum({ items: () => ChangeStatus, nativeEnumName: 'change_status', default: ChangeStatus.draft })
  status: ChangeStatus = ChangeStatus.draft;

  @Field(() => ChangeRisk)
  @Enum({ items: () => ChangeRisk, nativeEnumName: 'change_risk', default: ChangeRisk.medium })
  risk: ChangeRisk = ChangeRisk.medium;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  plannedStart?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  plannedEnd?: Date | null;

  @RelationField(() => Service, { nullable: true })
  @ManyToOne(() => Service, { nullable: true, deleteRule: 'set null' })
  service?: Service | null;

  @Field(() => ID, { nullable: true })
  serviceId(): string | null {
    return this.service?.id ?? null;
  }

  @RelationField(() => [Asset], { description: 'The configuration items the change touches' })
  @ManyToMany(() => Asset, undefined, { pivotTable: 'change_request_assets' })
  assets = new Collection<Asset>(this);

  @RelationIdsField('assets')
  assetIds(): string[] {
    return this.assets.getIdentifiers('id');
  }

  @RelationField(() => User, {
    nullable: true,
    description: 'Who asked for the change (its creator); never its approver',
  })
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  requester?: User | null;

  @Field(() => ID, { nullable: true })
  requesterId(): string | null {
    return this.requester?.id ?? null;
  }

  @RelationField(() => User, { nullable: true })
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  implementer?: User | null;

  @Field(() => ID, { nullable: true })
  implementerId(): string | null {
    return this.implementer?.id ?? null;
  }

  @RelationField(() => User, { nullable: true, description: 'Who approved or rejected the change' })
  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  approver?: User | null;

  @Field(() => ID, { nullable: true })
  approverId(): string | null {
    return this.approver?.id ?? null;
  }

  @Field(() => Date, {
    nullable: true,
    description: 'When the approval decision was made (or the standard change submitted)',
  })
  @Property({ type: 'timestamptz', nullable: true })
  decidedAt?: Date | null;

  @Field(() => String, { nullable: true, description: "The approver's note on the decision" })
  @Property({ type: 'text', nullable: true })
  decisionComment?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  rollbackPlan?: string | null;
}
