import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { SavedView } from './saved-view.entity.js';
import { CreateSavedViewInput, SavedViewFilter, UpdateSavedViewInput } from './saved-view.inputs.js';
import { savedViewService } from './saved-view.service.js';

@Resolver(() => SavedView)
export class SavedViewResolver extends CrudResolver({
  entity: SavedView,
  single: 'savedView',
  plural: 'savedViews',
  path: '/saved-views',
  createInput: CreateSavedViewInput,
  updateInput: UpdateSavedViewInput,
  filterInput: SavedViewFilter,
  service: () => savedViewService,
  writeRole: Role.viewer,
}) {}
