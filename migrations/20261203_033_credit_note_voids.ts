import type { Knex } from 'knex';

/**
 * A credit note can be void: a removed member's refund credited to the balance for an immediate plan change that the
 * provider then refused goes back out of the balance, and its credit notes gave nothing back. They keep their
 * numbers (a number is never reused, section 13) and are marked void on the day of the reversal; what an invoice
 * has been credited counts issued notes only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credit_notes', (t) => {
    t.text('status').notNullable().defaultTo('issued');
    t.date('voided_on');
  });
  await knex.raw(`ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_status CHECK (
    (status = 'issued' AND voided_on IS NULL) OR (status = 'void' AND voided_on IS NOT NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE credit_notes DROP CONSTRAINT credit_notes_status');
  await knex.schema.alterTable('credit_notes', (t) => {
    t.dropColumn('voided_on');
    t.dropColumn('status');
  });
}
