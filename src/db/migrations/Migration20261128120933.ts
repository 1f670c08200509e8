import { Migration } from '@mikro-orm/migrations';

export class Migration20261128120933 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "login_sources" ("account_key" text not null, "address" text not null, "last_success_at" timestamptz not null, constraint "login_sources_pkey" primary key ("account_key", "address"));`,
    );

    this.addSql(
      `create table "rate_limits" ("key" varchar(255) not null, "points" int not null default 0, "expire" bigint null, constraint "rate_limits_pkey" primary key ("key"));`,
    );

    this.addSql(
      `alter table "users" add column "mfa_secret" text null, add column "mfa_pending_secret" text null, add column "mfa_last_time_step" bigint null, add column "mfa_recovery_code_hashes" text[] not null default '{}';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_sources" cascade;`);

    this.addSql(`drop table if exists "rate_limits" cascade;`);

    this.addSql(
      `alter table "users" drop column "mfa_secret", drop column "mfa_pending_secret", drop column "mfa_last_time_step", drop column "mfa_recovery_code_hashes";`,
    );
  }
}
