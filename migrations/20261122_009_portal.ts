import type { Knex } from 'knex';

/**
 * Billing-portal sessions (issue 13). The URL handed to the customer carries a random link token; the page trades it,
 * once, for a random cookie secret. Only the sha256 of each is kept, so a leaked table opens no portal.
 * A session is for one team and one user, and ends an hour after it was made, whatever happens in between.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portal_sessions', (t) => {
    t.text('id').primary();
    // Like team_members, no foreign key to the ledger's teams.
    t.text('team_id').notNullable();
    t.text('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('link_hash').notNullable().unique();
    // Set when the link is used; the link cannot be used again.
    t.text('cookie_hash').unique();
    t.timestamp('exchanged_at', { useTz: true });
    // Where the page's "back" link goes: the SaaS's own page, given when the session was made.
    t.text('return_url');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('portal_sessions');
}
