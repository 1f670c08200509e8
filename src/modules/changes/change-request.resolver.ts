import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import { IdOrKeyScalar } from '../../core/scalars.js';
import type { Context } from '../../api/graphql/context.js';
import { Role } from '../../core/roles.js';
import { RestRoute } from '../../api/rest/routes.js';
import { ChangeRequest } from './change-request.entity.js';
import { ChangeRequestFilter, CreateChangeRequestInput, UpdateChangeRequestInput } from './change-request.inputs.js';

@Resolver(() => ChangeRequest)
export class ChangeRequestResolver extends CrudResolver({
  entity: ChangeRequest,
  single: 'changeRequest',
  plural: 'changeRequests',
  path: '/change-requests',
  keyed: true,
  createInput: CreateChangeRequestInput,
  updateInput: UpdateChangeRequestInput,
  filterInput: ChangeRequestFilter,
  service: (ctx) => ctx.services.changeRequests,
  writeRole: Role.responder,
  deleteRole: Role.admin,
}) {
  @Authorized(Role.admin)
  @Mutation(() => ChangeRequest, {
    description: 'Approves a submitted change request; the approver (the caller) must not be its requester',
  })
  @RestRoute({
    method: 'POST',
    path: '/change-requests/:id/approve',
    tags: ['changeRequests'],
    description: 'Approve a submitted change request (admin, not its requester)',
  })
  async approveChangeRequest(
    @Arg('id', () => IdOrKeyScalar) id: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<ChangeRequest> {
    return ctx.services.changeRequests.approve(ctx, id, comment);
  }

  @Authorized(Role.admin)
  @Mutation(() => ChangeRequest, {
    description: 'Rejects a submitted change request; the approver (the caller) must not be its requester',
  })
  @RestRoute({
    method: 'POST',
    path: '/change-requests/:id/reject',
    tags: ['changeRequests'],
    description: 'Reject a submitted change request (admin, not its requester)',
  })
  async rejectChangeRequest(
    @Arg('id', () => IdOrKeyScalar) id: string,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<ChangeRequest> {
    return ctx.services.changeRequests.reject(ctx, id, comment);
  }
}
