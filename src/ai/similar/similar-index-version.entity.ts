import { Entity, OneToOne, Property } from '@mikro-orm/core';
import { Organization } from '../../db/organization.entity.js';

/**
 * How many changes to an organization's similar-incident data have committed: raised by one in the same transaction
 * as every embedding write or incident delete, and carried by the NOTIFY that announces it. The row lock it takes is
 * held until commit, so versions commit in order and without gaps; a process whose index has seen version n and hears
 * n + 2 knows it missed one (see IndexChangeNotifier). Internal: not on the API.
 */
@Entity({ tableName: 'similar_index_versions' })
export class SimilarIndexVersion {
  @OneToOne({ entity: () => Organization, primary: true, owner: true, deleteRule: 'cascade' })
  organization: Organization;

  @Property({ type: 'bigint' })
  version: string;
}
