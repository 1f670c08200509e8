import { Migration } from '@mikro-orm/migrations';

export class Migration20261128111543 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "postmortem_status" as enum ('draft', 'in_review', 'published');`);
    this.addSql(
      `create table "postmortems" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "incident_id" uuid not null, "title" text not null, "status" "postmortem_status" not null default 'draft', "severity_impact" text null, "timeline" jsonb not null default '[]', "root_cause" text null, "contributing_factors" jsonb not null default '[]', "action_items" jsonb not null default '[]', "duration_minutes" int null, "ai_generated" boolean not null default false, constraint "postmortems_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "postmortems_organization_id_index" on "postmortems" ("organization_id");`);
    this.addSql(
      `alter table "postmortems" add constraint "postmortems_organization_id_incident_id_unique" unique ("organization_id", "incident_id");`,
    );

    this.addSql(
      `alter table "postmortems" add constraint "postmortems_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "postmortems" add constraint "postmortems_incident_id_foreign" foreign key ("incident_id") references "incidents" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "postmortems" cascade;`);

    this.addSql(`drop type "postmortem_status";`);
  }
}
