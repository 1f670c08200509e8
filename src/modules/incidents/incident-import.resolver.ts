import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { Arg, Authorized, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { Context } from '../../api/graphql/context.js';
import { RestRoute } from '../../api/rest/routes.js';
import { MutationRuns } from '../../api/graphql/mutation-runs.js';
import { Role } from '../../core/roles.js';
import { IncidentImport } from './incident-import.entity.js';
import { IMPORT_MAX_ROWS } from './incident-import.service.js';

@InputType()
export class ImportIncidentsInput {
  @Field(() => [GraphQLJSON], {
    description: `The incidents, at most ${IMPORT_MAX_ROWS} (docs/IMPORT.md for the fields); a row that does not fit is reported, not fatal`,
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(IMPORT_MAX_ROWS)
  rows: unknown[];
}

@Resolver()
export class IncidentImportResolver {
  @Authorized(Role.admin)
  @Mutation(() => IncidentImport, {
    description:
      'Imports past incidents with their own times and severities; answers when every row is written or reported',
  })
  @RestRoute({
    method: 'POST',
    path: '/incidents/import',
    responseStatus: 201,
    tags: ['incidents'],
    description:
      'Imports past incidents (admins): a JSON array, NDJSON (application/x-ndjson) or CSV with a header row (text/csv), ' +
      'or {"rows": [...]}; each row: external_id, title, description, severity, status, started_at, acknowledged_at, ' +
      'resolved_at, service, team (docs/IMPORT.md). A re-import of an external_id updates that incident. Answers the import with per-row errors.',
    bodyArgument: 'input',
  })
  @MutationRuns('after')
  async importIncidents(
    @Arg('input', () => ImportIncidentsInput) input: ImportIncidentsInput,
    @Ctx() ctx: Context,
  ): Promise<IncidentImport> {
    return ctx.services.incidentImports.import(ctx, input.rows);
  }

  @Authorized(Role.admin)
  @Query(() => IncidentImport, { description: "An import of past incidents of the caller's organization" })
  @RestRoute({
    method: 'GET',
    path: '/incidents/import/:id',
    tags: ['incidents'],
    description: 'An import of past incidents: its progress and the rows it refused',
  })
  async incidentImport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<IncidentImport> {
    return ctx.services.incidentImports.get(ctx, id);
  }
}
