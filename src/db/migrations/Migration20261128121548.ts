import { Migration } from '@mikro-orm/migrations';

export class Migration20261128121548 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "incidents" add column "suggested_severity" "severity" null;`);
    this.addSql(
      `create index "incidents_organization_id_updated_at_index" on "incidents" ("organization_id", "updated_at");`,
    );
    // An incident the classifier filled in and nobody changed still shows the suggestion as its severity.
    this.addSql(`update "incidents" set "suggested_severity" = "severity" where "auto_classified" = true;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "incidents_organization_id_updated_at_index";`);
    this.addSql(`alter table "incidents" drop column "suggested_severity";`);
  }
}
