import { Migration } from '@mikro-orm/migrations';

/**
 * An email has one account (the row with a password) across the installation, and besides it at most one pending
 * invitation per organization: inviting an email that has an account elsewhere answers like any invitation.
 */
export class Migration20261207090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_email_unique";`);
    this.addSql(
      `alter table "users" add constraint "users_organization_id_email_unique" unique ("organization_id", "email");`,
    );
    this.addSql(
      `create unique index "users_email_account_unique" on "users" ("email") where "password_hash" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "users_email_account_unique";`);
    this.addSql(`alter table "users" drop constraint "users_organization_id_email_unique";`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
  }
}
