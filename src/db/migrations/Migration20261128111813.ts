import { Migration } from '@mikro-orm/migrations';

export class Migration20261128111813 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "problem_status" as enum ('open', 'investigating', 'known_error', 'resolved', 'closed');`);
    this.addSql(
      `create type "asset_type" as enum ('server', 'database', 'network', 'application', 'storage', 'other');`,
    );
    this.addSql(`create type "asset_status" as enum ('active', 'maintenance', 'retired');`);
    this.addSql(`create type "change_type" as enum ('standard', 'normal', 'emergency');`);
    this.addSql(
      `create type "change_status" as enum ('draft', 'submitted', 'approved', 'rejected', 'scheduled', 'implementing', 'completed', 'failed', 'cancelled');`,
    );
    this.addSql(`create type "change_risk" as enum ('low', 'medium', 'high');`);
    this.addSql(
      `create table "problems" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "number" int not null, "title" text not null, "description" text null, "status" "problem_status" not null default 'open', "priority" "severity" not null default 'P3', "root_cause" text null, "workaround" text null, "service_id" uuid null, "resolved_at" timestamptz null, "closed_at" timestamptz null, constraint "problems_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "problems_organization_id_index" on "problems" ("organization_id");`);
    this.addSql(
      `create index "problems_organization_id_created_at_id_index" on "problems" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "problems" add constraint "problems_organization_id_number_unique" unique ("organization_id", "number");`,
    );

    this.addSql(
      `create table "assets" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "type" "asset_type" not null, "status" "asset_status" not null default 'active', "hostname" text null, "owner_team_id" uuid null, "service_id" uuid null, "attributes" jsonb not null default '{}', constraint "assets_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "assets_organization_id_index" on "assets" ("organization_id");`);
    this.addSql(`create index "assets_organization_id_name_index" on "assets" ("organization_id", "name");`);

    this.addSql(
      `create table "change_requests" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "number" int not null, "title" text not null, "description" text null, "type" "change_type" not null default 'normal', "status" "change_status" not null default 'draft', "risk" "change_risk" not null default 'medium', "planned_start" timestamptz null, "planned_end" timestamptz null, "service_id" uuid null, "requester_id" uuid null, "implementer_id" uuid null, "approver_id" uuid null, "decided_at" timestamptz null, "decision_comment" text null, "rollback_plan" text null, constraint "change_requests_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "change_requests_organization_id_index" on "change_requests" ("organization_id");`);
    this.addSql(
      `create index "change_requests_organization_id_created_at_id_index" on "change_requests" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "change_requests" add constraint "change_requests_organization_id_number_unique" unique ("organization_id", "number");`,
    );

    this.addSql(
      `create table "change_request_assets" ("change_request_id" uuid not null, "asset_id" uuid not null, constraint "change_request_assets_pkey" primary key ("change_request_id", "asset_id"));`,
    );

    this.addSql(
      `alter table "problems" add constraint "problems_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "problems" add constraint "problems_service_id_foreign" foreign key ("service_id") references "services" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "assets" add constraint "assets_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "assets" add constraint "assets_owner_team_id_foreign" foreign key ("owner_team_id") references "teams" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "assets" add constraint "assets_service_id_foreign" foreign key ("service_id") references "services" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "change_requests" add constraint "change_requests_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "change_requests" add constraint "change_requests_service_id_foreign" foreign key ("service_id") references "services" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "change_requests" add constraint "change_requests_requester_id_foreign" foreign key ("requester_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "change_requests" add constraint "change_requests_implementer_id_foreign" foreign key ("implementer_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "change_requests" add constraint "change_requests_approver_id_foreign" foreign key ("approver_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "change_request_assets" add constraint "change_request_assets_change_request_id_foreign" foreign key ("change_request_id") references "change_requests" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "change_request_assets" add constraint "change_request_assets_asset_id_foreign" foreign key ("asset_id") references "assets" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "incidents" add column "problem_id" uuid null;`);
    this.addSql(
      `alter table "incidents" add constraint "incidents_problem_id_foreign" foreign key ("problem_id") references "problems" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create index "incidents_problem_id_index" on "incidents" ("problem_id");`);

    this.addSql(`alter type "incident_event_type" add value if not exists 'problem_linked' after 'updated';`);

    this.addSql(`alter type "incident_event_type" add value if not exists 'problem_unlinked' after 'problem_linked';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "incidents" drop constraint "incidents_problem_id_foreign";`);

    this.addSql(`alter table "change_request_assets" drop constraint "change_request_assets_asset_id_foreign";`);

    this.addSql(
      `alter table "change_request_assets" drop constraint "change_request_assets_change_request_id_foreign";`,
    );

    this.addSql(`drop table if exists "problems" cascade;`);

    this.addSql(`drop table if exists "assets" cascade;`);

    this.addSql(`drop table if exists "change_requests" cascade;`);

    this.addSql(`drop table if exists "change_request_assets" cascade;`);

    this.addSql(`drop index "incidents_problem_id_index";`);
    this.addSql(`alter table "incidents" drop column "problem_id";`);

    this.addSql(`drop type "problem_status";`);
    this.addSql(`drop type "asset_type";`);
    this.addSql(`drop type "asset_status";`);
    this.addSql(`drop type "change_type";`);
    this.addSql(`drop type "change_status";`);
    this.addSql(`drop type "change_risk";`);
  }
}
