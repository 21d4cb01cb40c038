import type { Knex } from 'knex';

/**
 * What the REST API keeps beside the ledger: who may call it (users, their hashed API tokens, organizations,
 * team roles), the idempotency keys of POST requests (24 hours), and the Stripe events already handled.
 * Team roles have no foreign key to `teams`: the ledger row is the workflow's to write, and it may lag the API.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('users', (t) => {
    t.text('id').primary();
    t.text('email').notNullable().unique();
    t.text('name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // Only the sha256 of a token is kept: a leaked table does not leak a usable token.
  await knex.schema.createTable('api_tokens', (t) => {
    t.text('id').primary();
    t.text('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
  });

  // One team role per user: owner | admin | member | visitor. Billing managers are apart (section 11):
  // they are not members, and a member may also be one.
  await knex.schema.createTable('team_members', (t) => {
    t.text('team_id').notNullable();
    t.text('user_id').notNullable().references('users.id');
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['team_id', 'user_id']);
  });
  await knex.raw("ALTER TABLE team_members ADD CONSTRAINT team_members_role CHECK (role IN ('owner', 'admin', 'member', 'visitor'))");

  await knex.schema.createTable('team_billing_managers', (t) => {
    t.text('team_id').notNullable();
    t.text('user_id').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['team_id', 'user_id']);
  });

  // A POST's key, scoped by caller. `status` is null while the first request is still running.
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.integer('status');
    t.jsonb('response');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['scope', 'key']);
    t.index(['expires_at']);
  });

  await knex.schema.createTable('stripe_events', (t) => {
    t.text('id').primary();
    t.text('type').notNullable();
    t.text('team_id');
    // signaled | ignored: what the engine did with it.
    t.text('outcome').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['stripe_events', 'idempotency_keys', 'team_billing_managers', 'team_members', 'api_tokens', 'users', 'organizations']) {
    await knex.schema.dropTableIfExists(table);
  }
}
