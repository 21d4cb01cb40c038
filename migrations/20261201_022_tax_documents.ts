import type { Knex } from 'knex';

/**
 * Invoices a finance team accepts (billing rules section 13):
 * - a team's billing details: legal name, address and tax ID beside its billing country;
 * - each invoice's number, one tax line (rate, treatment) and the parties as they stood when it was
 *   issued; its total is Σ lines + tax (net = total − tax), and the balance, credits and card pay the total;
 * - credit notes (negative lines, their own tax line, the invoice they correct, where the money went);
 * - gapless per-year sequences: one counter row per series and year, advanced inside the transaction that issues
 *   the document, so a rolled-back issue gives its number back and two issues never share one.
 * Invoices written before are numbered here, in the order they were issued, and the counters continue after them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('teams', (t) => {
    t.text('legal_name');
    t.text('address');
    // Stored only once it passed validation (format and checksum, and the online check when one is plugged in).
    t.text('tax_id');
  });

  await knex.schema.createTable('document_sequences', (t) => {
    t.text('series').notNullable(); // the prefix: INV, CN
    t.integer('year').notNullable();
    t.bigInteger('last_number').notNullable();
    t.primary(['series', 'year']);
  });

  await knex.schema.alterTable('invoices', (t) => {
    t.text('number').unique();
    t.bigInteger('tax').notNullable().defaultTo(0);
    t.integer('tax_rate_bp').notNullable().defaultTo(0); // 1900 = 19%
    t.text('tax_treatment').notNullable().defaultTo('untaxed'); // standard | reverse_charge | untaxed
    t.text('tax_country');
    t.jsonb('seller');
    t.jsonb('buyer');
  });
  // net = Σ lines, the total before tax: derived, so no writer can make the three disagree.
  await knex.raw('ALTER TABLE invoices ADD COLUMN net bigint GENERATED ALWAYS AS (total - tax) STORED');
  await knex.raw(`
    UPDATE invoices AS i SET number = 'INV-' || n.year || '-' || lpad(n.seq::text, 6, '0')
    FROM (
      SELECT id, extract(year FROM issued_on)::int AS year,
             row_number() OVER (PARTITION BY extract(year FROM issued_on) ORDER BY issued_on, created_at, id) AS seq
      FROM invoices
    ) AS n
    WHERE i.id = n.id
  `);
  await knex.raw(`
    INSERT INTO document_sequences (series, year, last_number)
    SELECT 'INV', extract(year FROM issued_on)::int, count(*) FROM invoices GROUP BY 1, 2
  `);
  await knex.raw('ALTER TABLE invoices ALTER COLUMN number SET NOT NULL');

  await knex.schema.createTable('credit_notes', (t) => {
    t.text('id').primary();
    t.text('team_id').notNullable().references('teams.id');
    t.text('invoice_id').notNullable().references('invoices.id');
    t.text('idempotency_key').notNullable().unique();
    t.text('number').notNullable().unique();
    // refund | member_removed | void
    t.text('reason').notNullable();
    // card | balance: where the money given back went (a refund's balance and credits parts go back to their own sources)
    t.text('to').notNullable();
    t.text('currency').notNullable().defaultTo('usd');
    t.date('issued_on').notNullable();
    t.bigInteger('net').notNullable();
    t.bigInteger('tax').notNullable();
    t.bigInteger('total').notNullable();
    t.integer('tax_rate_bp').notNullable();
    t.text('tax_treatment').notNullable();
    t.text('tax_country');
    t.jsonb('seller');
    t.jsonb('buyer');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'issued_on']);
    t.index(['invoice_id']);
  });
  await knex.raw('ALTER TABLE credit_notes ADD CONSTRAINT credit_notes_give_back CHECK (net <= 0 AND tax <= 0 AND total = net + tax)');

  await knex.schema.createTable('credit_note_lines', (t) => {
    t.bigIncrements('id');
    t.text('credit_note_id').notNullable().references('credit_notes.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('kind').notNullable();
    t.text('description').notNullable();
    t.bigInteger('amount').notNullable();
    t.unique(['credit_note_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('credit_note_lines');
  await knex.schema.dropTable('credit_notes');
  await knex.schema.alterTable('invoices', (t) => {
    for (const column of ['number', 'net', 'tax', 'tax_rate_bp', 'tax_treatment', 'tax_country', 'seller', 'buyer']) t.dropColumn(column);
  });
  await knex.schema.dropTable('document_sequences');
  await knex.schema.alterTable('teams', (t) => {
    t.dropColumn('legal_name');
    t.dropColumn('address');
    t.dropColumn('tax_id');
  });
}
