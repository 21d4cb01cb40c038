import type { Knex } from 'knex';

/**
 * Telling the SaaS and its people (issue 12).
 * - webhook_endpoints: where the platform wants events, which types, and the secret that signs them.
 * - webhook_events: the outbox. Written in the same transaction as the ledger fact it describes, once per business
 *   key; the fan-out to subscribed endpoints (webhook_deliveries) is written in that transaction too.
 * - webhook_deliveries: one event to one endpoint. Per endpoint, deliveries go out in id order (the queue).
 * - webhook_attempts: every HTTP attempt, with status code and latency; (delivery, attempt number) is its key.
 * - notification_emails: which notifications still have emails to send (the email outbox), and email_messages:
 *   one message per notification and recipient, so a retried send mails nobody twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.text('id').primary();
    t.text('url').notNullable();
    // ['*'] for every type.
    t.jsonb('event_types').notNullable();
    t.text('secret').notNullable();
    t.text('description');
    // Told when a delivery to this endpoint fails for good.
    t.text('alert_email');
    // active | disabled
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('webhook_events', (t) => {
    t.text('id').primary();
    // The order events were recorded in (several share a transaction, hence a created_at).
    t.bigIncrements('seq', { primaryKey: false });
    t.text('idempotency_key').notNullable().unique();
    t.text('type').notNullable();
    t.text('api_version').notNullable();
    t.text('team_id');
    t.text('organization_id');
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['team_id', 'created_at']);
    t.index(['type', 'created_at']);
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.text('endpoint_id').notNullable().references('webhook_endpoints.id');
    t.text('event_id').notNullable().references('webhook_events.id');
    // `<event>:<endpoint>` for the fan-out; `<event>:<endpoint>:redelivery:<n>` for one asked through the API.
    t.text('idempotency_key').notNullable().unique();
    // pending | delivered | failed
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['event_id']);
  });
  // The relay's question, "the oldest pending delivery of each endpoint", reads only pending rows.
  await knex.raw("CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint_id, id) WHERE status = 'pending'");

  await knex.schema.createTable('webhook_attempts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('delivery_id').notNullable().references('webhook_deliveries.id');
    t.integer('attempt').notNullable();
    t.boolean('succeeded').notNullable();
    t.integer('status_code');
    // timeout | connection error text; null when the endpoint answered.
    t.text('error');
    t.integer('latency_ms').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.unique(['delivery_id', 'attempt']);
  });

  await knex.schema.createTable('notification_emails', (t) => {
    t.bigInteger('notification_id').primary().references('notifications.id');
    // False until its email workflow has been started.
    t.boolean('dispatched').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX notification_emails_undispatched ON notification_emails (notification_id) WHERE NOT dispatched');

  await knex.schema.createTable('email_messages', (t) => {
    t.bigIncrements('id');
    // `notification:<id>:<recipient>`, or `webhook-delivery:<id>:failed:<recipient>`.
    t.text('idempotency_key').notNullable().unique();
    t.text('recipient').notNullable();
    t.text('template').notNullable();
    t.text('subject').notNullable();
    // pending | sent
    t.text('status').notNullable().defaultTo('pending');
    t.text('message_id').notNullable();
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['email_messages', 'notification_emails', 'webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints']) {
    await knex.schema.dropTableIfExists(table);
  }
}
