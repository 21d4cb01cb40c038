import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Knex } from 'knex';
import { createBillingActivities, type BillingActivities, type IssueInvoiceInput } from '../../src/activities';
import { webhookDeliveryWorkflowId } from '../../src/activities/relay';
import { firstDeliveryKey, recordWebhookEvent } from '../../src/ledger/outbox/webhook-events';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, SANDBOX_VISA, type TestDatabase } from '../support/database';
import { integrationEnv } from '../support/integration-env';

// The outbox on the billing day's path: an event and its deliveries are one statement, and the relay after a money
// write runs only when the write queued something (a delivery, an email) or found its fact written by an earlier
// attempt, whose relay may not have run. A renewal told to nobody costs no relay; one told to an endpoint is relayed.
let testDb: TestDatabase;
let connection: Connection;
let client: Client;
let billing: BillingActivities;
beforeAll(async () => {
  testDb = await createTestDatabase();
  connection = await Connection.connect({ address: integrationEnv().temporalAddress });
  client = new Client({ connection });
  billing = createBillingActivities({ db: testDb.db, payments: createSandboxProvider({ db: testDb.db }) });
});
afterAll(async () => {
  await connection?.close();
  await testDb?.drop();
});

/** Runs an activity as its worker would: in an activity context whose client the relay starts workflows with. */
const inActivity = <A extends unknown[], R>(activity: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
  new MockActivityEnvironment({ taskQueue: 'outbox-relay-test', workflowNamespace: 'default' }, { client }).run(activity, ...args) as Promise<R>;

/** How many times the relay ran: its first question, each endpoint's oldest pending delivery, seen among the queries. */
function relayRuns(db: Knex): { count: () => number; stop: () => void } {
  let runs = 0;
  const onQuery = (query: { sql: string }) => {
    if (query.sql.includes('distinct on ("endpoint_id")')) runs += 1;
  };
  db.on('query', onQuery);
  return { count: () => runs, stop: () => db.off('query', onQuery) };
}

const endpoint = (id: string, eventTypes: string[], status = 'active') =>
  ({ id, url: `https://example.com/${id}`, secret: 'whsec_test', event_types: JSON.stringify(eventTypes), status });

function renewal(teamId: string): IssueInvoiceInput {
  return {
    key: `${teamId}:renewal:2026-06-20:n3`, teamId, reason: 'renewal', issuedOn: '2026-06-20', periodStart: '2026-06-20', periodEnd: '2026-07-20',
    lines: [{ kind: 'period', description: 'Basic monthly × 3 members', amount: 3600, quantity: 3 }],
    workflowId: `team:${teamId}`, runId: 'run-1', at: '2026-06-20T00:00:00Z',
  };
}

test('one statement records an event with a delivery to each active endpoint of its type or of *, once', async () => {
  const { db } = testDb;
  await db('webhook_endpoints').insert([
    endpoint('we_fan_all', ['*']), endpoint('we_fan_paid', ['invoice.paid', 'invoice.voided']), endpoint('we_fan_created', ['invoice.created']),
    endpoint('we_fan_off', ['*'], 'disabled'),
  ]);
  const event = { key: 'fan-1:invoice.paid', type: 'invoice.paid' as const, teamId: 'fan-1', occurredAt: '2026-06-20T00:00:05Z', data: { total: 3600 } };
  expect(await db.transaction((trx) => recordWebhookEvent(trx, event))).toBe(2);
  expect(await db.transaction((trx) => recordWebhookEvent(trx, event))).toBe(0); // the same key: recorded already

  const [row] = await db('webhook_events').where({ idempotency_key: event.key });
  expect(row).toMatchObject({ type: 'invoice.paid', team_id: 'fan-1', data: { total: 3600 }, occurred_at: new Date('2026-06-20T00:00:05Z') });
  expect(await db('webhook_deliveries').where({ event_id: row.id }).orderBy('endpoint_id').select('endpoint_id', 'idempotency_key', 'status')).toEqual([
    { endpoint_id: 'we_fan_all', idempotency_key: firstDeliveryKey(row.id, 'we_fan_all'), status: 'pending' },
    { endpoint_id: 'we_fan_paid', idempotency_key: firstDeliveryKey(row.id, 'we_fan_paid'), status: 'pending' },
  ]);
  await db('webhook_deliveries').whereIn('endpoint_id', ['we_fan_all', 'we_fan_paid']).delete();
  await db('webhook_endpoints').where('id', 'like', 'we_fan_%').delete();
});

test('a renewal told to nobody is issued and paid without a relay; the retry of each relays', async () => {
  const teamId = 'team-quiet'; // no endpoint, no admin or billing manager: nothing to deliver or email
  await billing.ensureTeam({ teamId, name: 'Quiet', billingCountry: 'US' });
  const relays = relayRuns(testDb.db);
  try {
    const issued = await inActivity(billing.issueInvoice, renewal(teamId));
    const collect = { invoiceId: issued.invoiceId, attempt: 1, paymentMethod: SANDBOX_VISA, at: '2026-06-20T00:00:05Z' };
    expect(await inActivity(billing.collectInvoice, collect)).toMatchObject({ status: 'paid', charged: 3600 });
    expect(relays.count()).toBe(0);
    // Its events are recorded all the same, for an endpoint registered later to list.
    expect(await testDb.db('webhook_events').where({ team_id: teamId }).orderBy('type').pluck('type')).toEqual(['invoice.created', 'invoice.finalized', 'invoice.paid']);

    // A retried activity finds its fact written: its first attempt may have failed before its relay, so it relays.
    await inActivity(billing.issueInvoice, renewal(teamId));
    expect(relays.count()).toBe(1);
    await inActivity(billing.collectInvoice, collect);
    expect(relays.count()).toBe(2);
  } finally {
    relays.stop();
  }
});

test('a change\'s audit row told to nobody is written without a relay; its retry relays', async () => {
  const teamId = 'team-quiet-change';
  await billing.ensureTeam({ teamId, name: 'Quiet change', billingCountry: 'US' });
  const audit = {
    key: `${teamId}:change:1`, teamId, kind: 'subscription_changed', payload: { cause: 'member_added' },
    workflowId: `team:${teamId}`, runId: 'run-1', at: '2026-06-21T10:00:00Z',
  };
  const relays = relayRuns(testDb.db);
  try {
    await inActivity(billing.recordAudit, audit);
    expect(relays.count()).toBe(0);
    await inActivity(billing.recordAudit, audit); // written by the first attempt, whose relay may not have run
    expect(relays.count()).toBe(1);
  } finally {
    relays.stop();
  }
});

test('a renewal whose invoice.created an endpoint takes is relayed: its delivery workflow starts', async () => {
  const teamId = 'team-told';
  await billing.ensureTeam({ teamId, name: 'Told', billingCountry: 'US' });
  await testDb.db('webhook_endpoints').insert(endpoint('we_relay', ['invoice.created']));
  const relays = relayRuns(testDb.db);
  try {
    await inActivity(billing.issueInvoice, renewal(teamId));
    expect(relays.count()).toBe(1);
  } finally {
    relays.stop();
  }
  const [created] = await testDb.db('webhook_events').where({ team_id: teamId, type: 'invoice.created' });
  const delivery = client.workflow.getHandle(webhookDeliveryWorkflowId(firstDeliveryKey(created.id, 'we_relay')));
  expect((await delivery.describe()).status.name).toBe('RUNNING'); // no worker polls this test's queue: it waits there
  await delivery.terminate('test over');
});
