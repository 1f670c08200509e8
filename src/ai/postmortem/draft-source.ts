/**
 * What a postmortem draft is made from: plain snapshots of the incident's record (loaded from the database by the
 * draft service, or rebuilt from a real postmortem by the evaluation). Nothing here touches the ORM.
 */
export interface IncidentSnapshot {
  id: string;
  key: string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  startedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  serviceId: string | null;
  serviceName: string | null;
  teamName: string | null;
  slaBreached: boolean;
}

/** One entry of the incident's timeline (incident-events). */
export interface TimelineSnapshot {
  type: string;
  message: string | null;
  actorId: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

export interface ProblemSnapshot {
  id: string;
  key: string;
  title: string;
  description: string | null;
  status: string;
  rootCause: string | null;
  workaround: string | null;
}

export interface ChangeSnapshot {
  id: string;
  key: string;
  title: string;
  description: string | null;
  status: string;
  type: string;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  createdAt: Date;
  serviceId: string | null;
  /** Services of the assets (CMDB items) the change touches. */
  assetServiceIds: string[];
  /** Who carries it out: the implementer, else the requester. */
  ownerId: string | null;
}

export interface DraftSource {
  incident: IncidentSnapshot;
  /** Chronological. */
  events: TimelineSnapshot[];
  /** Names of the people the timeline mentions (actors, assignees), by user id. */
  userNames: Record<string, string>;
  problem: ProblemSnapshot | null;
  /** Candidate change requests: those naming the incident or its problem, or touching the incident's service. */
  changes: ChangeSnapshot[];
  /** The Clock's now: the end of an incident that is not resolved. */
  now: Date;
}
