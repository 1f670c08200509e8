import { Migration } from '@mikro-orm/migrations';

export class Migration20261128112732 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "webhook_source_kind" as enum ('generic', 'alertmanager', 'grafana');`);
    this.addSql(`create type "webhook_verification" as enum ('signature', 'bearer');`);
    this.addSql(`create type "alert_status" as enum ('firing', 'resolved');`);
    this.addSql(
      `create table "webhook_sources" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "kind" "webhook_source_kind" not null, "verification" "webhook_verification" not null, "default_severity" "severity" null, "default_service_id" uuid null, "enabled" boolean not null default true, "secret_rotated_at" timestamptz not null, "last_alert_at" timestamptz null, "signing_secret" text null, "token_hash" text null, constraint "webhook_sources_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_sources_organization_id_index" on "webhook_sources" ("organization_id");`);
    this.addSql(
      `alter table "webhook_sources" add constraint "webhook_sources_organization_id_name_unique" unique ("organization_id", "name");`,
    );

    this.addSql(
      `create table "webhook_receipts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "source_id" uuid not null, "webhook_id" text not null, "summary" jsonb not null default '{}', constraint "webhook_receipts_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_receipts_organization_id_index" on "webhook_receipts" ("organization_id");`);
    this.addSql(
      `alter table "webhook_receipts" add constraint "webhook_receipts_source_id_webhook_id_unique" unique ("source_id", "webhook_id");`,
    );

    this.addSql(
      `create table "alerts" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "source_id" uuid not null, "dedup_key" text not null, "group_key" text null, "incident_id" uuid not null, "status" "alert_status" not null, "title" text not null, "labels" jsonb not null default '{}', "starts_at" timestamptz not null, "resolved_at" timestamptz null, "last_received_at" timestamptz not null, "occurrences" int not null default 1, "payload" jsonb not null default '{}', constraint "alerts_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "alerts_organization_id_index" on "alerts" ("organization_id");`);
    this.addSql(`create index "alerts_incident_id_index" on "alerts" ("incident_id");`);
    this.addSql(`create index "alerts_source_id_group_key_index" on "alerts" ("source_id", "group_key");`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_source_id_dedup_key_incident_id_unique" unique ("source_id", "dedup_key", "incident_id");`,
    );

    this.addSql(
      `alter table "webhook_sources" add constraint "webhook_sources_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_sources" add constraint "webhook_sources_default_service_id_foreign" foreign key ("default_service_id") references "services" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "webhook_receipts" add constraint "webhook_receipts_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_receipts" add constraint "webhook_receipts_source_id_foreign" foreign key ("source_id") references "webhook_sources" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "alerts" add constraint "alerts_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "alerts" add constraint "alerts_source_id_foreign" foreign key ("source_id") references "webhook_sources" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "alerts" add constraint "alerts_incident_id_foreign" foreign key ("incident_id") references "incidents" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_receipts" drop constraint "webhook_receipts_source_id_foreign";`);

    this.addSql(`alter table "alerts" drop constraint "alerts_source_id_foreign";`);

    this.addSql(`drop table if exists "webhook_sources" cascade;`);

    this.addSql(`drop table if exists "webhook_receipts" cascade;`);

    this.addSql(`drop table if exists "alerts" cascade;`);

    this.addSql(`drop type "webhook_source_kind";`);
    this.addSql(`drop type "webhook_verification";`);
    this.addSql(`drop type "alert_status";`);
  }
}
