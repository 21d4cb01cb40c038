import type { Knex } from 'knex';

/**
 * Prices that change (billing rules section 14):
 * - catalog_prices: each per-member price (plan × interval) as versions with a publication day, seeded with
 *   today's catalog as version 1; a new version is a new row, never an edit, so an audit can read what billed a line;
 * - coupons, promotion_codes (upper-case, with their limits and the count of redemptions, which never passes the
 *   maximum: a redemption takes the code's row lock and checks the count before it adds one) and redemptions;
 * - invoice_lines.price_version: the version a period line was priced at.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('catalog_prices', (t) => {
    t.text('plan').notNullable();
    t.text('interval').notNullable();
    t.integer('version').notNullable();
    t.bigInteger('amount').notNullable();
    t.date('published_on').notNullable();
    t.boolean('grandfathered').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['plan', 'interval', 'version']);
  });
  await knex.raw(`ALTER TABLE catalog_prices ADD CONSTRAINT catalog_prices_valid CHECK (
    plan IN ('basic', 'professional') AND "interval" IN ('month', 'year') AND version >= 1 AND amount >= 0)`);
  // Today's catalog (section 2), frozen here as it stood: a later catalog is a later version, never a new seed.
  await knex('catalog_prices').insert([
    ['basic', 'month', 1200], ['basic', 'year', 10800], ['professional', 'month', 2400], ['professional', 'year', 21600],
  ].map(([plan, interval, amount]) => ({ plan, interval, version: 1, amount, published_on: '2000-01-01', grandfathered: false })));

  await knex.schema.createTable('coupons', (t) => {
    t.text('id').primary();
    t.integer('percent_off');
    t.bigInteger('amount_off');
    t.text('duration').notNullable();
    t.integer('months');
    t.jsonb('plans'); // null: every plan
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE coupons ADD CONSTRAINT coupons_valid CHECK (
    (percent_off IS NULL) <> (amount_off IS NULL)
    AND (percent_off IS NULL OR percent_off BETWEEN 1 AND 100)
    AND (amount_off IS NULL OR amount_off >= 1)
    AND duration IN ('once', 'repeating', 'forever')
    AND ((duration = 'repeating') = (months IS NOT NULL))
    AND (months IS NULL OR months >= 1))`);

  await knex.schema.createTable('promotion_codes', (t) => {
    t.text('code').primary();
    t.text('coupon_id').notNullable().references('coupons.id');
    t.integer('max_redemptions');
    t.integer('redeemed').notNullable().defaultTo(0);
    t.date('expires_on');
    t.boolean('first_time_only').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE promotion_codes ADD CONSTRAINT promotion_codes_valid CHECK (
    code = upper(code) AND code <> '' AND redeemed >= 0
    AND (max_redemptions IS NULL OR (max_redemptions >= 1 AND redeemed <= max_redemptions)))`);

  await knex.schema.createTable('coupon_redemptions', (t) => {
    t.text('idempotency_key').primary(); // the team's redeem request: a retry finds its redemption, counted once
    t.text('team_id').notNullable().references('teams.id');
    t.text('code').notNullable().references('promotion_codes.code');
    t.text('coupon_id').notNullable().references('coupons.id');
    t.date('redeemed_on').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id']);
  });

  await knex.schema.alterTable('invoice_lines', (t) => {
    t.integer('price_version');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoice_lines', (t) => {
    t.dropColumn('price_version');
  });
  await knex.schema.dropTableIfExists('coupon_redemptions');
  await knex.schema.dropTableIfExists('promotion_codes');
  await knex.schema.dropTableIfExists('coupons');
  await knex.schema.dropTableIfExists('catalog_prices');
}
