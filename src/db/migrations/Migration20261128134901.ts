import { Migration } from '@mikro-orm/migrations';

export class Migration20261128134901 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "embedding_jobs" ("organization_id" uuid not null, "model" text not null, "state" text not null, "total" int not null, "done" int not null, "started_at" timestamptz not null, "finished_at" timestamptz null, "last_error" text null, "updated_at" timestamptz not null default now(), constraint "embedding_jobs_pkey" primary key ("organization_id"));`,
    );

    this.addSql(
      `alter table "embedding_jobs" add constraint "embedding_jobs_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "incident_embeddings" add column "vector_model" text null, add column "vector" bytea null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "embedding_jobs" cascade;`);

    this.addSql(`alter table "incident_embeddings" drop column "vector_model", drop column "vector";`);
  }
}
