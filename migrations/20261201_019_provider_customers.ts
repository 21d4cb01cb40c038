import type { Knex } from 'knex';

/**
 * The provider's customer of each team and API-credit account, created once and kept here: the provider remembers
 * an idempotency key for a day only, so "one customer per team" rests on this row, not on a key. A payment method
 * or customer ID a caller sends is checked against it before use.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('provider_customers', (t) => {
    // `team` or `api_credit_account`; no foreign key, like team_members: an account exists from its first purchase.
    t.text('owner_kind').notNullable();
    t.text('owner_id').notNullable();
    t.text('provider').notNullable();
    t.text('customer_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One customer per owner and provider. (No unique customer_id: stripe-mock answers every create with one id.)
    t.primary(['owner_kind', 'owner_id', 'provider']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('provider_customers');
}
