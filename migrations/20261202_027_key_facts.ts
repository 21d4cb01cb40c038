import type { Knex } from 'knex';

/**
 * Facts that were read back out of idempotency keys become columns (keys name an event; they are not a record of it;
 * the plan a plan change moves to is read from its period line's plan and interval, 20261122_012):
 * - invoices.charge_attempt: the collection attempt of the charge under charge_key (`…:attempt:<n>`); null when the
 *   invoice was paid outside a collection (`…:external:<ref>`) or never collected;
 * - audit_events.on: the business day of the change (the day in its key `<team>:<day>:<kind>:<n>`), else the day
 *   it was recorded.
 * Each is backfilled from the keys the rows were written under, once, here.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.integer('charge_attempt');
  });
  await knex.raw(`UPDATE invoices SET charge_attempt = substring(charge_key from ':attempt:(\\d+)$')::integer WHERE charge_key ~ ':attempt:\\d+$'`);
  await knex.raw('ALTER TABLE invoices ADD CONSTRAINT invoices_charge_attempt_valid CHECK (charge_attempt IS NULL OR charge_attempt >= 1)');

  await knex.schema.alterTable('audit_events', (t) => {
    t.date('on');
  });
  await knex.raw(`UPDATE audit_events SET "on" = coalesce(
      substring(idempotency_key from ':(\\d{4}-\\d{2}-\\d{2}):[^:]+:\\d+$')::date, (at AT TIME ZONE 'UTC')::date)`);
  await knex.raw('ALTER TABLE audit_events ALTER COLUMN "on" SET NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropColumn('on');
  });
  await knex.raw('ALTER TABLE invoices DROP CONSTRAINT invoices_charge_attempt_valid');
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('charge_attempt');
  });
}
