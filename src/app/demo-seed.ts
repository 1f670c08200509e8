import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Services } from './services.js';
import type { Context } from '../api/graphql/context.js';
import { forkForOrganization } from '../db/tenancy.js';
import { User } from '../modules/users/user.entity.js';
import { Incident } from '../modules/incidents/incident.entity.js';
import { IncidentEvent } from '../modules/incidents/incident-event.entity.js';
import { IncidentStatus } from '../modules/incidents/incident.enums.js';
import demo from './demo/github-incidents.json';

export const DEMO_LOGIN = { email: 'demo@argus.local', password: 'argus-demo-password' };

const TEAMS: Record<string, string[]> = {
  'Developer Platform': ['Git Operations', 'Pull Requests', 'Issues', 'API Requests', 'Webhooks', 'Pages'],
  'Build & Run': ['Actions', 'Packages', 'Codespaces', 'Copilot'],
};

/**
 * Loads the demo organization once: two teams, their services, and real incidents from GitHub's public status
 * history (Unlicense/MIT, attributed in the JSON file and the README). Runs through the same services as the API.
 */
export async function seedDemo(orm: MikroORM, services: Services, log: Logger): Promise<boolean> {
  const root = orm.em.fork();
  if (await root.count(User, { email: DEMO_LOGIN.email }, { filters: false })) return false;
  const owner = await services.auth.createOwner(root, {
    ...DEMO_LOGIN,
    name: 'Demo Owner',
    organizationName: 'Demo Co',
  });
  if (!owner) return false;
  const em = forkForOrganization(orm.em, owner.organization.id);
  const user = await em.findOneOrFail(User, { id: owner.id });
  const ctx = {
    em,
    actor: { userId: user.id, organizationId: owner.organization.id, role: user.role },
    services,
    log,
  } as Context;

  const serviceIds = new Map<string, string>();
  for (const [teamName, serviceNames] of Object.entries(TEAMS)) {
    const team = await services.teams.create(ctx, { name: teamName, memberIds: [user.id] });
    for (const name of serviceNames) {
      const service = await services.services.create(ctx, {
        name,
        teamId: team.id,
        tier: name === 'Git Operations' ? 1 : 2,
        tags: ['github'],
      });
      serviceIds.set(name, service.id);
    }
  }

  for (const record of demo.incidents) {
    const serviceId = record.service ? serviceIds.get(record.service) : undefined;
    const incident = await services.incidents.create(ctx, {
      title: record.title,
      description: `${record.description}\n\nSource: ${record.url}`,
      severity: record.severity,
      serviceId,
      startedAt: new Date(record.started_at),
      tags: ['demo', 'githubstatus'],
      source: 'import',
    });
    await services.incidents.update(ctx, incident.id, { status: IncidentStatus.resolved });
    await backdate(em, incident.id, new Date(record.started_at), new Date(record.resolved_at));
  }
  log.info({ incidents: demo.incidents.length }, 'demo organization loaded');
  return true;
}

/** Imported history keeps its real times: the incident and its timeline are moved to when they happened. */
async function backdate(em: EntityManager, incidentId: string, startedAt: Date, resolvedAt: Date): Promise<void> {
  await em.nativeUpdate(Incident, { id: incidentId }, { createdAt: startedAt, resolvedAt, updatedAt: resolvedAt });
  const events = await em.find(IncidentEvent, { incident: incidentId }, { orderBy: { occurredAt: 'asc' } });
  events.forEach((event, i) => (event.occurredAt = i === 0 ? startedAt : resolvedAt));
  await em.flush();
}
