import type { Knex } from 'knex';

/**
 * document_emails: the outbox of emails that carry a document (section 13): the receipt of a paid invoice, and the
 * credit note of money given back to the card. Written in the transaction that pays (or credits), under a key naming
 * that document's email, so a retried payment queues it once; the relay starts its email workflow after the commit.
 * Kept apart from notifications: they are not in-product notices (nor in the simulation report).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('document_emails', (t) => {
    t.bigIncrements('id');
    // `<invoice key>:receipt`, `<credit note key>:email`.
    t.text('idempotency_key').notNullable().unique();
    t.text('team_id').notNullable().references('teams.id');
    // invoice_receipt | credit_note
    t.text('kind').notNullable();
    t.text('document_id').notNullable();
    // False until its email workflow has been started.
    t.boolean('dispatched').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX document_emails_undispatched ON document_emails (id) WHERE NOT dispatched');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('document_emails');
}
