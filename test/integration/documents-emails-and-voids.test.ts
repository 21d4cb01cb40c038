// Section 13 on real servers (Temporal dev server, Postgres, an SMTP server): a paid invoice's receipt email, with
// its figures and a link to its PDF that the API serves; once per invoice however often the payment is retried.
// And the platform voiding a paid invoice issued in error: a credit note (reason void) of what is left of it, the
// money back the way it was paid, the invoice void with its number, the period it started ended.
import { createBillingActivities, type BillingActivities } from '../../src/activities';
import { relayOutbound } from '../../src/activities/relay';
import { queueDocumentEmail } from '../../src/ledger/outbox/document-emails';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { teamWorkflowId } from '../../src/workflows/team-subscription-messages';
import { decoded } from '../support/smtp-sink';
import { fetchPdfLines, PUBLIC_URL as BASE, startEmailEnvironment, type EmailEnvironment } from '../support/document-emails';
import { ApiHarness, VISA } from '../support/api-harness';

let emails: EmailEnvironment;
let api: ApiHarness;
let billing: BillingActivities;

beforeAll(async () => {
  emails = await startEmailEnvironment();
  api = await ApiHarness.start();
  billing = createBillingActivities({ db: api.db, payments: { sandbox: createSandboxProvider({ db: api.db }) } });
}, 120_000);

afterAll(async () => {
  await api?.teardown();
  await emails?.close();
}, 60_000);

jest.setTimeout(90_000);

/**
 * X1 with one member: a consumer team in Germany (19%) subscribes to Basic monthly with 300 credits: line 1200,
 * tax round(1200 × 0.19) = 228, total 1428, paid by 300 credits and 1128 to the card.
 */
async function germanTeamSubscribed(name: string) {
  const owner = await api.createUser(name);
  const teamId = await api.createTeam(owner.id, { billingCountry: 'DE' });
  await billing.grantTeamCredits({ key: `${teamId}:credits`, teamId, amount: 300, acquiredAt: new Date().toISOString(), source: 'referral' });
  const key = `subscribe-${teamId}`;
  const paid = await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }, key).expect(200);
  expect(paid.body).toMatchObject({ status: 'paid', net: 1200, tax: 228, total: 1428, balanceApplied: 0, creditsApplied: 300, charged: 1128 });
  const email = ((await api.db('users').where({ id: owner.id }).first('email')) as { email: string }).email;
  return { owner, teamId, email, key, invoice: paid.body as { invoiceId: string; number: string } };
}

const messagesTo = (email: string, subject: RegExp) => emails.messagesTo(email, subject);

test('the paid invoice\'s receipt: its number, net, tax, total, how it was paid, and a link to its PDF served by the API', async () => {
  const { owner, teamId, email, invoice } = await germanTeamSubscribed('receipt-owner');
  const message = await api.eventually(async () => messagesTo(email, /^Subject: .*receipt for invoice/m)[0]);
  const text = decoded(message.raw);
  expect(text).toMatch(new RegExp(`^Subject: Acme: receipt for invoice ${invoice.number} \\(\\$14\\.28\\)`, 'm'));
  expect(text).toContain(`Invoice ${invoice.number} of `);
  expect(text).toContain('Net $12.00, tax $2.28, total $14.28.');
  expect(text).toContain('Paid $3.00 with credits and $11.28 by card.');
  const link = new RegExp(`${BASE}/v1/teams/[\\w-]+/invoices/[\\w-]+/pdf`).exec(text)?.[0];
  expect(link).toBe(`${BASE}/v1/teams/${teamId}/invoices/${invoice.invoiceId}/pdf`);

  const pdf = await fetchPdfLines(api, link!, owner.token);
  for (const field of ['Invoice', `Number ${invoice.number}`, 'Status Paid', 'VAT 19% (DE)', '$12.00', '$2.28', '$14.28', 'Paid with credits', '$3.00', 'Charged to card', '$11.28']) {
    expect(pdf).toContain(field);
  }
  // Only those who may see the team's billing get it.
  const stranger = await api.createUser('stranger');
  await api.call(api.withToken(stranger.token), 'get', new URL(link!).pathname).expect(403);
});

test('a retried payment sends one receipt: the same request again, the collection again, and the relay again', async () => {
  const { owner, teamId, email, key, invoice } = await germanTeamSubscribed('retry-owner');
  await api.eventually(async () => messagesTo(email, /receipt for invoice/)[0]);

  // The same request (same Idempotency-Key), the same collection retried, and the relay run again over the outbox.
  const again = await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }, key).expect(200);
  expect(again.body.invoiceId).toBe(invoice.invoiceId);
  await billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: VISA, at: new Date().toISOString() });
  const { taskQueue } = await api.temporal.workflow.getHandle(teamWorkflowId(teamId)).describe();
  await api.db('document_emails').where({ team_id: teamId }).update({ dispatched: false });
  await relayOutbound(api.db, { temporal: api.temporal, taskQueue });
  await api.eventually(async () => ((await api.db('document_emails').where({ team_id: teamId, dispatched: false }).first('id')) ? undefined : true));
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // a second email, if any, would arrive by now

  expect(await api.db('document_emails').where({ team_id: teamId }).select('kind', 'document_id')).toEqual([{ kind: 'invoice_receipt', document_id: invoice.invoiceId }]);
  expect(await api.db('email_messages').where({ recipient: email }).select('template', 'status')).toEqual([{ template: 'invoice_receipt', status: 'sent' }]);
  expect(messagesTo(email, /receipt for invoice/)).toHaveLength(1);
});

test('the platform voids a paid invoice: a void credit note of all of it, 1128 back to the card and 300 to the credits, Free from today; a second void is refused', async () => {
  const { owner, teamId, email, invoice } = await germanTeamSubscribed('void-owner');
  const path = `/v1/teams/${teamId}/invoices/${invoice.invoiceId}/void`;
  await api.call(api.actingFor(owner.id), 'post', path).expect(403); // the platform's alone

  const voided = await api.call(api.platform(), 'post', path).expect(201);
  expect(voided.body).toMatchObject({ invoiceId: invoice.invoiceId, amount: 1128, balanceReturned: 0, creditsReturned: 300, restricted: false });
  expect(voided.body.periodEndedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  const stored = await api.db('invoices').where({ id: invoice.invoiceId }).first('status', 'number');
  expect(stored).toEqual({ status: 'void', number: invoice.number }); // it keeps its number
  const notes = await api.db('credit_notes').where({ invoice_id: invoice.invoiceId }).select('number', 'reason', 'to', 'net', 'tax', 'total', 'tax_rate_bp');
  expect(notes).toEqual([{ number: expect.stringMatching(/^CN-\d{4}-\d{6}$/), reason: 'void', to: 'card', net: -1200, tax: -228, total: -1428, tax_rate_bp: 1900 }]);
  const payment = await api.db('payments').where({ invoice_id: invoice.invoiceId }).first('amount', 'refunded_amount', 'status');
  expect(payment).toEqual({ amount: 1128, refunded_amount: 1128, status: 'refunded' });
  const grant = await api.db('credit_grants').where({ team_id: teamId }).first('amount', 'remaining');
  expect(grant).toEqual({ amount: 300, remaining: 300 });
  expect((await api.state(teamId)).plan).toBe('free'); // not served a period nobody paid for

  // The platform hears of both facts; the credit note to the card is mailed with its PDF.
  const events = await api.eventually(async () => {
    const rows = (await api.db('webhook_events').where({ team_id: teamId }).whereIn('type', ['credit_note.created', 'invoice.voided']).select('type', 'data')) as { type: string; data: Record<string, unknown> }[];
    return rows.length === 2 ? rows : undefined;
  });
  expect(events.find((e) => e.type === 'credit_note.created')?.data).toMatchObject({ invoiceId: invoice.invoiceId, reason: 'void', net: -1200, tax: -228, total: -1428 });
  expect(events.find((e) => e.type === 'invoice.voided')?.data).toMatchObject({ invoiceId: invoice.invoiceId, number: invoice.number, status: 'void' });
  const message = await api.eventually(async () => messagesTo(email, /^Subject: .*credit note/m)[0]);
  const text = decoded(message.raw);
  expect(text).toContain(`for invoice ${invoice.number}`);
  expect(text).toContain('Net $12.00, tax $2.28, total $14.28.');
  expect(text).toContain('Given back $3.00 to the credits it was paid with and $11.28 to the card.');
  const link = new RegExp(`${BASE}/v1/teams/[\\w-]+/credit-notes/[\\w-]+/pdf`).exec(text)?.[0];
  const pdf = await fetchPdfLines(api, link!, owner.token);
  for (const field of ['Credit note', `Number ${notes[0]!.number}`, `Corrects invoice ${invoice.number}`, 'Reason Voided invoice', '-$14.28']) expect(pdf).toContain(field);

  // Again, under another key: the invoice is void already.
  const again = await api.call(api.platform(), 'post', path).expect(409);
  expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(again.body).toMatchObject({ status: 409, code: 'already_void' });
  expect(await api.db('credit_notes').where({ invoice_id: invoice.invoiceId }).select('id')).toHaveLength(1);
});

test('a void is refused for an invoice not paid (409), fully credited (409) or unknown (404)', async () => {
  const { teamId } = await germanTeamSubscribed('void-refusals');
  const open = await billing.issueInvoice({
    key: `${teamId}:manual:open`, teamId, reason: 'renewal', issuedOn: '2026-12-02', lines: [{ kind: 'period', description: 'Basic', amount: 1200 }],
    workflowId: 'w', runId: 'r', at: '2026-12-02T08:00:00Z',
  });
  const notPaid = await api.call(api.platform(), 'post', `/v1/teams/${teamId}/invoices/${open.invoiceId}/void`).expect(409);
  expect(notPaid.body).toMatchObject({ code: 'invoice_not_paid' });

  const paid = await billing.issueInvoice({
    key: `${teamId}:manual:paid`, teamId, reason: 'renewal', issuedOn: '2026-12-02', lines: [{ kind: 'period', description: 'Basic', amount: 1200 }],
    workflowId: 'w', runId: 'r', at: '2026-12-02T08:00:00Z',
  });
  const settled = await billing.collectInvoice({ invoiceId: paid.invoiceId, attempt: 1, paymentMethod: VISA, at: '2026-12-02T08:00:01Z' });
  await billing.refundPayment({ key: `${teamId}:manual:paid:refund`, paymentId: settled.paymentId!, at: '2026-12-02T09:00:00Z' });
  const credited = await api.call(api.platform(), 'post', `/v1/teams/${teamId}/invoices/${paid.invoiceId}/void`).expect(409);
  expect(credited.body).toMatchObject({ code: 'fully_credited' });

  const unknown = await api.call(api.platform(), 'post', `/v1/teams/${teamId}/invoices/in_unknown/void`).expect(404);
  expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'path.invoiceId' })]);
});

test('a team with nobody to tell queues no document email, so no email workflow starts for it', async () => {
  const owner = await api.createUser('lonely-owner');
  const teamId = await api.createTeam(owner.id);
  const email = { key: `${teamId}:probe:receipt`, teamId, kind: 'invoice_receipt' as const, documentId: 'inv_probe' };
  const queued = () => api.db('document_emails').where({ idempotency_key: email.key }).count<{ count: string }[]>('* as count');
  await api.db('team_members').where({ team_id: teamId }).delete();
  await queueDocumentEmail(api.db, email);
  expect(Number((await queued())[0]!.count)).toBe(0);
  await api.db('team_members').insert({ team_id: teamId, user_id: owner.id, role: 'owner' });
  await queueDocumentEmail(api.db, email);
  await queueDocumentEmail(api.db, email); // a retried payment queues it once
  expect(Number((await queued())[0]!.count)).toBe(1);
});
