import { registerEnumType } from 'type-graphql';

export enum ChangeType {
  standard = 'standard',
  normal = 'normal',
  emergency = 'emergency',
}
registerEnumType(ChangeType, {
  name: 'ChangeType',
  description: 'standard changes are pre-approved; normal and emergency ones need an approval',
});

export enum ChangeStatus {
  draft = 'draft',
  submitted = 'submitted',
  approved = 'approved',
  rejected = 'rejected',
  scheduled = 'scheduled',
  implementing = 'implementing',
  completed = 'completed',
  failed = 'failed',
  cancelled = 'cancelled',
}
registerEnumType(ChangeStatus, { name: 'ChangeStatus' });

export enum ChangeRisk {
  low = 'low',
  medium = 'medium',
  high = 'high',
}
registerEnumType(ChangeRisk, { name: 'ChangeRisk' });
