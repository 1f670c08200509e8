import { Migration } from '@mikro-orm/migrations';

export class Migration20261128134347 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "similar_index_versions" ("organization_id" uuid not null, "version" bigint not null, constraint "similar_index_versions_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `alter table "similar_index_versions" add constraint "similar_index_versions_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "similar_index_versions" cascade;`);
  }
}
