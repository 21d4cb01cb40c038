// "Request an invoice" (sections 7 and 11) on real servers (Temporal dev server, Postgres, an SMTP server): a billing
// manager asks for an invoice for a yearly seat order and gets it open, with its number, total with tax and due day;
// the team's admins and billing managers are emailed it with how to pay and its PDF's link, once, however often the
// request is retried. Members and visitors are refused (403), bad input is a 400 naming the field.
import { relayOutbound } from '../../src/activities/relay';
import { teamWorkflowId } from '../../src/workflows/team-subscription-messages';
import { decoded } from '../support/smtp-sink';
import { fetchPdfLines, PUBLIC_URL as BASE, startEmailEnvironment, type EmailEnvironment } from '../support/document-emails';
import { ApiHarness } from '../support/api-harness';

let emails: EmailEnvironment;
let api: ApiHarness;

beforeAll(async () => {
  emails = await startEmailEnvironment();
  api = await ApiHarness.start({ env: { API_PUBLIC_URL: BASE } }); // the API's answers link the PDF too
}, 120_000);

afterAll(() => Promise.resolve(api?.teardown()).finally(() => emails?.close()), 60_000);
jest.setTimeout(90_000);

const emailOf = async (userId: string) => ((await api.db('users').where({ id: userId }).first('email')) as { email: string }).email;
const messagesTo = (email: string, subject: RegExp) => emails.messagesTo(email, subject);
/** `day` + `days`, as a person writes it ('January 1, 2027'). */
const spelledDayAfter = (day: string, days: number) => {
  const date = new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000);
  return { day: date.toISOString().slice(0, 10), spelled: date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }) };
};

/** A consumer team in Germany (VAT 19%) on Free: its owner, a member, a visitor and a billing manager. */
async function germanTeam(name: string) {
  const owner = await api.createUser(`${name}-owner`);
  const teamId = await api.createTeam(owner.id, { billingCountry: 'DE' });
  const join = async (role: 'member' | 'visitor') => {
    const user = await api.createUser(`${name}-${role}`);
    await api.call(api.withToken(owner.token), 'post', `/v1/teams/${teamId}/members`, { userId: user.id, role }).expect(201);
    return user;
  };
  const member = await join('member');
  const visitor = await join('visitor');
  const manager = await api.createUser(`${name}-billing`);
  await api.call(api.platform(), 'post', `/v1/teams/${teamId}/billing-managers`, { userId: manager.id }).expect(201);
  return { teamId, owner, member, visitor, manager };
}

test('a billing manager requests an invoice for 3 Basic seats: open, 32400 + 19% VAT 6156 = 38556, due in 30 days, emailed once with its PDF', async () => {
  const { teamId, owner, member, visitor, manager } = await germanTeam('request');
  const path = `/v1/teams/${teamId}/seat-orders/invoice-requests`;
  const request = { plan: 'basic', seats: 3, purchaseOrder: 'PO-2026-0042' };

  for (const refused of [member, visitor]) {
    const res = await api.call(api.withToken(refused.token), 'post', path, request).expect(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden', detail: expect.stringContaining('request_invoice') });
  }

  const key = `invoice-request-${teamId}`;
  const asManager = api.withToken(manager.token);
  const requested = await api.call(asManager, 'post', path, request, key).expect(201);
  const issuedOn = requested.body.invoice.issuedOn as string;
  const due = spelledDayAfter(issuedOn, 30);
  // Section 2: Basic seats 10800 a year each; section 13: one tax line, round(32400 × 0.19) = 6156.
  expect(requested.body).toEqual({
    status: 'awaiting_payment', plan: 'basic', seats: 3, startsOn: issuedOn,
    invoice: {
      invoiceId: expect.any(String), number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), status: 'open', issuedOn, dueOn: due.day,
      net: 32400, tax: 6156, total: 38556, amountDue: 38556, purchaseOrder: 'PO-2026-0042',
      pdfUrl: `${BASE}/v1/teams/${teamId}/invoices/${requested.body.invoice.invoiceId}/pdf`,
    },
  });
  const { invoiceId, number } = requested.body.invoice as { invoiceId: string; number: string };

  // Retried with the same Idempotency-Key: the same answer, one invoice.
  const again = await api.call(asManager, 'post', path, request, key).expect(201);
  expect(again.body).toEqual(requested.body);
  expect(await api.db('invoices').where({ team_id: teamId, reason: 'seat_order' }).select('id', 'status', 'due_on', 'total'))
    .toEqual([{ id: invoiceId, status: 'open', due_on: due.day, total: 38556 }]);

  // The owner and the billing manager get it (section 11: admins and billing managers), members and visitors do not.
  const [ownerEmail, managerEmail, memberEmail, visitorEmail] = (await Promise.all([owner, manager, member, visitor].map((u) => emailOf(u.id)))) as [string, string, string, string];
  const message = await api.eventually(async () => messagesTo(managerEmail, /^Subject: .*invoice INV-/m)[0]);
  await api.eventually(async () => messagesTo(ownerEmail, /^Subject: .*invoice INV-/m)[0]);
  const text = decoded(message.raw);
  expect(text).toMatch(new RegExp(`^Subject: Acme: invoice ${number} for \\$385\\.56, due ${due.spelled}`, 'm'));
  expect(text).toContain('net $324.00, tax $61.56, total $385.56.');
  expect(text).toContain('Your purchase order: PO-2026-0042.');
  expect(text).toContain(`Please pay $385.56 by ${due.spelled}: by bank transfer with ${number} as the payment reference, or by card.`);
  const link = new RegExp(`${BASE}/v1/teams/[\\w-]+/invoices/[\\w-]+/pdf`).exec(text)?.[0];
  expect(link).toBe(requested.body.invoice.pdfUrl);
  const pdf = await fetchPdfLines(api, link!, manager.token);
  for (const field of ['Invoice', `Number ${number}`, 'Status Payment due', `Due ${due.spelled}`, 'Purchase order PO-2026-0042', 'VAT 19% (DE)', '$324.00', '$61.56', '$385.56', 'Amount due']) expect(pdf).toContain(field);

  // The relay run again over the outbox sends nothing more: one queued email, one message per recipient.
  const { taskQueue } = await api.temporal.workflow.getHandle(teamWorkflowId(teamId)).describe();
  await api.db('document_emails').where({ team_id: teamId }).update({ dispatched: false });
  await relayOutbound(api.db, { temporal: api.temporal, taskQueue });
  await api.eventually(async () => ((await api.db('document_emails').where({ team_id: teamId, dispatched: false }).first('id')) ? undefined : true));
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // a second email, if any, would arrive by now
  expect(await api.db('document_emails').where({ team_id: teamId }).select('kind', 'document_id')).toEqual([{ kind: 'invoice_request', document_id: invoiceId }]);
  for (const email of [ownerEmail, managerEmail]) expect(messagesTo(email, /invoice INV-/)).toHaveLength(1);
  for (const email of [memberEmail, visitorEmail]) expect(messagesTo(email, /./)).toEqual([]);
});

test('bad input is a 400 naming the field; the platform may request; a second request while one awaits payment is a 409', async () => {
  const { teamId, owner } = await germanTeam('refusals');
  const path = `/v1/teams/${teamId}/seat-orders/invoice-requests`;
  const as = api.withToken(owner.token);
  for (const [body, field] of [
    [{ plan: 'basic', seats: 0 }, 'body.seats'],
    [{ plan: 'free', seats: 3 }, 'body.plan'],
    [{ plan: 'basic', seats: 3, dueDays: 91 }, 'body.dueDays'],
    [{ plan: 'basic', seats: 3, dueDays: 1.5 }, 'body.dueDays'],
    [{ seats: 3 }, 'body.plan'],
    [{ plan: 'basic', seats: 3, purchaseOrder: ' ' }, 'body.purchaseOrder'],
    [{ plan: 'basic', seats: 3, purchaseOrder: 'P'.repeat(101) }, 'body.purchaseOrder'],
  ] as const) {
    const res = await api.call(as, 'post', path, body).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  }
  await api.call(as, 'post', `/v1/teams/no-such-team/seat-orders/invoice-requests`, { plan: 'basic', seats: 3 }).expect(404);

  const requested = await api.call(api.platform(), 'post', path, { plan: 'professional', seats: 3, dueDays: 14 }).expect(201);
  // 21600 × 3 = 64800; round(64800 × 0.19) = 12312.
  expect(requested.body.invoice).toMatchObject({ net: 64800, tax: 12312, total: 77112, purchaseOrder: null, dueOn: spelledDayAfter(requested.body.invoice.issuedOn, 14).day });
  const second = await api.call(as, 'post', path, { plan: 'basic', seats: 3 }).expect(409);
  expect(second.body).toMatchObject({ code: 'order_pending' });
});

test('ordering seats invoice first through /seat-orders needs request_invoice too, and its invoice is emailed the same way', async () => {
  const { teamId, owner, member } = await germanTeam('order');
  const path = `/v1/teams/${teamId}/seat-orders`;
  const refused = await api.call(api.withToken(member.token), 'post', path, { plan: 'basic', seats: 3, invoiceFirst: true }).expect(403);
  expect(refused.body).toMatchObject({ code: 'forbidden' });
  const byCard = await api.call(api.withToken(owner.token), 'post', path, { plan: 'basic', seats: 3, purchaseOrder: 'PO-1' }).expect(422);
  expect(byCard.body).toMatchObject({ code: 'invalid_request', detail: expect.stringContaining('purchaseOrder goes with invoiceFirst') });

  const ordered = await api.call(api.withToken(owner.token), 'post', path, { plan: 'basic', seats: 3, invoiceFirst: true, dueDays: 10 }).expect(200);
  expect(ordered.body).toMatchObject({ status: 'awaiting_payment', invoice: { status: 'open', net: 32400, tax: 6156, total: 38556 }, ordered: { invoice: { paid: false } } });
  const due = spelledDayAfter(ordered.body.invoice.on as string, 10);
  expect(ordered.body.ordered.invoice.dueOn).toBe(due.day);
  const message = await api.eventually(async () => messagesTo(await emailOf(owner.id), /^Subject: .*invoice INV-/m)[0]);
  expect(decoded(message.raw)).toContain(`Please pay $385.56 by ${due.spelled}`);
});
