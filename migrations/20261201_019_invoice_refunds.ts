import type { Knex } from 'knex';

/**
 * When an invoice was refunded (section 10), as a column: the refunded period ended that day, so the renewal sweep
 * no longer takes the invoice as the team's paid period. Refunds made before it went to the card alone: their
 * invoices are filled in from the payment's first refund, once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.timestamp('refunded_at', { useTz: true });
  });
  await knex.raw(`
    UPDATE invoices AS invoice
    SET refunded_at = first_refund.at
    FROM (
      SELECT payments.invoice_id, min(payment_refunds.refunded_at) AS at
      FROM payment_refunds JOIN payments ON payments.id = payment_refunds.payment_id
      WHERE payments.invoice_id IS NOT NULL
      GROUP BY payments.invoice_id
    ) AS first_refund
    WHERE invoice.id = first_refund.invoice_id
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('refunded_at');
  });
}
