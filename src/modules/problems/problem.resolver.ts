import { Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { Role } from '../../core/roles.js';
import { Problem } from './problem.entity.js';
import { CreateProblemInput, ProblemFilter, UpdateProblemInput } from './problem.inputs.js';

@Resolver(() => Problem)
export class ProblemResolver extends CrudResolver({
  entity: Problem,
  single: 'problem',
  plural: 'problems',
  path: '/problems',
  keyed: true,
  createInput: CreateProblemInput,
  updateInput: UpdateProblemInput,
  filterInput: ProblemFilter,
  service: (ctx) => ctx.services.problems,
  writeRole: Role.responder,
  deleteRole: Role.admin,
}) {}
