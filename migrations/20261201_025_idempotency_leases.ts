import type { Knex } from 'knex';

/**
 * A request's claim on its Idempotency-Key is a lease: `lease_expires_at` is renewed while the request runs, and once
 * it has lapsed (the process died) a retry with the same request takes the key over (`holder` names who has it, so a
 * lapsed holder can no longer write). The key itself is still kept 24 hours (`expires_at`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.text('holder');
    t.timestamp('lease_expires_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('lease_expires_at');
    t.dropColumn('holder');
  });
}
