import { Migration } from '@mikro-orm/migrations';

/**
 * The keys Argus writes into a timeline entry's `data`, renamed to snake_case like every REST body and webhook payload.
 */
const RENAMED: Array<[string, string]> = [
  ['autoClassified', 'auto_classified'],
  ['suggestedSeverity', 'suggested_severity'],
  ['slaPolicyId', 'sla_policy_id'],
  ['externalId', 'external_id'],
  ['dueAt', 'due_at'],
  ['detectedAt', 'detected_at'],
  ['policyId', 'policy_id'],
  ['problemId', 'problem_id'],
  ['problemKey', 'problem_key'],
  ['sourceId', 'source_id'],
  ['sourceName', 'source_name'],
  ['dedupKey', 'dedup_key'],
];

export class Migration20261207091000 extends Migration {
  override async up(): Promise<void> {
    // Top-level keys only: an alert's `labels` are the monitoring tool's own and stay as they were sent.
    for (const [from, to] of RENAMED) {
      this.addSql(
        `update "incident_events" set "data" = ("data" - '${from}') || jsonb_build_object('${to}', "data" -> '${from}') where "data" -> '${from}' is not null;`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const [from, to] of RENAMED) {
      this.addSql(
        `update "incident_events" set "data" = ("data" - '${to}') || jsonb_build_object('${from}', "data" -> '${to}') where "data" -> '${to}' is not null;`,
      );
    }
  }
}
