import type { Knex } from 'knex';

/**
 * What collecting and refunding need beside the ledger: the per-grant payment plan of an invoice, the refunds of a
 * payment, and the sandbox provider's memory of its refunds and of the declines a simulation asked for.
 */
const refundedTables = ['payments', 'sandbox_charges'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    // The credit uses planned beside credits_applied ([{ grantId, amount }]), soonest-expiring grant first.
    t.jsonb('planned_credit_uses').notNullable().defaultTo('[]');
    // The charge the plan is frozen for (`<key>:attempt:<n>`), so a retried collection charges the same amount.
    t.text('charge_key');
    // When it became paid, failed or void (the workflow's time, not the clock's).
    t.timestamp('closed_at', { useTz: true });
  });

  // payments.status is now succeeded | partially_refunded | refunded.
  await knex.schema.alterTable('payments', (t) => {
    // card | bank_transfer
    t.text('method').notNullable().defaultTo('card');
  });

  // Refunds of a payment, back to its payment method (section 10); the payment's refunded_amount is their sum.
  await knex.schema.createTable('payment_refunds', (t) => {
    t.text('id').primary();
    t.text('payment_id').notNullable().references('payments.id');
    t.text('idempotency_key').notNullable().unique();
    t.text('provider_refund_id').notNullable();
    t.bigInteger('amount').notNullable();
    t.timestamp('refunded_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE payment_refunds ADD CONSTRAINT payment_refunds_positive CHECK (amount > 0)');

  // A declined sandbox charge is remembered too, so a retry under its key is declined again, as Stripe does.
  await knex.schema.alterTable('sandbox_charges', (t) => {
    t.text('decline_code');
  });
  // Never more refunded than was paid, whichever side keeps the count.
  for (const table of refundedTables) {
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_refund_in_range CHECK (refunded_amount >= 0 AND refunded_amount <= amount)`);
  }

  await knex.schema.createTable('sandbox_refunds', (t) => {
    t.text('id').primary();
    t.text('charge_id').notNullable().references('sandbox_charges.id');
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('amount').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // "Decline the next N charges to this payment method": set by simulations, survives a restart.
  await knex.schema.createTable('sandbox_decline_rules', (t) => {
    t.text('payment_method').primary();
    t.integer('remaining').notNullable();
    t.text('decline_code').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE sandbox_decline_rules ADD CONSTRAINT sandbox_decline_rules_remaining CHECK (remaining >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sandbox_decline_rules');
  await knex.schema.dropTableIfExists('sandbox_refunds');
  for (const table of refundedTables) await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_refund_in_range`);
  await knex.schema.alterTable('sandbox_charges', (t) => t.dropColumn('decline_code'));
  await knex.schema.dropTableIfExists('payment_refunds');
  await knex.schema.alterTable('payments', (t) => t.dropColumn('method'));
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('closed_at');
    t.dropColumn('charge_key');
    t.dropColumn('planned_credit_uses');
  });
}
