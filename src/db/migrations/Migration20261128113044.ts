import { Migration } from '@mikro-orm/migrations';

export class Migration20261128113044 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "delivery_status" as enum ('pending', 'delivering', 'succeeded', 'failed');`);
    this.addSql(
      `create table "alert_rules" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "enabled" boolean not null default true, "event_types" text[] not null, "conditions" jsonb not null default '{}', "target_url" text not null, "disabled_reason" text null, "signing_secret" text not null, "previous_signing_secret" text null, "previous_secret_expires_at" timestamptz null, constraint "alert_rules_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "alert_rules_organization_id_index" on "alert_rules" ("organization_id");`);

    this.addSql(
      `create table "webhook_deliveries" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "alert_rule_id" uuid not null, "webhook_id" text not null, "event_type" text not null, "payload" jsonb not null, "status" "delivery_status" not null default 'pending', "attempts" int not null default 0, "last_status_code" int null, "last_error" text null, "next_attempt_at" timestamptz null, "delivered_at" timestamptz null, "lease_until" timestamptz null, "ordering_key" text not null, "seq" bigserial, "attempt_log" jsonb not null default '[]', constraint "webhook_deliveries_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "webhook_deliveries_organization_id_index" on "webhook_deliveries" ("organization_id");`);
    this.addSql(
      `create index "webhook_deliveries_alert_rule_id_ordering_key_seq_index" on "webhook_deliveries" ("alert_rule_id", "ordering_key", "seq");`,
    );
    this.addSql(
      `create index "webhook_deliveries_status_next_attempt_at_index" on "webhook_deliveries" ("status", "next_attempt_at");`,
    );

    this.addSql(
      `alter table "alert_rules" add constraint "alert_rules_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_alert_rule_id_foreign" foreign key ("alert_rule_id") references "alert_rules" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_deliveries" drop constraint "webhook_deliveries_alert_rule_id_foreign";`);

    this.addSql(`drop table if exists "alert_rules" cascade;`);

    this.addSql(`drop table if exists "webhook_deliveries" cascade;`);

    this.addSql(`drop type "delivery_status";`);
  }
}
