import type { Knex } from 'knex';

/**
 * A requested invoice (section 7, invoice first) carries the buyer's purchase-order reference, when they gave one:
 * printed on its PDF and in its email (document_emails kind `invoice_request`, which needs no column of its own), so
 * their accounts payable can match it. Null for every other invoice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.text('purchase_order');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('purchase_order');
  });
}
