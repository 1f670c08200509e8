import { Migration } from '@mikro-orm/migrations';

/**
 * The indexes of incident analytics and on-call load (src/modules/analytics): incidents of a window by started_at, and
 * the few timeline entries the figures read (severity changes, reopens, assignments and moves out of open), each a
 * small partial index rather than a scan of the whole timeline.
 */
export class Migration20261207060500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "incidents_organization_id_started_at_index" on "incidents" ("organization_id", "started_at");`,
    );
    this.addSql(
      `create index "incident_events_severity_changes_index" on "incident_events" ("organization_id", "incident_id", ("data"->>'from')) where "type" = 'severity_changed';`,
    );
    this.addSql(
      `create index "incident_events_reopens_index" on "incident_events" ("organization_id", "incident_id") where "type" = 'status_changed' and ("data"->>'to') = 'open';`,
    );
    this.addSql(
      `create index "incident_events_on_call_touches_index" on "incident_events" ("organization_id", "occurred_at") where "type" = 'assigned' or "type" = 'created' or ("type" = 'status_changed' and ("data"->>'from') = 'open');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "incident_events_on_call_touches_index";`);
    this.addSql(`drop index if exists "incident_events_reopens_index";`);
    this.addSql(`drop index if exists "incident_events_severity_changes_index";`);
    this.addSql(`drop index if exists "incidents_organization_id_started_at_index";`);
  }
}
