import { Migration } from '@mikro-orm/migrations';

export class Migration20261128120506 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "incident_embeddings" ("incident_id" uuid not null, "organization_id" uuid not null, "model" text not null, "sparse" bytea not null, "updated_at" timestamptz not null default now(), constraint "incident_embeddings_pkey" primary key ("incident_id"));`,
    );
    this.addSql(
      `create index "incident_embeddings_organization_id_index" on "incident_embeddings" ("organization_id");`,
    );

    this.addSql(
      `alter table "incident_embeddings" add constraint "incident_embeddings_incident_id_foreign" foreign key ("incident_id") references "incidents" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "incident_embeddings" add constraint "incident_embeddings_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "incident_embeddings" cascade;`);
  }
}
