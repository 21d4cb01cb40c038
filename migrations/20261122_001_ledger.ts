import type { Knex } from 'knex';

/**
 * The ledger: every amount of money the engine has billed, collected, refunded or granted.
 * Amounts are integer cents (bigint). Calendar days are `date` (UTC). Every row that moves money carries an
 * `idempotency_key` built from business facts (team, period, kind) and unique, so a retried activity writes once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('teams', (t) => {
    t.text('id').primary();
    t.text('organization_id');
    t.text('name').notNullable();
    t.text('billing_country').notNullable().defaultTo('US');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('invoices', (t) => {
    t.text('id').primary();
    t.text('team_id').notNullable().references('teams.id');
    t.text('idempotency_key').notNullable().unique();
    // trial_end | subscribe | renewal | member_review | plan_change | seat_order | seat_addition
    t.text('reason').notNullable();
    // open | paid | failed | void
    t.text('status').notNullable();
    t.text('currency').notNullable().defaultTo('usd');
    t.date('issued_on').notNullable();
    t.date('due_on');
    t.date('period_start');
    t.date('period_end');
    t.bigInteger('total').notNullable();
    t.bigInteger('balance_applied').notNullable().defaultTo(0);
    t.bigInteger('credits_applied').notNullable().defaultTo(0);
    t.bigInteger('charged').notNullable().defaultTo(0);
    // Evidence for support: the workflow run that produced the invoice.
    t.text('workflow_id');
    t.text('run_id');
    t.timestamps(true, true);
    t.index(['team_id', 'issued_on']);
  });
  await knex.raw(`ALTER TABLE invoices ADD CONSTRAINT invoices_paid_adds_up
    CHECK (status <> 'paid' OR total = balance_applied + credits_applied + charged)`);

  await knex.schema.createTable('invoice_lines', (t) => {
    t.bigIncrements('id');
    t.text('invoice_id').notNullable().references('invoices.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('kind').notNullable();
    t.text('description').notNullable();
    t.bigInteger('amount').notNullable();
    t.integer('quantity');
    t.date('period_start');
    t.date('period_end');
    t.unique(['invoice_id', 'position']);
  });

  await knex.schema.createTable('payments', (t) => {
    t.text('id').primary();
    t.text('team_id').notNullable().references('teams.id');
    t.text('invoice_id').references('invoices.id');
    t.text('idempotency_key').notNullable().unique();
    t.text('provider').notNullable();
    t.text('provider_payment_id').notNullable();
    t.bigInteger('amount').notNullable();
    // succeeded | refunded
    t.text('status').notNullable();
    t.bigInteger('refunded_amount').notNullable().defaultTo(0);
    t.timestamp('paid_at', { useTz: true }).notNullable();
    t.timestamps(true, true);
    t.unique(['provider', 'provider_payment_id']);
  });

  // Refunds kept for the team (member removals), and their use: the team balance is the sum.
  await knex.schema.createTable('balance_transactions', (t) => {
    t.bigIncrements('id');
    t.text('team_id').notNullable().references('teams.id');
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('amount').notNullable();
    t.text('reason').notNullable();
    t.text('invoice_id').references('invoices.id');
    t.date('on').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'on']);
  });

  // Referral credits: a grant belongs to a user until contributed to a team.
  await knex.schema.createTable('credit_grants', (t) => {
    t.text('id').primary();
    t.text('user_id');
    t.text('team_id').references('teams.id');
    t.text('idempotency_key').notNullable().unique();
    t.text('source').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('remaining').notNullable();
    t.timestamp('acquired_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamps(true, true);
    t.index(['team_id', 'expires_at']);
    t.index(['user_id', 'expires_at']);
  });
  await knex.raw('ALTER TABLE credit_grants ADD CONSTRAINT credit_grants_remaining_in_range CHECK (remaining >= 0 AND remaining <= amount)');

  // acquired | contributed | used | expired: the history the API lists.
  await knex.schema.createTable('credit_transactions', (t) => {
    t.bigIncrements('id');
    t.text('grant_id').notNullable().references('credit_grants.id');
    t.text('idempotency_key').notNullable().unique();
    t.text('kind').notNullable();
    t.text('user_id');
    t.text('team_id');
    t.text('invoice_id').references('invoices.id');
    t.bigInteger('amount').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
  });

  // In-product messages, an outbox the API lists.
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id');
    t.text('team_id').notNullable().references('teams.id');
    t.text('idempotency_key').notNullable().unique();
    t.text('kind').notNullable();
    t.date('on').notNullable();
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'on']);
  });

  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.text('team_id');
    t.text('idempotency_key').notNullable().unique();
    t.text('kind').notNullable();
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.text('workflow_id');
    t.text('run_id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'at']);
  });

  // The sandbox payment provider's own record of the charges it accepted, so it remembers them across restarts.
  await knex.schema.createTable('sandbox_charges', (t) => {
    t.text('id').primary();
    t.text('idempotency_key').notNullable().unique();
    t.text('payment_method').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('refunded_amount').notNullable().defaultTo(0);
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'sandbox_charges',
    'audit_events',
    'notifications',
    'credit_transactions',
    'credit_grants',
    'balance_transactions',
    'payments',
    'invoice_lines',
    'invoices',
    'teams',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
