import type { Knex } from 'knex';

/**
 * The team's subscription as its workflow last published it (a read model). Reads that the SaaS makes on every one
 * of its requests (entitlements, the subscription) come from here, one indexed row, instead of a workflow query
 * that travels through the Temporal server to a worker. The workflow writes it after every change, before its
 * update returns, so a caller reads its own writes. `version` only grows: a late write of an older view is ignored.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subscription_views', (t) => {
    // Like team_members, no foreign key to the ledger's teams: the workflow must never block on a missing row.
    t.text('team_id').primary();
    t.bigInteger('version').notNullable();
    // The business calendar's offset from real time (0 in production; simulations shift it).
    t.bigInteger('clock_offset_ms').notNullable().defaultTo(0);
    t.jsonb('view').notNullable();
    t.timestamp('published_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('subscription_views');
}
