import { basisPointsOf } from '../../src/domain';
import { ApiHarness, type Caller } from '../support/api-harness';

// Billing details through the API (section 13): who may set them (section 11), a refused tax ID is a 422 naming
// the field and changes nothing, and the next invoice is taxed, numbered and listed with its credit note.
let api: ApiHarness;
let owner: Caller;
let teamId: string;

beforeAll(async () => {
  api = await ApiHarness.start();
  const user = await api.createUser('owner');
  owner = api.withToken(user.token);
  teamId = await api.createTeam(user.id, { billingCountry: 'DE' });
}, 120_000);
afterAll(() => api?.teardown(), 60_000);

const details = { legalName: 'Beispiel GmbH', address: 'Hauptstraße 1\n10115 Berlin', country: 'DE', taxId: null };

test('an owner sets the details invoices are issued to; the team reads them back', async () => {
  const set = await api.call(owner, 'put', `/v1/teams/${teamId}/billing-details`, details).expect(200);
  expect(set.body).toEqual(details);
  expect((await api.call(owner, 'get', `/v1/teams/${teamId}/billing-details`).expect(200)).body).toEqual(details);
});

test('a tax ID that fails its checksum is a 422 naming body.taxId, and nothing changes', async () => {
  const res = await api.call(owner, 'put', `/v1/teams/${teamId}/billing-details`, { ...details, country: 'FR', taxId: 'FR40303265046' }).expect(422);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.errors).toEqual([{ field: 'body.taxId', message: expect.stringMatching(/check digits/) }]);
  const other = await api.call(owner, 'put', `/v1/teams/${teamId}/billing-details`, { ...details, taxId: 'FR40303265045' }).expect(422); // a French ID, billed in Germany
  expect(other.body.errors).toEqual([{ field: 'body.taxId', message: 'the tax ID is a VAT ID of FR, not of the billing country DE' }]);
  expect((await api.call(owner, 'get', `/v1/teams/${teamId}/billing-details`).expect(200)).body).toEqual(details);
});

test('malformed details are a 400 naming the field; a member may not set them', async () => {
  const bad = await api.call(owner, 'put', `/v1/teams/${teamId}/billing-details`, { ...details, country: 'Germany', extra: 1 }).expect(400);
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.country', 'body.extra']);
  const member = await api.createUser('member');
  await api.call(owner, 'post', `/v1/teams/${teamId}/members`, { userId: member.id, role: 'member' }).expect(201);
  await api.call(api.withToken(member.token), 'put', `/v1/teams/${teamId}/billing-details`, details).expect(403);
});

test('the next invoice is numbered and taxed at 19%; a refund of it is a credit note of the whole invoice', async () => {
  await api.call(owner, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  const [invoice] = (await api.call(owner, 'get', `/v1/teams/${teamId}/invoices`).expect(200)).body;
  const members = (await api.state(teamId)).members;
  const net = 1200 * members;
  const tax = 228 * members; // 19% of 1200 per member, whole cents
  expect(invoice).toMatchObject({ number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), net, tax, taxRateBasisPoints: 1900, taxTreatment: 'standard', total: net + tax, charged: net + tax, status: 'paid' });
  const [payment] = (await api.call(owner, 'get', `/v1/teams/${teamId}/payments`).expect(200)).body;
  await api.call(owner, 'post', `/v1/teams/${teamId}/payments/${payment.id}/refund`).expect(201);
  const notes = await api.eventually(async () => {
    const body = (await api.call(owner, 'get', `/v1/teams/${teamId}/credit-notes`).expect(200)).body as unknown[];
    return body.length > 0 ? body : undefined;
  });
  expect(notes).toEqual([expect.objectContaining({
    number: expect.stringMatching(/^CN-\d{4}-\d{6}$/), invoiceNumber: invoice.number, reason: 'refund', to: 'card', net: -net, tax: -tax, total: -(net + tax),
    lines: [expect.objectContaining({ kind: 'period', amount: -net })],
  })]);
});

test('the upcoming invoice and quotes show net, tax and total; the quoted total is what the change charges', async () => {
  const user = await api.createUser('quoting');
  const as = api.withToken(user.token);
  const trialTeam = await api.createTeam(user.id, { billingCountry: 'NL' });
  await api.call(as, 'post', `/v1/teams/${trialTeam}/subscription/trial`, { plan: 'basic', interval: 'month' }).expect(200);
  const upcoming = await api.call(as, 'get', `/v1/teams/${trialTeam}/upcoming-invoice`).expect(200);
  expect(upcoming.body).toMatchObject({ reason: 'trial_end', net: 1200, tax: 252, total: 1452, taxRateBasisPoints: 2100, taxTreatment: 'standard', refundTax: 0 });
  const members = await api.call(as, 'post', `/v1/teams/${trialTeam}/quotes`, { addMembers: 1 }).expect(200);
  expect(members.body.members).toMatchObject({ chargeTotal: 0, chargeTax: 0 }); // a trial's changes are not prorated

  const teamId = await api.createTeam(user.id, { billingCountry: 'DE' });
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  const quote = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { plan: 'professional' }).expect(200);
  const quoted = quote.body.planChange.invoice as { net: number; tax: number; total: number };
  expect(quoted.tax).toBe(basisPointsOf(quoted.net, 1900)); // one tax line on the net (its rounding is the domain's test)
  expect(quoted.total).toBe(quoted.net + quoted.tax);
  const upgrade = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'professional' }).expect(200);
  expect(upgrade.body.invoice).toMatchObject({ status: 'paid', total: quoted.total, charged: quoted.total });
  // The change's result names the invoice as the ledger numbered and taxed it.
  const invoices = await api.call(as, 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  const written = invoices.body.find((i: { id: string }) => i.id === upgrade.body.invoice.invoiceId);
  expect(upgrade.body.invoice).toMatchObject({ number: written.number, net: quoted.net, tax: quoted.tax });
  expect(written.number).toMatch(/^INV-\d{4}-\d{6}$/);
  // A subscription's result too, with its tax (0 for a team in the US).
  const usTeam = await api.createTeam(user.id, { billingCountry: 'US' });
  const subscribed = await api.call(as, 'post', `/v1/teams/${usTeam}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(subscribed.body).toMatchObject({ number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), net: 1200, tax: 0, total: 1200 });
});
