import { CrudService } from '../crud.service.js';
import { Asset } from './asset.entity.js';
import { AssetFilter, CreateAssetInput, UpdateAssetInput } from './asset.inputs.js';

export const assetService = new CrudService(Asset, {
  label: 'asset',
  filter: AssetFilter,
  inputs: [CreateAssetInput, UpdateAssetInput],
  sort: { fields: ['name', 'type', 'status', 'createdAt', 'updatedAt'], default: 'name' },
});
