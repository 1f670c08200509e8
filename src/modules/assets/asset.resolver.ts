import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { Asset } from './asset.entity.js';
import { AssetFilter, CreateAssetInput, UpdateAssetInput } from './asset.inputs.js';

@Resolver(() => Asset)
export class AssetResolver extends CrudResolver({
  entity: Asset,
  single: 'asset',
  plural: 'assets',
  path: '/assets',
  createInput: CreateAssetInput,
  updateInput: UpdateAssetInput,
  filterInput: AssetFilter,
  service: (ctx) => ctx.services.assets,
  writeRole: Role.admin,
}) {}
