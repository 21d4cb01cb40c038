import type { Knex } from 'knex';

/**
 * Invoice first with Stripe (issue 6): our open invoice is also a Stripe invoice collected by `send_invoice`. Its id
 * is kept on ours, so a retried send finds it, the `invoice.paid` webhook is matched to it, and a void reaches it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    // Indexed, not unique: our invoice is the record; a provider's id is looked up, never trusted as a key.
    t.text('provider_invoice_id').index();
    // Where the customer sees and pays it (Stripe's hosted invoice page).
    t.text('provider_invoice_url');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('provider_invoice_url');
    t.dropIndex(['provider_invoice_id']);
    t.dropColumn('provider_invoice_id');
  });
}
