import type { Knex } from 'knex';

/**
 * Referral credits' contributions and prepaid API credits (issue 7).
 * - A contributed part of a user's grant becomes a team grant that keeps the original expiry and names its origin.
 * - A contribution is written once under the key its caller chose, so a retried request moves the credits once.
 * - An API-credit account's balance never goes below zero (CHECK), and every usage event and purchase is keyed
 *   per account, so the same event twice is charged once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credit_grants', (t) => {
    t.text('origin_grant_id').references('credit_grants.id');
  });

  await knex.schema.createTable('credit_contributions', (t) => {
    t.text('id').primary();
    t.text('idempotency_key').notNullable().unique();
    t.text('user_id').notNullable();
    t.text('team_id').notNullable().references('teams.id');
    t.bigInteger('amount').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
  });
  await knex.raw('ALTER TABLE credit_contributions ADD CONSTRAINT credit_contributions_positive CHECK (amount > 0)');

  await knex.schema.createTable('api_credit_accounts', (t) => {
    t.text('account_id').primary();
    t.bigInteger('balance').notNullable().defaultTo(0);
    // Optional: below it, the account is told once per crossing.
    t.bigInteger('low_balance_threshold');
    // False from an alert until a refill lifts the balance back to the threshold.
    t.boolean('low_balance_armed').notNullable().defaultTo(true);
    t.integer('low_balance_crossings').notNullable().defaultTo(0);
    t.timestamp('last_usage_at', { useTz: true });
    t.bigInteger('last_usage_amount');
    t.text('last_usage_key');
    t.timestamps(true, true);
  });
  await knex.raw('ALTER TABLE api_credit_accounts ADD CONSTRAINT api_credit_accounts_balance_non_negative CHECK (balance >= 0)');

  await knex.schema.createTable('api_credit_usage', (t) => {
    t.bigIncrements('id');
    t.text('account_id').notNullable().references('api_credit_accounts.account_id');
    t.text('idempotency_key').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('balance_after').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.unique(['account_id', 'idempotency_key']);
  });

  await knex.schema.createTable('api_credit_purchases', (t) => {
    t.bigIncrements('id');
    t.text('account_id').notNullable().references('api_credit_accounts.account_id');
    t.text('idempotency_key').notNullable();
    t.bigInteger('amount').notNullable();
    // pending (recorded before the charge, so a charge is never made that the ledger does not know of) → paid | declined
    t.text('status').notNullable().defaultTo('pending');
    t.text('payment_method_id').notNullable();
    t.text('provider').notNullable();
    t.text('provider_payment_id');
    t.text('decline_code');
    t.timestamp('purchased_at', { useTz: true }).notNullable();
    t.unique(['account_id', 'idempotency_key']);
    t.index(['account_id', 'purchased_at']);
  });

  // Low-balance alerts: an outbox, one row per crossing (notifications is per team; an account need not be one).
  await knex.schema.createTable('api_credit_alerts', (t) => {
    t.bigIncrements('id');
    t.text('account_id').notNullable().references('api_credit_accounts.account_id');
    t.text('idempotency_key').notNullable().unique();
    t.text('kind').notNullable();
    t.bigInteger('balance').notNullable();
    t.bigInteger('threshold').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['api_credit_alerts', 'api_credit_purchases', 'api_credit_usage', 'api_credit_accounts', 'credit_contributions']) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('credit_grants', (t) => t.dropColumn('origin_grant_id'));
}
