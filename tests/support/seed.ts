import { randomUUID } from 'node:crypto';
import { rest } from './client';

export type RoleName = 'owner' | 'admin' | 'responder' | 'viewer';

export interface SeedUser {
  id: string;
  email: string;
  role: RoleName;
  token: string;
  refreshToken: string;
}

export const PASSWORD = 'correct horse battery staple';

/**
 * A fresh organization per test (signed up through the API), with users of any role added through invitations.
 * Tests never share records, so they run in parallel and a cross-tenant check is one more `seedOrg()`.
 */
export class SeedOrg {
  private constructor(
    readonly baseUrl: string,
    readonly owner: SeedUser,
    readonly name: string,
  ) {}

  static async create(baseUrl: string): Promise<SeedOrg> {
    const suffix = randomUUID().slice(0, 8);
    const email = `owner-${suffix}@example.test`;
    const res = await rest(baseUrl, 'POST', '/auth/signup', {
      body: { email, password: PASSWORD, name: `Owner ${suffix}`, organization_name: `Org ${suffix}` },
    });
    if (res.status !== 202) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    // Sign-up answers no token (it answers alike for a taken email): the new owner signs in.
    const login = await rest(baseUrl, 'POST', '/auth/login', { body: { email, password: PASSWORD } });
    if (login.status !== 200)
      throw new Error(`login after signup failed: ${login.status} ${JSON.stringify(login.body)}`);
    const owner = {
      id: login.body.user.id,
      email,
      role: 'owner' as const,
      token: login.body.access_token,
      refreshToken: login.body.refresh_token,
    };
    return new SeedOrg(baseUrl, owner, `Org ${suffix}`);
  }

  async user(role: RoleName): Promise<SeedUser> {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const invited = await rest(this.baseUrl, 'POST', '/users', {
      token: this.owner.token,
      body: { email, name: `A ${role}`, role },
    });
    if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${JSON.stringify(invited.body)}`);
    const accepted = await rest(this.baseUrl, 'POST', '/auth/accept-invitation', {
      body: { invitation_token: invited.body.invitation_token, password: PASSWORD },
    });
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    return {
      id: invited.body.user.id,
      email,
      role,
      token: accepted.body.access_token,
      refreshToken: accepted.body.refresh_token,
    };
  }

  async incident(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/incidents', {
      token: this.owner.token,
      body: { title: 'Checkout latency high', severity: 'P2', ...body },
    });
    if (res.status !== 201) throw new Error(`incident failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async comment(body: Record<string, unknown> = {}): Promise<any> {
    const incident = await this.incident();
    const res = await rest(this.baseUrl, 'POST', '/incident-events', {
      token: this.owner.token,
      body: { incident_id: incident.id, message: 'A comment', ...body },
    });
    if (res.status !== 201) throw new Error(`comment failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async postmortem(body: Record<string, unknown> = {}): Promise<any> {
    const incident = await this.incident();
    const res = await rest(this.baseUrl, 'POST', '/postmortems', {
      token: this.owner.token,
      body: { incident_id: incident.id, title: 'What happened', ...body },
    });
    if (res.status !== 201) throw new Error(`postmortem failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** An alert rule posting to a closed local port (tests allow 127.0.0.1 as a webhook target). */
  async alertRule(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/alert-rules', {
      token: this.owner.token,
      body: {
        name: `Rule ${randomUUID().slice(0, 6)}`,
        event_types: ['incident.created'],
        target_url: 'http://127.0.0.1:9/hook',
        ...body,
      },
    });
    if (res.status !== 201) throw new Error(`alert rule failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** An entry of the audit log: the one a team's creation leaves. */
  async auditEvent(): Promise<any> {
    const team = await this.team();
    const res = await rest(this.baseUrl, 'GET', `/audit-events?action=createTeam&record_id=${team.id}`, {
      token: this.owner.token,
    });
    if (res.status !== 200 || res.body.items.length !== 1)
      throw new Error(`no audit event: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.items[0];
  }

  /** A queued delivery: a rule, then an incident it announces. */
  async webhookDelivery(): Promise<any> {
    const rule = await this.alertRule();
    await this.incident();
    const res = await rest(this.baseUrl, 'GET', `/webhook-deliveries?alert_rule_id=${rule.id}`, {
      token: this.owner.token,
    });
    if (res.status !== 200 || !res.body.items.length)
      throw new Error(`no delivery: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.items[0];
  }

  async team(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/teams', {
      token: this.owner.token,
      body: { name: `Team ${randomUUID().slice(0, 6)}`, ...body },
    });
    if (res.status !== 201) throw new Error(`team failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A webhook source, as its create response shows it: the record plus its secret (shown this once). */
  async webhookSource(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/webhook-sources', {
      token: this.owner.token,
      body: { name: `Source ${randomUUID().slice(0, 6)}`, kind: 'generic', ...body },
    });
    if (res.status !== 201) throw new Error(`webhook source failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async service(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/services', {
      token: this.owner.token,
      body: { name: `Service ${randomUUID().slice(0, 6)}`, ...body },
    });
    if (res.status !== 201) throw new Error(`service failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async problem(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/problems', {
      token: this.owner.token,
      body: { title: 'Connection pool exhaustion', ...body },
    });
    if (res.status !== 201) throw new Error(`problem failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async changeRequest(body: Record<string, unknown> = {}, token = this.owner.token): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/change-requests', {
      token,
      body: { title: 'Upgrade PostgreSQL to 17', ...body },
    });
    if (res.status !== 201) throw new Error(`change request failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async asset(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/assets', {
      token: this.owner.token,
      body: { name: `db-${randomUUID().slice(0, 6)}`, type: 'database', ...body },
    });
    if (res.status !== 201) throw new Error(`asset failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A schedule with one daily rotation of the owner, unless the body says otherwise. */
  async onCallSchedule(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/on-call-schedules', {
      token: this.owner.token,
      body: {
        name: `Schedule ${randomUUID().slice(0, 6)}`,
        time_zone: 'Europe/Berlin',
        rotations: [
          {
            name: 'Primary',
            participant_ids: [this.owner.id],
            start_at: '2026-01-05T08:00:00Z',
            length_hours: 24,
            handoff_time: '09:00',
          },
        ],
        ...body,
      },
    });
    if (res.status !== 201) throw new Error(`on-call schedule failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A policy that pages the owner, unless the body says otherwise. */
  async escalationPolicy(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/escalation-policies', {
      token: this.owner.token,
      body: {
        name: `Policy ${randomUUID().slice(0, 6)}`,
        levels: [{ delay_minutes: 15, target_ids: [this.owner.id] }],
        ...body,
      },
    });
    if (res.status !== 201) throw new Error(`escalation policy failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async slaPolicy(body: Record<string, unknown> = {}): Promise<any> {
    const res = await rest(this.baseUrl, 'POST', '/sla-policies', {
      token: this.owner.token,
      body: {
        name: `SLA ${randomUUID().slice(0, 6)}`,
        severity: 'P1',
        response_minutes: 15,
        resolution_minutes: 240,
        ...body,
      },
    });
    if (res.status !== 201) throw new Error(`SLA policy failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

export const seedOrg = (baseUrl: string) => SeedOrg.create(baseUrl);
