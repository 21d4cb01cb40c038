import type { Knex } from 'knex';

/**
 * The low-balance alert's email (section 12, beyond the source): who is mailed beside the account's owner, and the
 * alert's email in the document email outbox.
 * - api_credit_accounts.low_balance_recipients: the addresses the account set (deduplicated, at most 10); empty
 *   means the owner only.
 * - api_credit_alerts.recipients: those addresses as they were when the balance crossed, so a later change of the
 *   setting does not change who an earlier alert was for.
 * - document_emails.team_id may be null: a low-balance alert's email belongs to an API-credit account, not a team
 *   (its document_id is the alert's key, which names the account).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_credit_accounts', (t) => {
    t.specificType('low_balance_recipients', 'text[]').notNullable().defaultTo('{}');
  });
  await knex.schema.alterTable('api_credit_alerts', (t) => {
    t.specificType('recipients', 'text[]').notNullable().defaultTo('{}');
  });
  await knex.raw('ALTER TABLE document_emails ALTER COLUMN team_id DROP NOT NULL');
  await knex.raw("ALTER TABLE document_emails ADD CONSTRAINT document_emails_team_or_account CHECK (team_id IS NOT NULL OR kind = 'low_balance_alert')");
}

export async function down(knex: Knex): Promise<void> {
  await knex('document_emails').whereNull('team_id').delete();
  await knex.raw('ALTER TABLE document_emails DROP CONSTRAINT document_emails_team_or_account');
  await knex.raw('ALTER TABLE document_emails ALTER COLUMN team_id SET NOT NULL');
  await knex.schema.alterTable('api_credit_alerts', (t) => t.dropColumn('recipients'));
  await knex.schema.alterTable('api_credit_accounts', (t) => t.dropColumn('low_balance_recipients'));
}
