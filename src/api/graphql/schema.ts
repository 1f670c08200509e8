import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth-checker.js';
import { crudExtraResolvers } from './crud.js';
import { AuthResolver } from '../../modules/auth/auth.resolver.js';
import { UserResolver } from '../../modules/users/user.resolver.js';
import { TeamResolver } from '../../modules/teams/team.resolver.js';
import { ServiceResolver } from '../../modules/services/service.resolver.js';
import { IncidentEventResolver, IncidentResolver } from '../../modules/incidents/incident.resolver.js';
import { IncidentImportResolver } from '../../modules/incidents/incident-import.resolver.js';
import { PostmortemResolver } from '../../modules/postmortems/postmortem.resolver.js';
import { AlertRuleResolver } from '../../modules/alert-rules/alert-rule.resolver.js';
import { WebhookDeliveryResolver } from '../../modules/webhook-deliveries/webhook-delivery.resolver.js';
import { ProblemResolver } from '../../modules/problems/problem.resolver.js';
import { ChangeRequestResolver } from '../../modules/changes/change-request.resolver.js';
import { AssetResolver } from '../../modules/assets/asset.resolver.js';
import { OnCallScheduleResolver } from '../../modules/on-call/on-call-schedule.resolver.js';
import { EscalationPolicyResolver } from '../../modules/escalation/escalation-policy.resolver.js';
import { SlaPolicyResolver } from '../../modules/sla/sla-policy.resolver.js';
import { WebhookSourceResolver } from '../../modules/webhook-sources/webhook-source.resolver.js';
import { SimilarIncidentsResolver } from '../../ai/similar/similar-incidents.resolver.js';
import { AiResolver } from '../../ai/classify/classify.resolver.js';
import { SearchResolver } from '../../ai/search/search.resolver.js';
import { AuditEventResolver } from '../../modules/audit/audit-event.resolver.js';
import { auditMutations } from './audit-mutations.js';
import { callMethodFieldsDirectly } from './method-fields.js';
import { validateArgument } from './validate-arguments.js';

const RESOLVERS = [
  AuthResolver,
  UserResolver,
  TeamResolver,
  ServiceResolver,
  IncidentResolver,
  IncidentEventResolver,
  IncidentImportResolver,
  ProblemResolver,
  ChangeRequestResolver,
  AssetResolver,
  PostmortemResolver,
  AlertRuleResolver,
  WebhookDeliveryResolver,
  OnCallScheduleResolver,
  EscalationPolicyResolver,
  SlaPolicyResolver,
  WebhookSourceResolver,
  SimilarIncidentsResolver,
  AiResolver,
  SearchResolver,
  AuditEventResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The one schema of Argus; built once per process, every mutation audited (src/audit/audit-mutations.ts). */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...RESOLVERS, ...crudExtraResolvers] as unknown as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    validateFn: validateArgument,
  }).then((schema) => {
    auditMutations(schema);
    callMethodFieldsDirectly(schema);
    return schema;
  });
  return built;
}

/** The SDL committed as schema.graphql: sorted, so that it only changes when the schema does. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `# Emitted from the code by \`npm run schema:emit\`; a test fails when it is stale.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

export function emitSchemaFile(schema: GraphQLSchema, path: string): void {
  writeFileSync(path, printSchemaFile(schema));
}
