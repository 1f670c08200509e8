import { Migration } from '@mikro-orm/migrations';

export class Migration20261128111821 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "sla_policies" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "severity" "severity" not null, "response_minutes" int not null, "resolution_minutes" int not null, "service_id" uuid null, "team_id" uuid null, constraint "sla_policies_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "sla_policies_organization_id_index" on "sla_policies" ("organization_id");`);
    this.addSql(
      `create index "sla_policies_organization_id_severity_index" on "sla_policies" ("organization_id", "severity");`,
    );
    this.addSql(
      `create unique index "sla_policies_scope_unique" on "sla_policies" ("organization_id", "severity", coalesce("service_id", '00000000-0000-0000-0000-000000000000'::uuid), coalesce("team_id", '00000000-0000-0000-0000-000000000000'::uuid));`,
    );

    this.addSql(
      `alter table "sla_policies" add constraint "sla_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sla_policies" add constraint "sla_policies_service_id_foreign" foreign key ("service_id") references "services" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sla_policies" add constraint "sla_policies_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "incidents" add column "sla_policy_id" uuid null, add column "sla_started_at" timestamptz null, add column "sla_response_due_at" timestamptz null, add column "sla_resolution_due_at" timestamptz null, add column "sla_response_stopped_at" timestamptz null, add column "sla_resolution_stopped_at" timestamptz null, add column "sla_response_breached_at" timestamptz null, add column "sla_resolution_breached_at" timestamptz null, add column "sla_breached" boolean not null default false;`,
    );
    // Incidents from before SLA policies: no due times, and the clocks that already stopped are marked stopped, so a
    // later severity change never starts a clock for an incident that was long acknowledged or resolved.
    this.addSql(`update "incidents" set "sla_started_at" = "created_at";`);
    this.addSql(
      `update "incidents" set "sla_response_stopped_at" = coalesce("acknowledged_at", "mitigated_at", "resolved_at", "closed_at", "updated_at") where "status" <> 'open' or "acknowledged_at" is not null;`,
    );
    this.addSql(
      `update "incidents" set "sla_resolution_stopped_at" = coalesce("resolved_at", "closed_at", "updated_at") where "status" in ('resolved', 'closed');`,
    );
    this.addSql(
      `alter table "incidents" add constraint "incidents_sla_policy_id_foreign" foreign key ("sla_policy_id") references "sla_policies" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `create index "incidents_sla_resolution_running_index" on "incidents" ("sla_resolution_due_at") where "sla_resolution_stopped_at" is null and "sla_resolution_breached_at" is null;`,
    );
    this.addSql(
      `create index "incidents_sla_response_running_index" on "incidents" ("sla_response_due_at") where "sla_response_stopped_at" is null and "sla_response_breached_at" is null;`,
    );

    this.addSql(`alter type "incident_event_type" add value if not exists 'sla_breached' after 'updated';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "incidents" drop constraint "incidents_sla_policy_id_foreign";`);

    this.addSql(`drop table if exists "sla_policies" cascade;`);

    this.addSql(`drop index "incidents_sla_resolution_running_index";`);
    this.addSql(`drop index "incidents_sla_response_running_index";`);
    this.addSql(
      `alter table "incidents" drop column "sla_policy_id", drop column "sla_started_at", drop column "sla_response_due_at", drop column "sla_resolution_due_at", drop column "sla_response_stopped_at", drop column "sla_resolution_stopped_at", drop column "sla_response_breached_at", drop column "sla_resolution_breached_at", drop column "sla_breached";`,
    );
  }
}
