import { Migration } from '@mikro-orm/migrations';

export class Migration20261128105803 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "role" as enum ('owner', 'admin', 'responder', 'viewer');`);
    this.addSql(`create type "severity" as enum ('P1', 'P2', 'P3', 'P4');`);
    this.addSql(
      `create type "incident_status" as enum ('open', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed');`,
    );
    this.addSql(
      `create type "incident_event_type" as enum ('created', 'status_changed', 'severity_changed', 'assigned', 'comment', 'alert', 'updated');`,
    );
    this.addSql(
      `create table "key_sequences" ("organization_id" uuid not null, "prefix" text not null, "last" int not null, constraint "key_sequences_pkey" primary key ("organization_id", "prefix"));`,
    );

    this.addSql(
      `create table "login_throttles" ("account_key" text not null, "failures" int not null, "blocked_until" timestamptz null, "last_failure_at" timestamptz not null, constraint "login_throttles_pkey" primary key ("account_key"));`,
    );

    this.addSql(
      `create table "organizations" ("id" uuid not null, "name" text not null, "created_at" timestamptz not null default now(), constraint "organizations_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "teams" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "description" text null, constraint "teams_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "teams_organization_id_index" on "teams" ("organization_id");`);
    this.addSql(
      `alter table "teams" add constraint "teams_organization_id_name_unique" unique ("organization_id", "name");`,
    );

    this.addSql(
      `create table "services" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "description" text null, "team_id" uuid null, "tier" smallint not null default 3, "tags" text[] not null default '{}', "runbook_url" text null, constraint "services_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "services_organization_id_index" on "services" ("organization_id");`);
    this.addSql(
      `alter table "services" add constraint "services_organization_id_name_unique" unique ("organization_id", "name");`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "email" text not null, "name" text not null, "role" "role" not null, "mfa_enabled" boolean not null default false, "password_hash" text null, "invitation_token_hash" text null, "invitation_expires_at" timestamptz null, "token_version" int not null default 0, constraint "users_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "users_organization_id_index" on "users" ("organization_id");`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(
      `alter table "users" add constraint "users_invitation_token_hash_unique" unique ("invitation_token_hash");`,
    );

    this.addSql(
      `create table "team_members" ("team_id" uuid not null, "user_id" uuid not null, constraint "team_members_pkey" primary key ("team_id", "user_id"));`,
    );

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "token_hash" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "refresh_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "incidents" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "number" int not null, "title" text not null, "description" text null, "severity" "severity" not null, "status" "incident_status" not null default 'open', "service_id" uuid null, "team_id" uuid null, "assignee_id" uuid null, "auto_classified" boolean not null default false, "classification_confidence" real null, "classification_model" text null, "started_at" timestamptz not null, "acknowledged_at" timestamptz null, "mitigated_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "tags" text[] not null default '{}', "source" text not null default 'manual', constraint "incidents_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "incidents_organization_id_index" on "incidents" ("organization_id");`);
    this.addSql(
      `create index "incidents_organization_id_created_at_id_index" on "incidents" ("organization_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "incidents" add constraint "incidents_organization_id_number_unique" unique ("organization_id", "number");`,
    );

    this.addSql(
      `create table "incident_events" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "incident_id" uuid not null, "type" "incident_event_type" not null, "message" text null, "actor_id" uuid null, "data" jsonb not null default '{}', "occurred_at" timestamptz not null, constraint "incident_events_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "incident_events_organization_id_index" on "incident_events" ("organization_id");`);
    this.addSql(
      `create index "incident_events_incident_id_occurred_at_index" on "incident_events" ("incident_id", "occurred_at");`,
    );

    this.addSql(
      `alter table "teams" add constraint "teams_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "services" add constraint "services_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "services" add constraint "services_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "users" add constraint "users_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "team_members" add constraint "team_members_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "team_members" add constraint "team_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "incidents" add constraint "incidents_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "incidents" add constraint "incidents_service_id_foreign" foreign key ("service_id") references "services" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "incidents" add constraint "incidents_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "incidents" add constraint "incidents_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "incident_events" add constraint "incident_events_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "incident_events" add constraint "incident_events_incident_id_foreign" foreign key ("incident_id") references "incidents" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "incident_events" add constraint "incident_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }
}
