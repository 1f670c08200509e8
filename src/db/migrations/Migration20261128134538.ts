import { Migration } from '@mikro-orm/migrations';

export class Migration20261128134538 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "audit_outcome" as enum ('success', 'failure');`);
    this.addSql(`create type "audit_surface" as enum ('graphql', 'rest');`);
    this.addSql(
      `create table "idempotency_keys" ("id" uuid not null, "organization_id" uuid not null, "user_id" uuid not null, "key_hash" text not null, "operation" text not null, "fingerprint" text not null, "response" bytea null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, constraint "idempotency_keys_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "idempotency_keys_expires_at_index" on "idempotency_keys" ("expires_at");`);
    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_organization_id_user_id_key_hash_unique" unique ("organization_id", "user_id", "key_hash");`,
    );

    this.addSql(
      `create table "audit_events" ("id" uuid not null, "created_at" timestamptz not null default now(), "organization_id" uuid null, "actor_id" uuid null, "action" text not null, "outcome" "audit_outcome" not null, "error_code" text null, "record_type" text null, "record_id" text null, "changed_fields" text[] not null default '{}', "surface" "audit_surface" not null, "ip" text null, "user_agent" text null, "request_id" text null, constraint "audit_events_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "audit_events_organization_id_created_at_id_index" on "audit_events" ("organization_id", "created_at", "id");`,
    );

    this.addSql(
      `alter table "audit_events" add constraint "audit_events_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_keys" cascade;`);

    this.addSql(`drop table if exists "audit_events" cascade;`);

    this.addSql(`drop type "audit_outcome";`);
    this.addSql(`drop type "audit_surface";`);
  }
}
