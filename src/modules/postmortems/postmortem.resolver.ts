import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { CrudResolver } from '../../api/graphql/crud.js';
import type { Context } from '../../api/graphql/context.js';
import { RestRoute } from '../../api/rest/routes.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotent } from '../../api/idempotency/idempotency.js';
import { Role } from '../../core/roles.js';
import { Postmortem } from './postmortem.entity.js';
import { DraftPostmortemInput, PostmortemDraftResult } from '../../ai/postmortem/postmortem-draft.service.js';
import { CreatePostmortemInput, PostmortemFilter, UpdatePostmortemInput } from './postmortem.inputs.js';
import { MutationRuns } from '../../api/graphql/mutation-runs.js';

@Resolver(() => Postmortem)
export class PostmortemResolver extends CrudResolver({
  entity: Postmortem,
  single: 'postmortem',
  plural: 'postmortems',
  path: '/postmortems',
  createInput: CreatePostmortemInput,
  updateInput: UpdatePostmortemInput,
  filterInput: PostmortemFilter,
  service: (ctx) => ctx.services.postmortems,
  writeRole: Role.responder,
  deleteRole: Role.admin,
}) {
  @Authorized(Role.viewer)
  @Mutation(() => PostmortemDraftResult, {
    description:
      'Drafts a postmortem from the incident’s record (AI when a model is configured, else the embedded drafter); persist saves it as the incident’s postmortem (responders and up)',
  })
  @MutationRuns('after')
  @RestRoute({
    method: 'POST',
    path: '/ai/postmortem-draft',
    tags: ['ai'],
    description: 'Draft a postmortem from an incident’s record: {incident_id, persist}',
  })
  async draftPostmortem(
    @Arg('input', () => DraftPostmortemInput) input: DraftPostmortemInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })
    idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<PostmortemDraftResult> {
    return idempotent(ctx, 'draftPostmortem', idempotencyKey, input, () =>
      ctx.services.postmortemDrafts.draft(ctx, input),
    );
  }
}
