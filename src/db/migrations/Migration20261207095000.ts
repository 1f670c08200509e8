import { Migration } from '@mikro-orm/migrations';

/** Single sign-on (organization slugs, identity providers, pending sign-ins), disabled users and API tokens. */
export class Migration20261207095000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "organizations" add column "slug" text null;`);
    // Existing organizations get their name's slug; a name shared with an earlier organization also gets its id's
    // start.
    this.addSql(`with named as (
      select id, coalesce(nullif(left(trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 40), ''), 'org') as base,
        row_number() over (partition by coalesce(nullif(left(trim(both '-' from regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 40), ''), 'org') order by created_at, id) as n
      from organizations)
      update organizations o set slug = case when named.n = 1 then named.base else named.base || '-' || left(o.id::text, 8) end
      from named where named.id = o.id;`);
    this.addSql(`alter table "organizations" alter column "slug" set not null;`);
    this.addSql(`alter table "organizations" add constraint "organizations_slug_unique" unique ("slug");`);

    this.addSql(`alter table "users" add column "disabled" boolean not null default false;`);
    this.addSql(`alter table "users" add column "sso_subject" text null;`);

    this.addSql(
      `create table "identity_providers" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "issuer" text not null, "client_id" text not null, "client_secret_sealed" text not null, "allowed_domains" text[] not null default '{}', "groups_claim" text not null default 'groups', "role_mapping" jsonb not null default '{}', "default_role" "role" not null default 'viewer', "jit_provisioning" boolean not null default false, "sso_required" boolean not null default false, "break_glass_user_id" uuid null, constraint "identity_providers_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "identity_providers" add constraint "identity_providers_organization_id_unique" unique ("organization_id");`,
    );
    this.addSql(
      `alter table "identity_providers" add constraint "identity_providers_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "identity_providers" add constraint "identity_providers_break_glass_user_id_foreign" foreign key ("break_glass_user_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `create table "sso_logins" ("id" uuid not null, "created_at" timestamptz not null default now(), "organization_id" uuid not null, "state_hash" text not null, "nonce" text not null, "code_verifier" text not null, "redirect_uri" text not null, "expires_at" timestamptz not null, "state_used_at" timestamptz null, "user_id" uuid null, "code_hash" text null, "code_expires_at" timestamptz null, "code_used_at" timestamptz null, constraint "sso_logins_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "sso_logins" add constraint "sso_logins_state_hash_unique" unique ("state_hash");`);
    this.addSql(`alter table "sso_logins" add constraint "sso_logins_code_hash_unique" unique ("code_hash");`);
    this.addSql(`create index "sso_logins_expires_at_index" on "sso_logins" ("expires_at");`);
    this.addSql(
      `alter table "sso_logins" add constraint "sso_logins_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "sso_logins" add constraint "sso_logins_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`create type "api_token_kind" as enum ('personal', 'service');`);
    this.addSql(
      `create table "api_tokens" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "kind" "api_token_kind" not null, "role" "role" not null, "user_id" uuid not null, "token_hash" text not null, "token_prefix" text not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "last_used_ip" text null, constraint "api_tokens_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "api_tokens_organization_id_index" on "api_tokens" ("organization_id");`);
    this.addSql(
      `alter table "api_tokens" add constraint "api_tokens_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "api_tokens" add constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "audit_events" add column "api_token_id" uuid null;`);
    this.addSql(`alter table "refresh_tokens" add column "sign_in_method" text not null default 'password';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "refresh_tokens" drop column "sign_in_method";`);
    this.addSql(`alter table "audit_events" drop column "api_token_id";`);
    this.addSql(`drop table if exists "api_tokens" cascade;`);
    this.addSql(`drop type "api_token_kind";`);
    this.addSql(`drop table if exists "sso_logins" cascade;`);
    this.addSql(`drop table if exists "identity_providers" cascade;`);
    this.addSql(`alter table "users" drop column "sso_subject";`);
    this.addSql(`alter table "users" drop column "disabled";`);
    this.addSql(`alter table "organizations" drop constraint "organizations_slug_unique";`);
    this.addSql(`alter table "organizations" drop column "slug";`);
  }
}
