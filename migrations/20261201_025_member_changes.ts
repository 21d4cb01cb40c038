import type { Knex } from 'knex';

/**
 * A member being added or removed: claimed here by the request (its idempotent identity) before the team workflow is
 * updated, and released once the member list agrees. No transaction is held across the workflow update: a request
 * that died between the two finds its claim again on retry and completes, billed once and listed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('member_changes', (t) => {
    t.text('team_id').notNullable();
    t.text('user_id').notNullable().references('users.id');
    t.text('request_id').notNullable();
    t.text('change').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['team_id', 'user_id']);
  });
  await knex.raw("ALTER TABLE member_changes ADD CONSTRAINT member_changes_change CHECK (change IN ('add', 'remove'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('member_changes');
}
