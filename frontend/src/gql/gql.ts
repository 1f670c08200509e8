/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ListOptions {\n    services(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    teams(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n        role\n      }\n    }\n  }\n": typeof types.ListOptionsDocument,
    "\n  query ClassifyPreview($input: ClassifyIncidentInput!) {\n    classifyIncident(input: $input) {\n      severity\n      confidence\n      reasoning\n      suggestedServiceId\n      suggestedTeamId\n      model\n    }\n  }\n": typeof types.ClassifyPreviewDocument,
    "\n  query ApiTokens {\n    apiTokens(limit: 100, sort: \"-createdAt\") {\n      items {\n        id\n        name\n        kind\n        role\n        tokenPrefix\n        expiresAt\n        lastUsedAt\n        lastUsedIp\n        createdAt\n      }\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      id\n      name\n      token\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation DeleteApiToken($id: UUID!) {\n    deleteApiToken(id: $id)\n  }\n": typeof types.DeleteApiTokenDocument,
    "\n  query DuplicateCandidates($q: String!) {\n    searchIncidents(q: $q, limit: 10) {\n      results {\n        id\n        key\n        title\n        status\n        severity\n        score\n      }\n    }\n  }\n": typeof types.DuplicateCandidatesDocument,
    "\n  mutation DeclareIncident($input: CreateIncidentInput!) {\n    createIncident(input: $input) {\n      id\n      key\n    }\n  }\n": typeof types.DeclareIncidentDocument,
    "\n  fragment TimelineEntry on IncidentEvent {\n    id\n    type\n    message\n    occurredAt\n    actor {\n      id\n      name\n    }\n  }\n": typeof types.TimelineEntryFragmentDoc,
    "\n  query IncidentDetail($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n      description\n      status\n      severity\n      source\n      tags\n      createdAt\n      startedAt\n      acknowledgedAt\n      mitigatedAt\n      resolvedAt\n      closedAt\n      autoClassified\n      classificationConfidence\n      classificationModel\n      suggestedSeverity\n      slaBreached\n      slaStartedAt\n      slaResponseDueAt\n      slaResolutionDueAt\n      slaResponseBreachedAt\n      slaResolutionBreachedAt\n      slaPolicy {\n        id\n        name\n      }\n      serviceId\n      service {\n        id\n        name\n      }\n      teamId\n      team {\n        id\n        name\n      }\n      assigneeId\n      assignee {\n        id\n        name\n      }\n      problem {\n        id\n        key\n        title\n        status\n      }\n      timeline(limit: 100) {\n        id\n        ...TimelineEntry\n      }\n    }\n  }\n": typeof types.IncidentDetailDocument,
    "\n  query IncidentRelated($id: IdOrKey!) {\n    similarIncidents(id: $id, limit: 5) {\n      model\n      matches {\n        incidentId\n        title\n        score\n        severity\n        relation\n      }\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        title\n        status\n      }\n    }\n  }\n": typeof types.IncidentRelatedDocument,
    "\n  query ServiceChanges($serviceId: UUID!) {\n    changeRequests(filter: { serviceId: [$serviceId] }, limit: 5, sort: \"-created_at\") {\n      items {\n        id\n        key\n        title\n        status\n        plannedStart\n      }\n    }\n  }\n": typeof types.ServiceChangesDocument,
    "\n  query TeamPolicies($teamId: UUID!) {\n    escalationPolicies(filter: { teamId: [$teamId] }, limit: 1) {\n      items {\n        id\n        name\n      }\n    }\n  }\n": typeof types.TeamPoliciesDocument,
    "\n  query IncidentEscalationPlan($policyId: UUID!, $incidentId: IdOrKey!) {\n    escalationPlan(policyId: $policyId, incidentId: $incidentId) {\n      start\n      stoppedAt\n      steps {\n        level\n        repetition\n        at\n        suppressed\n        userIds\n      }\n    }\n  }\n": typeof types.IncidentEscalationPlanDocument,
    "\n  mutation UpdateIncident($id: IdOrKey!, $input: UpdateIncidentInput!) {\n    updateIncident(id: $id, input: $input) {\n      id\n      status\n      severity\n      assigneeId\n      assignee {\n        id\n        name\n      }\n    }\n  }\n": typeof types.UpdateIncidentDocument,
    "\n  mutation AddComment($input: CreateIncidentEventInput!) {\n    createIncidentEvent(input: $input) {\n      id\n      incidentId\n    }\n  }\n": typeof types.AddCommentDocument,
    "\n  mutation GeneratePostmortemDraft($incidentId: IdOrKey!) {\n    draftPostmortem(input: { incidentId: $incidentId, persist: true }) {\n      model\n      postmortem {\n        id\n        status\n      }\n    }\n  }\n": typeof types.GeneratePostmortemDraftDocument,
    "\n  fragment IncidentRow on Incident {\n    id\n    key\n    title\n    status\n    severity\n    createdAt\n    slaBreached\n    service {\n      id\n      name\n    }\n    team {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n  }\n": typeof types.IncidentRowFragmentDoc,
    "\n  query IncidentList($filter: IncidentFilter, $limit: Int, $cursor: String, $sort: String) {\n    incidents(filter: $filter, limit: $limit, cursor: $cursor, sort: $sort) {\n      total\n      nextCursor\n      items {\n        id\n        ...IncidentRow\n      }\n    }\n  }\n": typeof types.IncidentListDocument,
    "\n  query IncidentSearch($q: String!, $limit: Int) {\n    searchIncidents(q: $q, limit: $limit) {\n      total\n      model\n      understood {\n        text\n        statuses\n        severities\n        serviceIds\n        teamIds\n        assigneeId\n        unassigned\n        createdAfter\n        createdBefore\n      }\n      results {\n        id\n        key\n        title\n        status\n        severity\n        createdAt\n        slaBreached\n        score\n        service {\n          id\n          name\n        }\n        team {\n          id\n          name\n        }\n        assignee {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.IncidentSearchDocument,
    "\n  query OnCallSchedules {\n    onCallSchedules(limit: 100) {\n      items {\n        id\n        name\n        timeZone\n        team {\n          id\n          name\n        }\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n  }\n": typeof types.OnCallSchedulesDocument,
    "\n  query OnCallNow($scheduleId: UUID!, $at: DateTimeISO) {\n    onCall(scheduleId: $scheduleId, at: $at) {\n      at\n      userIds\n      shiftStart\n      shiftEnd\n    }\n  }\n": typeof types.OnCallNowDocument,
    "\n  fragment PostmortemFields on Postmortem {\n    id\n    title\n    status\n    aiGenerated\n    severityImpact\n    rootCause\n    contributingFactors\n    durationMinutes\n    updatedAt\n    timeline {\n      at\n      description\n    }\n    actionItems {\n      description\n      ownerId\n      dueAt\n      done\n    }\n  }\n": typeof types.PostmortemFieldsFragmentDoc,
    "\n  query IncidentPostmortem($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        ...PostmortemFields\n      }\n    }\n  }\n": typeof types.IncidentPostmortemDocument,
    "\n  mutation SavePostmortem($id: UUID!, $input: UpdatePostmortemInput!) {\n    updatePostmortem(id: $id, input: $input) {\n      id\n      ...PostmortemFields\n    }\n  }\n": typeof types.SavePostmortemDocument,
    "\n  query IdentityProviderSettings {\n    identityProviders(limit: 1) {\n      items {\n        id\n        issuer\n        clientId\n        allowedDomains\n        groupsClaim\n        roleMapping\n        defaultRole\n        jitProvisioning\n        ssoRequired\n        breakGlassUserId\n      }\n    }\n    owners: users(limit: 100, filter: { role: [owner] }) {\n      items {\n        id\n        name\n        email\n      }\n    }\n  }\n": typeof types.IdentityProviderSettingsDocument,
    "\n  mutation CreateIdentityProvider($input: CreateIdentityProviderInput!) {\n    createIdentityProvider(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateIdentityProviderDocument,
    "\n  mutation UpdateIdentityProvider($id: UUID!, $input: UpdateIdentityProviderInput!) {\n    updateIdentityProvider(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UpdateIdentityProviderDocument,
};
const documents: Documents = {
    "\n  query ListOptions {\n    services(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    teams(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n        role\n      }\n    }\n  }\n": types.ListOptionsDocument,
    "\n  query ClassifyPreview($input: ClassifyIncidentInput!) {\n    classifyIncident(input: $input) {\n      severity\n      confidence\n      reasoning\n      suggestedServiceId\n      suggestedTeamId\n      model\n    }\n  }\n": types.ClassifyPreviewDocument,
    "\n  query ApiTokens {\n    apiTokens(limit: 100, sort: \"-createdAt\") {\n      items {\n        id\n        name\n        kind\n        role\n        tokenPrefix\n        expiresAt\n        lastUsedAt\n        lastUsedIp\n        createdAt\n      }\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      id\n      name\n      token\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation DeleteApiToken($id: UUID!) {\n    deleteApiToken(id: $id)\n  }\n": types.DeleteApiTokenDocument,
    "\n  query DuplicateCandidates($q: String!) {\n    searchIncidents(q: $q, limit: 10) {\n      results {\n        id\n        key\n        title\n        status\n        severity\n        score\n      }\n    }\n  }\n": types.DuplicateCandidatesDocument,
    "\n  mutation DeclareIncident($input: CreateIncidentInput!) {\n    createIncident(input: $input) {\n      id\n      key\n    }\n  }\n": types.DeclareIncidentDocument,
    "\n  fragment TimelineEntry on IncidentEvent {\n    id\n    type\n    message\n    occurredAt\n    actor {\n      id\n      name\n    }\n  }\n": types.TimelineEntryFragmentDoc,
    "\n  query IncidentDetail($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n      description\n      status\n      severity\n      source\n      tags\n      createdAt\n      startedAt\n      acknowledgedAt\n      mitigatedAt\n      resolvedAt\n      closedAt\n      autoClassified\n      classificationConfidence\n      classificationModel\n      suggestedSeverity\n      slaBreached\n      slaStartedAt\n      slaResponseDueAt\n      slaResolutionDueAt\n      slaResponseBreachedAt\n      slaResolutionBreachedAt\n      slaPolicy {\n        id\n        name\n      }\n      serviceId\n      service {\n        id\n        name\n      }\n      teamId\n      team {\n        id\n        name\n      }\n      assigneeId\n      assignee {\n        id\n        name\n      }\n      problem {\n        id\n        key\n        title\n        status\n      }\n      timeline(limit: 100) {\n        id\n        ...TimelineEntry\n      }\n    }\n  }\n": types.IncidentDetailDocument,
    "\n  query IncidentRelated($id: IdOrKey!) {\n    similarIncidents(id: $id, limit: 5) {\n      model\n      matches {\n        incidentId\n        title\n        score\n        severity\n        relation\n      }\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        title\n        status\n      }\n    }\n  }\n": types.IncidentRelatedDocument,
    "\n  query ServiceChanges($serviceId: UUID!) {\n    changeRequests(filter: { serviceId: [$serviceId] }, limit: 5, sort: \"-created_at\") {\n      items {\n        id\n        key\n        title\n        status\n        plannedStart\n      }\n    }\n  }\n": types.ServiceChangesDocument,
    "\n  query TeamPolicies($teamId: UUID!) {\n    escalationPolicies(filter: { teamId: [$teamId] }, limit: 1) {\n      items {\n        id\n        name\n      }\n    }\n  }\n": types.TeamPoliciesDocument,
    "\n  query IncidentEscalationPlan($policyId: UUID!, $incidentId: IdOrKey!) {\n    escalationPlan(policyId: $policyId, incidentId: $incidentId) {\n      start\n      stoppedAt\n      steps {\n        level\n        repetition\n        at\n        suppressed\n        userIds\n      }\n    }\n  }\n": types.IncidentEscalationPlanDocument,
    "\n  mutation UpdateIncident($id: IdOrKey!, $input: UpdateIncidentInput!) {\n    updateIncident(id: $id, input: $input) {\n      id\n      status\n      severity\n      assigneeId\n      assignee {\n        id\n        name\n      }\n    }\n  }\n": types.UpdateIncidentDocument,
    "\n  mutation AddComment($input: CreateIncidentEventInput!) {\n    createIncidentEvent(input: $input) {\n      id\n      incidentId\n    }\n  }\n": types.AddCommentDocument,
    "\n  mutation GeneratePostmortemDraft($incidentId: IdOrKey!) {\n    draftPostmortem(input: { incidentId: $incidentId, persist: true }) {\n      model\n      postmortem {\n        id\n        status\n      }\n    }\n  }\n": types.GeneratePostmortemDraftDocument,
    "\n  fragment IncidentRow on Incident {\n    id\n    key\n    title\n    status\n    severity\n    createdAt\n    slaBreached\n    service {\n      id\n      name\n    }\n    team {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n  }\n": types.IncidentRowFragmentDoc,
    "\n  query IncidentList($filter: IncidentFilter, $limit: Int, $cursor: String, $sort: String) {\n    incidents(filter: $filter, limit: $limit, cursor: $cursor, sort: $sort) {\n      total\n      nextCursor\n      items {\n        id\n        ...IncidentRow\n      }\n    }\n  }\n": types.IncidentListDocument,
    "\n  query IncidentSearch($q: String!, $limit: Int) {\n    searchIncidents(q: $q, limit: $limit) {\n      total\n      model\n      understood {\n        text\n        statuses\n        severities\n        serviceIds\n        teamIds\n        assigneeId\n        unassigned\n        createdAfter\n        createdBefore\n      }\n      results {\n        id\n        key\n        title\n        status\n        severity\n        createdAt\n        slaBreached\n        score\n        service {\n          id\n          name\n        }\n        team {\n          id\n          name\n        }\n        assignee {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.IncidentSearchDocument,
    "\n  query OnCallSchedules {\n    onCallSchedules(limit: 100) {\n      items {\n        id\n        name\n        timeZone\n        team {\n          id\n          name\n        }\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n  }\n": types.OnCallSchedulesDocument,
    "\n  query OnCallNow($scheduleId: UUID!, $at: DateTimeISO) {\n    onCall(scheduleId: $scheduleId, at: $at) {\n      at\n      userIds\n      shiftStart\n      shiftEnd\n    }\n  }\n": types.OnCallNowDocument,
    "\n  fragment PostmortemFields on Postmortem {\n    id\n    title\n    status\n    aiGenerated\n    severityImpact\n    rootCause\n    contributingFactors\n    durationMinutes\n    updatedAt\n    timeline {\n      at\n      description\n    }\n    actionItems {\n      description\n      ownerId\n      dueAt\n      done\n    }\n  }\n": types.PostmortemFieldsFragmentDoc,
    "\n  query IncidentPostmortem($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        ...PostmortemFields\n      }\n    }\n  }\n": types.IncidentPostmortemDocument,
    "\n  mutation SavePostmortem($id: UUID!, $input: UpdatePostmortemInput!) {\n    updatePostmortem(id: $id, input: $input) {\n      id\n      ...PostmortemFields\n    }\n  }\n": types.SavePostmortemDocument,
    "\n  query IdentityProviderSettings {\n    identityProviders(limit: 1) {\n      items {\n        id\n        issuer\n        clientId\n        allowedDomains\n        groupsClaim\n        roleMapping\n        defaultRole\n        jitProvisioning\n        ssoRequired\n        breakGlassUserId\n      }\n    }\n    owners: users(limit: 100, filter: { role: [owner] }) {\n      items {\n        id\n        name\n        email\n      }\n    }\n  }\n": types.IdentityProviderSettingsDocument,
    "\n  mutation CreateIdentityProvider($input: CreateIdentityProviderInput!) {\n    createIdentityProvider(input: $input) {\n      id\n    }\n  }\n": types.CreateIdentityProviderDocument,
    "\n  mutation UpdateIdentityProvider($id: UUID!, $input: UpdateIdentityProviderInput!) {\n    updateIdentityProvider(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UpdateIdentityProviderDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ListOptions {\n    services(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    teams(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  query ListOptions {\n    services(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    teams(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClassifyPreview($input: ClassifyIncidentInput!) {\n    classifyIncident(input: $input) {\n      severity\n      confidence\n      reasoning\n      suggestedServiceId\n      suggestedTeamId\n      model\n    }\n  }\n"): (typeof documents)["\n  query ClassifyPreview($input: ClassifyIncidentInput!) {\n    classifyIncident(input: $input) {\n      severity\n      confidence\n      reasoning\n      suggestedServiceId\n      suggestedTeamId\n      model\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens(limit: 100, sort: \"-createdAt\") {\n      items {\n        id\n        name\n        kind\n        role\n        tokenPrefix\n        expiresAt\n        lastUsedAt\n        lastUsedIp\n        createdAt\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    apiTokens(limit: 100, sort: \"-createdAt\") {\n      items {\n        id\n        name\n        kind\n        role\n        tokenPrefix\n        expiresAt\n        lastUsedAt\n        lastUsedIp\n        createdAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      id\n      name\n      token\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      id\n      name\n      token\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteApiToken($id: UUID!) {\n    deleteApiToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteApiToken($id: UUID!) {\n    deleteApiToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DuplicateCandidates($q: String!) {\n    searchIncidents(q: $q, limit: 10) {\n      results {\n        id\n        key\n        title\n        status\n        severity\n        score\n      }\n    }\n  }\n"): (typeof documents)["\n  query DuplicateCandidates($q: String!) {\n    searchIncidents(q: $q, limit: 10) {\n      results {\n        id\n        key\n        title\n        status\n        severity\n        score\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclareIncident($input: CreateIncidentInput!) {\n    createIncident(input: $input) {\n      id\n      key\n    }\n  }\n"): (typeof documents)["\n  mutation DeclareIncident($input: CreateIncidentInput!) {\n    createIncident(input: $input) {\n      id\n      key\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimelineEntry on IncidentEvent {\n    id\n    type\n    message\n    occurredAt\n    actor {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment TimelineEntry on IncidentEvent {\n    id\n    type\n    message\n    occurredAt\n    actor {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentDetail($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n      description\n      status\n      severity\n      source\n      tags\n      createdAt\n      startedAt\n      acknowledgedAt\n      mitigatedAt\n      resolvedAt\n      closedAt\n      autoClassified\n      classificationConfidence\n      classificationModel\n      suggestedSeverity\n      slaBreached\n      slaStartedAt\n      slaResponseDueAt\n      slaResolutionDueAt\n      slaResponseBreachedAt\n      slaResolutionBreachedAt\n      slaPolicy {\n        id\n        name\n      }\n      serviceId\n      service {\n        id\n        name\n      }\n      teamId\n      team {\n        id\n        name\n      }\n      assigneeId\n      assignee {\n        id\n        name\n      }\n      problem {\n        id\n        key\n        title\n        status\n      }\n      timeline(limit: 100) {\n        id\n        ...TimelineEntry\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentDetail($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n      description\n      status\n      severity\n      source\n      tags\n      createdAt\n      startedAt\n      acknowledgedAt\n      mitigatedAt\n      resolvedAt\n      closedAt\n      autoClassified\n      classificationConfidence\n      classificationModel\n      suggestedSeverity\n      slaBreached\n      slaStartedAt\n      slaResponseDueAt\n      slaResolutionDueAt\n      slaResponseBreachedAt\n      slaResolutionBreachedAt\n      slaPolicy {\n        id\n        name\n      }\n      serviceId\n      service {\n        id\n        name\n      }\n      teamId\n      team {\n        id\n        name\n      }\n      assigneeId\n      assignee {\n        id\n        name\n      }\n      problem {\n        id\n        key\n        title\n        status\n      }\n      timeline(limit: 100) {\n        id\n        ...TimelineEntry\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentRelated($id: IdOrKey!) {\n    similarIncidents(id: $id, limit: 5) {\n      model\n      matches {\n        incidentId\n        title\n        score\n        severity\n        relation\n      }\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        title\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentRelated($id: IdOrKey!) {\n    similarIncidents(id: $id, limit: 5) {\n      model\n      matches {\n        incidentId\n        title\n        score\n        severity\n        relation\n      }\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        title\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceChanges($serviceId: UUID!) {\n    changeRequests(filter: { serviceId: [$serviceId] }, limit: 5, sort: \"-created_at\") {\n      items {\n        id\n        key\n        title\n        status\n        plannedStart\n      }\n    }\n  }\n"): (typeof documents)["\n  query ServiceChanges($serviceId: UUID!) {\n    changeRequests(filter: { serviceId: [$serviceId] }, limit: 5, sort: \"-created_at\") {\n      items {\n        id\n        key\n        title\n        status\n        plannedStart\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamPolicies($teamId: UUID!) {\n    escalationPolicies(filter: { teamId: [$teamId] }, limit: 1) {\n      items {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query TeamPolicies($teamId: UUID!) {\n    escalationPolicies(filter: { teamId: [$teamId] }, limit: 1) {\n      items {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentEscalationPlan($policyId: UUID!, $incidentId: IdOrKey!) {\n    escalationPlan(policyId: $policyId, incidentId: $incidentId) {\n      start\n      stoppedAt\n      steps {\n        level\n        repetition\n        at\n        suppressed\n        userIds\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentEscalationPlan($policyId: UUID!, $incidentId: IdOrKey!) {\n    escalationPlan(policyId: $policyId, incidentId: $incidentId) {\n      start\n      stoppedAt\n      steps {\n        level\n        repetition\n        at\n        suppressed\n        userIds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateIncident($id: IdOrKey!, $input: UpdateIncidentInput!) {\n    updateIncident(id: $id, input: $input) {\n      id\n      status\n      severity\n      assigneeId\n      assignee {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateIncident($id: IdOrKey!, $input: UpdateIncidentInput!) {\n    updateIncident(id: $id, input: $input) {\n      id\n      status\n      severity\n      assigneeId\n      assignee {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($input: CreateIncidentEventInput!) {\n    createIncidentEvent(input: $input) {\n      id\n      incidentId\n    }\n  }\n"): (typeof documents)["\n  mutation AddComment($input: CreateIncidentEventInput!) {\n    createIncidentEvent(input: $input) {\n      id\n      incidentId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GeneratePostmortemDraft($incidentId: IdOrKey!) {\n    draftPostmortem(input: { incidentId: $incidentId, persist: true }) {\n      model\n      postmortem {\n        id\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation GeneratePostmortemDraft($incidentId: IdOrKey!) {\n    draftPostmortem(input: { incidentId: $incidentId, persist: true }) {\n      model\n      postmortem {\n        id\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IncidentRow on Incident {\n    id\n    key\n    title\n    status\n    severity\n    createdAt\n    slaBreached\n    service {\n      id\n      name\n    }\n    team {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment IncidentRow on Incident {\n    id\n    key\n    title\n    status\n    severity\n    createdAt\n    slaBreached\n    service {\n      id\n      name\n    }\n    team {\n      id\n      name\n    }\n    assignee {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentList($filter: IncidentFilter, $limit: Int, $cursor: String, $sort: String) {\n    incidents(filter: $filter, limit: $limit, cursor: $cursor, sort: $sort) {\n      total\n      nextCursor\n      items {\n        id\n        ...IncidentRow\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentList($filter: IncidentFilter, $limit: Int, $cursor: String, $sort: String) {\n    incidents(filter: $filter, limit: $limit, cursor: $cursor, sort: $sort) {\n      total\n      nextCursor\n      items {\n        id\n        ...IncidentRow\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentSearch($q: String!, $limit: Int) {\n    searchIncidents(q: $q, limit: $limit) {\n      total\n      model\n      understood {\n        text\n        statuses\n        severities\n        serviceIds\n        teamIds\n        assigneeId\n        unassigned\n        createdAfter\n        createdBefore\n      }\n      results {\n        id\n        key\n        title\n        status\n        severity\n        createdAt\n        slaBreached\n        score\n        service {\n          id\n          name\n        }\n        team {\n          id\n          name\n        }\n        assignee {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentSearch($q: String!, $limit: Int) {\n    searchIncidents(q: $q, limit: $limit) {\n      total\n      model\n      understood {\n        text\n        statuses\n        severities\n        serviceIds\n        teamIds\n        assigneeId\n        unassigned\n        createdAfter\n        createdBefore\n      }\n      results {\n        id\n        key\n        title\n        status\n        severity\n        createdAt\n        slaBreached\n        score\n        service {\n          id\n          name\n        }\n        team {\n          id\n          name\n        }\n        assignee {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnCallSchedules {\n    onCallSchedules(limit: 100) {\n      items {\n        id\n        name\n        timeZone\n        team {\n          id\n          name\n        }\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query OnCallSchedules {\n    onCallSchedules(limit: 100) {\n      items {\n        id\n        name\n        timeZone\n        team {\n          id\n          name\n        }\n      }\n    }\n    users(limit: 100) {\n      items {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OnCallNow($scheduleId: UUID!, $at: DateTimeISO) {\n    onCall(scheduleId: $scheduleId, at: $at) {\n      at\n      userIds\n      shiftStart\n      shiftEnd\n    }\n  }\n"): (typeof documents)["\n  query OnCallNow($scheduleId: UUID!, $at: DateTimeISO) {\n    onCall(scheduleId: $scheduleId, at: $at) {\n      at\n      userIds\n      shiftStart\n      shiftEnd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PostmortemFields on Postmortem {\n    id\n    title\n    status\n    aiGenerated\n    severityImpact\n    rootCause\n    contributingFactors\n    durationMinutes\n    updatedAt\n    timeline {\n      at\n      description\n    }\n    actionItems {\n      description\n      ownerId\n      dueAt\n      done\n    }\n  }\n"): (typeof documents)["\n  fragment PostmortemFields on Postmortem {\n    id\n    title\n    status\n    aiGenerated\n    severityImpact\n    rootCause\n    contributingFactors\n    durationMinutes\n    updatedAt\n    timeline {\n      at\n      description\n    }\n    actionItems {\n      description\n      ownerId\n      dueAt\n      done\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IncidentPostmortem($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        ...PostmortemFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query IncidentPostmortem($id: IdOrKey!) {\n    incident(id: $id) {\n      id\n      key\n      title\n    }\n    postmortems(filter: { incidentId: [$id] }, limit: 1) {\n      items {\n        id\n        ...PostmortemFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SavePostmortem($id: UUID!, $input: UpdatePostmortemInput!) {\n    updatePostmortem(id: $id, input: $input) {\n      id\n      ...PostmortemFields\n    }\n  }\n"): (typeof documents)["\n  mutation SavePostmortem($id: UUID!, $input: UpdatePostmortemInput!) {\n    updatePostmortem(id: $id, input: $input) {\n      id\n      ...PostmortemFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IdentityProviderSettings {\n    identityProviders(limit: 1) {\n      items {\n        id\n        issuer\n        clientId\n        allowedDomains\n        groupsClaim\n        roleMapping\n        defaultRole\n        jitProvisioning\n        ssoRequired\n        breakGlassUserId\n      }\n    }\n    owners: users(limit: 100, filter: { role: [owner] }) {\n      items {\n        id\n        name\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  query IdentityProviderSettings {\n    identityProviders(limit: 1) {\n      items {\n        id\n        issuer\n        clientId\n        allowedDomains\n        groupsClaim\n        roleMapping\n        defaultRole\n        jitProvisioning\n        ssoRequired\n        breakGlassUserId\n      }\n    }\n    owners: users(limit: 100, filter: { role: [owner] }) {\n      items {\n        id\n        name\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateIdentityProvider($input: CreateIdentityProviderInput!) {\n    createIdentityProvider(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateIdentityProvider($input: CreateIdentityProviderInput!) {\n    createIdentityProvider(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateIdentityProvider($id: UUID!, $input: UpdateIdentityProviderInput!) {\n    updateIdentityProvider(id: $id, input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateIdentityProvider($id: UUID!, $input: UpdateIdentityProviderInput!) {\n    updateIdentityProvider(id: $id, input: $input) {\n      id\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;