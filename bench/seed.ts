import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { LexicalModel } from '../src/ai/models/lexical-model.js';
import { encodeSparse } from '../src/ai/models/sparse-vector.js';
import { seededRandom } from '../tools/seeded-random.js';

/** A bench organization as the API created it (owner token, a few services, teams and users), plus bulk rows. */
export interface BenchOrg {
  organizationId: string;
  token: string;
  serviceIds: string[];
  serviceNames: string[];
  teamIds: string[];
  userIds: string[];
}

const SYMPTOMS = [
  'elevated error rate',
  'is down for all users',
  'latency above 2s at p99',
  'degraded performance',
  'returns 502 errors',
  'timeouts on checkout',
  'data loss suspected',
  'cosmetic glitch on the dashboard',
  'connection pool exhausted',
  'disk full on primary',
  'certificate expired',
  'memory leak after deploy',
  'queue backlog growing',
  'login failures',
  'intermittent 500s',
  'slow page loads in EU',
  'webhooks delayed',
  'search results missing',
  'replica lag over 5 minutes',
];
const CAUSES = [
  'after the 14:00 deploy',
  'since the config change',
  'on host web-{n}',
  'in region eu-west-{n}',
  'for tenant batch {n}',
  'after a traffic spike',
  'during the nightly job',
  'on node pool {n}',
  'with error E{n}',
  '',
];
const SEVERITIES = ['P1', 'P2', 'P3', 'P4'];
const STATUSES = ['open', 'acknowledged', 'mitigated', 'resolved', 'closed'];

/** The synthetic services every bench names its incidents after. */
export const SERVICE_NAMES = [
  'checkout',
  'payments',
  'search',
  'git',
  'webhooks',
  'auth',
  'api-gateway',
  'billing',
  'notifications',
  'storage',
  'cdn',
  'dns',
];

export function incidentText(random: () => number, service: string): { title: string; description: string } {
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const n = Math.floor(random() * 400);
  const title = `${service} ${pick(SYMPTOMS)} ${pick(CAUSES).replace('{n}', String(n))}`.trim();
  const description = `${pick(SYMPTOMS)}; ${pick(CAUSES).replace('{n}', String(n + 7))}. Customers report ${pick(SYMPTOMS)}.`;
  return { title, description };
}

/**
 * `count` incidents in one organization with multi-row INSERT … SELECT FROM unnest (10k rows per statement), their
 * stored embeddings (computed here by the same model the server uses, so its index build reads them as is) and
 * `eventsPerIncident` timeline entries for the newest `eventsFor` incidents. Advances the INC key sequence.
 */
export async function bulkIncidents(
  db: Client,
  org: BenchOrg,
  count: number,
  options: { seed: number; eventsPerIncident?: number; eventsFor?: number; model: LexicalModel },
): Promise<void> {
  const random = seededRandom(options.seed);
  const now = Date.now();
  const chunk = 10_000;
  const newest: string[] = [];
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const cols = {
      id: [] as string[],
      number: [] as number[],
      title: [] as string[],
      description: [] as string[],
      severity: [] as string[],
      status: [] as string[],
      service: [] as string[],
      team: [] as (string | null)[],
      assignee: [] as (string | null)[],
      started: [] as string[],
      created: [] as string[],
      sparse: [] as Buffer[],
    };
    for (let i = 0; i < n; i++) {
      const number = start + i + 1;
      const s = Math.floor(random() * org.serviceIds.length);
      const text = incidentText(random, org.serviceNames[s]);
      // Older numbers are older incidents, a minute apart, so the newest page is the highest numbers.
      const at = new Date(now - (count - number) * 60_000).toISOString();
      cols.id.push(randomUUID());
      cols.number.push(number);
      cols.title.push(text.title);
      cols.description.push(text.description);
      cols.severity.push(SEVERITIES[Math.floor(random() * 4)]);
      cols.status.push(STATUSES[Math.floor(random() * STATUSES.length)]);
      cols.service.push(org.serviceIds[s]);
      cols.team.push(org.teamIds.length ? org.teamIds[s % org.teamIds.length] : null);
      cols.assignee.push(org.userIds.length ? org.userIds[Math.floor(random() * org.userIds.length)] : null);
      cols.started.push(at);
      cols.created.push(at);
      cols.sparse.push(
        encodeSparse(
          options.model.embedIncident({
            title: text.title,
            description: text.description,
            service: org.serviceNames[s],
          }),
        ),
      );
    }
    await db.query(
      `insert into incidents (id, organization_id, number, title, description, severity, status, service_id, team_id, assignee_id,
                              started_at, created_at, updated_at, tags, source)
       select u.id, $1, u.number, u.title, u.description, u.severity::severity, u.status::incident_status, u.service, u.team, u.assignee,
              u.started, u.created, u.created, '{bench}', 'api'
         from unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::uuid[],
                     $11::timestamptz[], $12::timestamptz[])
           as u(id, number, title, description, severity, status, service, team, assignee, started, created)`,
      [
        org.organizationId,
        cols.id,
        cols.number,
        cols.title,
        cols.description,
        cols.severity,
        cols.status,
        cols.service,
        cols.team,
        cols.assignee,
        cols.started,
        cols.created,
      ],
    );
    await db.query(
      `insert into incident_embeddings (incident_id, organization_id, model, sparse, updated_at)
       select u.id, $1, $2, u.sparse, now() from unnest($3::uuid[], $4::bytea[]) as u(id, sparse)`,
      [org.organizationId, options.model.name, cols.id, cols.sparse],
    );
    newest.push(...cols.id);
  }
  await db.query(
    `insert into key_sequences (organization_id, prefix, last) values ($1, 'INC', $2)
     on conflict (organization_id, prefix) do update set last = greatest(key_sequences.last, excluded.last)`,
    [org.organizationId, count],
  );
  const perIncident = options.eventsPerIncident ?? 0;
  const targets = newest.slice(-(options.eventsFor ?? 0));
  if (perIncident && targets.length) {
    await db.query(
      `insert into incident_events (id, organization_id, incident_id, type, message, actor_id, data, occurred_at, created_at, updated_at)
       select gen_random_uuid(), $1, i.id, 'comment', 'Looked at the dashboards, step ' || g, $3, '{}'::jsonb,
              i.started_at + g * interval '1 minute', now(), now()
         from incidents i cross join generate_series(1, $4) g
        where i.id = any($2::uuid[])`,
      [org.organizationId, targets, org.userIds[0] ?? null, perIncident],
    );
  }
  await db.query('analyze incidents; analyze incident_events; analyze incident_embeddings');
}
