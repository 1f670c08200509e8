import { Migration } from '@mikro-orm/migrations';

export class Migration20261207060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "saved_views" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organization_id" uuid not null, "name" text not null, "query" text not null, "shared" boolean not null default false, "owner_id" uuid not null, constraint "saved_views_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "saved_views_organization_id_index" on "saved_views" ("organization_id");`);
    this.addSql(
      `create index "saved_views_organization_id_owner_id_index" on "saved_views" ("organization_id", "owner_id");`,
    );

    this.addSql(
      `alter table "saved_views" add constraint "saved_views_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "saved_views" add constraint "saved_views_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "saved_views" cascade;`);
  }
}
