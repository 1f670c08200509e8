import { Migration } from '@mikro-orm/migrations';

export class Migration20261207061000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "incident_import_state" as enum ('running', 'done', 'failed');`);
    this.addSql(
      `create table "incident_imports" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "state" "incident_import_state" not null default 'running', "actor_id" uuid null, "total" int not null, "processed" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "failed" int not null default 0, "errors" jsonb not null default '[]', "finished_at" timestamptz null, constraint "incident_imports_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "incident_imports_organization_id_index" on "incident_imports" ("organization_id");`);
    this.addSql(
      `create index "incident_imports_organization_id_created_at_index" on "incident_imports" ("organization_id", "created_at");`,
    );
    this.addSql(
      `alter table "incident_imports" add constraint "incident_imports_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(`alter table "incidents" add column "external_id" text null;`);
    this.addSql(
      `alter table "incidents" add constraint "incidents_organization_id_external_id_unique" unique ("organization_id", "external_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "incidents" drop constraint "incidents_organization_id_external_id_unique";`);
    this.addSql(`alter table "incidents" drop column "external_id";`);
    this.addSql(`drop table if exists "incident_imports" cascade;`);
    this.addSql(`drop type "incident_import_state";`);
  }
}
