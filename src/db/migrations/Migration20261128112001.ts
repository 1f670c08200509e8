import { Migration } from '@mikro-orm/migrations';

export class Migration20261128112001 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "on_call_schedules" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "team_id" uuid null, "time_zone" text not null, "rotations" jsonb not null default '[]', "overrides" jsonb not null default '[]', constraint "on_call_schedules_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "on_call_schedules_organization_id_index" on "on_call_schedules" ("organization_id");`);
    this.addSql(
      `alter table "on_call_schedules" add constraint "on_call_schedules_organization_id_name_unique" unique ("organization_id", "name");`,
    );

    this.addSql(
      `create table "escalation_policies" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "team_id" uuid null, "levels" jsonb not null, "repeat" smallint not null default 0, constraint "escalation_policies_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "escalation_policies_organization_id_index" on "escalation_policies" ("organization_id");`,
    );
    this.addSql(
      `alter table "escalation_policies" add constraint "escalation_policies_organization_id_name_unique" unique ("organization_id", "name");`,
    );

    this.addSql(
      `alter table "on_call_schedules" add constraint "on_call_schedules_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "on_call_schedules" add constraint "on_call_schedules_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "escalation_policies" add constraint "escalation_policies_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "escalation_policies" add constraint "escalation_policies_team_id_foreign" foreign key ("team_id") references "teams" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "on_call_schedules" cascade;`);

    this.addSql(`drop table if exists "escalation_policies" cascade;`);
  }
}
