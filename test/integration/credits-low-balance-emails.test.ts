// Section 12's low-balance alert by email, on real servers (Temporal dev server, Postgres, an SMTP server): the
// account sets its threshold and recipients through the API; the usage that takes the balance below it mails the
// owner and each recipient once, with the figures; a replayed usage event, a relay run again and further usage below
// the threshold mail nothing more; a refill re-arms it, and the next crossing mails again.
import { randomUUID } from 'node:crypto';
import { relayOutbound, documentEmailsWorkflowId } from '../../src/activities/relay';
import { apiCredits } from '../../src/credits';
import { spelledDate } from '../../src/domain';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { decoded } from '../support/smtp-sink';
import { ApiHarness } from '../support/api-harness';
import { PUBLIC_URL as BASE, startEmailEnvironment, type EmailEnvironment } from '../support/document-emails';

let emails: EmailEnvironment;
let api: ApiHarness;

beforeAll(async () => {
  emails = await startEmailEnvironment();
  api = await ApiHarness.start();
}, 120_000);

afterAll(async () => {
  await api?.teardown();
  await emails?.close();
}, 60_000);

jest.setTimeout(90_000);

const settingsPath = (accountId: string) => `/v1/api-credits/${accountId}/low-balance`;
const messagesTo = (email: string) => emails.messagesTo(email, /^Subject: .*API credits down to/m);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000)); // a further email, if any, would arrive by now

/** An account (its owner's user id) holding 1000 cents of credit, bought through the API. */
async function accountWith1000(name: string) {
  const owner = await api.createUser(name);
  const bought = await api.call(api.actingFor(owner.id), 'post', `/v1/api-credits/${owner.id}/purchases`, { amount: 1000, paymentMethodId: 'pm_card_visa' }).expect(201);
  expect(bought.body).toMatchObject({ amount: 1000, balanceAfter: 1000 });
  const { email } = (await api.db('users').where({ id: owner.id }).first('email')) as { email: string };
  return { owner, email };
}

const use = (accountId: string, amount: number, key: string) => api.call(api.platform(), 'post', `/v1/api-credits/${accountId}/usage`, { amount }, key).expect(201);

test('a crossing mails the owner and the recipient once each, with the balance, the threshold and how to buy; replays and further usage mail nothing more', async () => {
  const { owner, email } = await accountWith1000('lb-owner');
  const finance = `finance-${randomUUID()}@example.com`;
  const set = await api.call(api.actingFor(owner.id), 'put', settingsPath(owner.id), { threshold: 500, recipients: [finance] }).expect(200);
  expect(set.body).toEqual({ accountId: owner.id, threshold: 500, recipients: [finance] });
  expect((await api.call(api.actingFor(owner.id), 'get', settingsPath(owner.id)).expect(200)).body).toEqual(set.body);

  // 1000 → 400: below 500.
  const usage = await use(owner.id, 600, `evt-${owner.id}-1`);
  expect(usage.body).toMatchObject({ balanceAfter: 400, replayed: false });
  const [toOwner, toFinance] = await api.eventually(async () => {
    const both = [messagesTo(email), messagesTo(finance)];
    return both.every((messages) => messages.length === 1) ? both.map((messages) => decoded(messages[0]!.raw)) : undefined;
  });
  for (const text of [toOwner!, toFinance!]) {
    expect(text).toMatch(/^Subject: lb-owner: API credits down to \$4\.00, below \$5\.00/m);
    expect(text).toContain(`On ${spelledDate(usage.body.at as string)} the API-credit balance of lb-owner fell to $4.00, below its low-balance threshold of $5.00.`);
    expect(text).toContain(`POST ${BASE}/v1/api-credits/${owner.id}/purchases with the amount in cents and a payment method.`);
  }

  // The same usage event again: through the API (its Idempotency-Key), and to the ledger itself (its usage key).
  expect((await use(owner.id, 600, `evt-${owner.id}-1`)).body).toMatchObject({ balanceAfter: 400 });
  const credits = apiCredits({ db: api.db, payments: createSandboxProvider({ db: api.db }) });
  await expect(credits.consume({ accountId: owner.id, idempotencyKey: `evt-${owner.id}-1`, amount: 600 })).resolves.toMatchObject({ balanceAfter: 400, replayed: true });
  // And the relay run again over the alert's email: its workflow and its messages are each once.
  const emailKey = `${owner.id}:low_balance:1:email`;
  const { taskQueue } = await api.temporal.workflow.getHandle(documentEmailsWorkflowId(emailKey)).describe();
  await api.db('document_emails').where({ idempotency_key: emailKey }).update({ dispatched: false });
  await relayOutbound(api.db, { temporal: api.temporal, taskQueue });
  // Further usage below the threshold (400 → 300) is no new crossing.
  expect((await use(owner.id, 100, `evt-${owner.id}-2`)).body).toMatchObject({ balanceAfter: 300 });
  await settle();
  expect(messagesTo(email)).toHaveLength(1);
  expect(messagesTo(finance)).toHaveLength(1);
  expect(await api.db('document_emails').where('idempotency_key', 'like', `${owner.id}:%`).select('idempotency_key', 'team_id', 'kind', 'document_id')).toEqual([
    { idempotency_key: emailKey, team_id: null, kind: 'low_balance_alert', document_id: `${owner.id}:low_balance:1` },
  ]);
  expect(await api.db('email_messages').whereIn('recipient', [email, finance]).orderBy('recipient').select('recipient', 'template', 'status')).toEqual(
    [email, finance].sort().map((recipient) => ({ recipient, template: 'low_balance_alert', status: 'sent' })),
  );

  // A refill back above the threshold (300 → 1300) re-arms it; the next fall below (1300 → 450) mails both again.
  await api.call(api.actingFor(owner.id), 'post', `/v1/api-credits/${owner.id}/purchases`, { amount: 1000, paymentMethodId: 'pm_card_visa' }).expect(201);
  expect((await use(owner.id, 850, `evt-${owner.id}-3`)).body).toMatchObject({ balanceAfter: 450 });
  await api.eventually(async () => (messagesTo(email).length === 2 && messagesTo(finance).length === 2 ? true : undefined));
  expect(decoded(messagesTo(finance)[1]!.raw)).toContain('fell to $4.50, below its low-balance threshold of $5.00.');
  await settle();
  expect([messagesTo(email).length, messagesTo(finance).length]).toEqual([2, 2]);
});

test('with no recipients the owner alone is mailed, and an owner also listed is mailed once', async () => {
  const { owner, email } = await accountWith1000('lb-alone');
  await api.call(api.actingFor(owner.id), 'put', settingsPath(owner.id), { threshold: 500, recipients: [email.toUpperCase()] }).expect(200);
  await use(owner.id, 501, `evt-${owner.id}-1`); // 1000 → 499
  await api.eventually(async () => (messagesTo(email).length === 1 ? true : undefined));
  await settle();
  expect(messagesTo(email)).toHaveLength(1);
  expect(decoded(messagesTo(email)[0]!.raw)).toContain('fell to $4.99, below its low-balance threshold of $5.00.');
});

test('recipients are checked: a bad address is a 422 naming it, more than 10 a 422, duplicates kept once; only the account or the platform sets them', async () => {
  const { owner } = await accountWith1000('lb-checks');
  const put = (body: object, caller = api.actingFor(owner.id)) => api.call(caller, 'put', settingsPath(owner.id), body);

  const bad = await put({ threshold: 500, recipients: ['not-an-address', 'ok@example.com'] }).expect(422);
  expect(bad.type).toBe('application/problem+json');
  expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'body.recipients.0' })]);
  const second = await put({ threshold: 500, recipients: ['ok@example.com', 'a@b@example.com'] }).expect(422);
  expect(second.body.errors).toEqual([expect.objectContaining({ field: 'body.recipients.1' })]);
  const many = Array.from({ length: 11 }, (_, i) => `r${i}@example.com`);
  expect((await put({ threshold: 500, recipients: many }).expect(422)).body.errors).toEqual([expect.objectContaining({ field: 'body.recipients' })]);
  expect((await put({ threshold: 500, recipients: 'ok@example.com' }).expect(400)).body.errors).toEqual([expect.objectContaining({ field: 'body.recipients' })]);
  // Nothing refused changed the settings.
  expect((await api.call(api.actingFor(owner.id), 'get', settingsPath(owner.id)).expect(200)).body).toEqual({ accountId: owner.id, threshold: null, recipients: [] });

  // Ten distinct after trimming and lower-casing; the platform may set them too.
  const set = await put({ threshold: 700, recipients: [...many.slice(0, 10), ' R0@Example.com '] }, api.platform()).expect(200);
  expect(set.body).toEqual({ accountId: owner.id, threshold: 700, recipients: many.slice(0, 10) });

  const stranger = await api.createUser('lb-stranger');
  await put({ threshold: 1, recipients: [] }, api.actingFor(stranger.id)).expect(403);
  await api.call(api.actingFor(stranger.id), 'get', settingsPath(owner.id)).expect(403);

  // The OpenAPI document follows from the operations' declarations.
  type Json = { properties: Record<string, unknown> };
  type Declared = { requestBody?: { content: Record<string, { schema: Json }> }; responses: Record<string, { content?: Record<string, { schema: Json }> }> };
  const { paths } = (await api.call(api.platform(), 'get', '/openapi.json').expect(200)).body as { paths: Record<string, Record<'get' | 'put', Declared>> };
  const declared = paths['/v1/api-credits/{accountId}/low-balance']!;
  expect(Object.keys(declared.put.requestBody!.content['application/json']!.schema.properties).sort()).toEqual(['recipients', 'threshold']);
  expect(Object.keys(declared.put.responses)).toEqual(expect.arrayContaining(['200', '403', '422']));
  expect(Object.keys(declared.get.responses['200']!.content!['application/json']!.schema.properties).sort()).toEqual(['accountId', 'recipients', 'threshold']);
});
