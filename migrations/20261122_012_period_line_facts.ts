import type { Knex } from 'knex';

// The wording of describePeriodCharge until now, frozen here: 'Basic, monthly, 10 members, May 25 – Jun 25'. The
// paid plans' names are their IDs capitalized; Free never has a period line.
const PERIOD_LINE_WORDING = '^(Basic|Professional|Enterprise), (monthly|annual), (\\d+) members?, ';

/**
 * What a period line bills, as columns: its plan and interval (members are its `quantity`). The renewal sweep reads
 * them instead of parsing the line's text, so the wording a customer reads can change freely. Lines written before
 * are filled in from their text here, once: the last time that wording is parsed. A line whose text does not read
 * stays without them, and the sweep reports its team as unreadable.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoice_lines', (t) => {
    t.text('plan');
    t.text('interval');
  });
  await knex.raw(`
    UPDATE invoice_lines AS line
    SET plan = lower(parsed.m[1]),
        "interval" = CASE parsed.m[2] WHEN 'annual' THEN 'year' ELSE 'month' END,
        quantity = coalesce(line.quantity, parsed.m[3]::integer)
    FROM (
      SELECT id, regexp_match(description, ?) AS m
      FROM invoice_lines
      WHERE kind = 'period' AND plan IS NULL
    ) AS parsed
    WHERE line.id = parsed.id AND parsed.m IS NOT NULL
  `, [PERIOD_LINE_WORDING]);
}

export async function down(knex: Knex): Promise<void> {
  // The quantities filled in stay: the column was there before, and they are right.
  await knex.schema.alterTable('invoice_lines', (t) => {
    t.dropColumn('interval');
    t.dropColumn('plan');
  });
}
