// The billing portal in Debian's Chromium: an admin's upgrade after a quote, a billing manager's page without the
// member list, a member refused, and an expired link. Each test keeps a screenshot under artifacts/portal/.
import { randomUUID } from 'node:crypto';
import { PortalHarness } from '../support/portal-harness';

let portal: PortalHarness;

beforeAll(async () => {
  portal = await PortalHarness.start();
}, 180_000);
afterAll(() => portal?.teardown(), 60_000);
jest.setTimeout(120_000);

/** The first dollar amount in a text, in cents: `$1,200.00` → 120000. */
const cents = (text: string | null) => Math.round(Number(/\$([\d,]+\.\d\d)/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? NaN) * 100);

test('an admin upgrades after seeing a quote equal to the charge that follows', async () => {
  const { api } = portal;
  const owner = await api.createUser('Olivia');
  const teamId = await api.createTeam(owner.id);
  await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);

  const page = await portal.browser();
  await page.goto((await portal.portalUrl(owner.id, teamId)).url);
  await page.getByRole('heading', { level: 1, name: 'Your plan' }).waitFor();
  expect(await page.getByTestId('plan').textContent()).toBe('Basic');

  await page.getByRole('radio', { name: /^Professional/ }).check();
  await page.getByRole('button', { name: 'See the price' }).click();
  const quoted = cents(await page.getByTestId('quote-total').textContent());
  expect(quoted).toBeGreaterThan(0);
  const confirm = page.getByTestId('confirm');
  expect(await confirm.textContent()).toBe(`Confirm and pay ${await page.getByTestId('quote-total').textContent()}`);
  await portal.screenshot(page, 'admin-quote');

  // A double click is one request key, so one charge.
  await confirm.dblclick();
  await page.getByText(/You were charged/).waitFor();
  expect(cents(await page.locator('#notice').textContent())).toBe(quoted);
  expect(await page.getByTestId('plan').textContent()).toBe('Professional');

  const invoices = await api.call(api.actingFor(owner.id), 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  const changes = invoices.body.filter((i: { reason: string }) => i.reason === 'plan_change');
  expect(changes).toEqual([expect.objectContaining({ total: quoted, charged: quoted, status: 'paid' })]);
  await portal.screenshot(page, 'admin-upgraded');

  await page.getByRole('link', { name: 'Invoices' }).click();
  const invoice = page.locator(`[data-invoice="${changes[0].id}"]`);
  await invoice.getByText('Lines and payment').click();
  expect(cents(await invoice.locator('.amount').textContent())).toBe(quoted);
  await portal.screenshot(page, 'admin-invoices');
  const [download] = await Promise.all([page.waitForEvent('download'), invoice.getByRole('link', { name: /Download PDF/ }).click()]);
  const pdf = await download.createReadStream().then(async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});

test('a billing manager invites another billing manager and sees no member list', async () => {
  const { api } = portal;
  const owner = await api.createUser('Olivia');
  const member = await api.createUser('Mallory');
  const manager = await api.createUser('Bill');
  const teamId = await api.createTeam(owner.id);
  await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/members`, { userId: member.id, role: 'member' }).expect(201);
  await api.call(api.platform(), 'post', `/v1/teams/${teamId}/billing-managers`, { userId: manager.id }).expect(201);
  const memberEmail = (await api.call(api.platform(), 'get', `/v1/teams/${teamId}/members`).expect(200)).body[1].email as string;

  const page = await portal.browser();
  await page.goto((await portal.portalUrl(manager.id, teamId)).url);
  await page.getByRole('heading', { level: 1, name: 'Your plan' }).waitFor();
  expect(await page.getByTestId('seats-used').textContent()).toBe('2 of 4');
  await expect(page.getByText('Who is counted').count()).resolves.toBe(0);
  expect(await page.content()).not.toContain(memberEmail);

  await page.getByRole('link', { name: 'Billing managers' }).click();
  await page.getByRole('heading', { level: 1, name: 'Billing managers' }).waitFor();
  const invitee = `second-manager-${randomUUID()}@example.com`;
  await page.getByLabel('Email addresses, one per line').fill(invitee);
  await page.getByRole('button', { name: 'Send invitations' }).click();
  await page.getByText(`Invitation sent to ${invitee}. It expires on`).waitFor();
  const waiting = page.getByTestId('invitations');
  expect(await waiting.textContent()).toContain(invitee);
  expect(await waiting.locator('time').getAttribute('datetime')).toBe(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  await portal.screenshot(page, 'billing-manager-invited');
  for (const path of ['/portal/', '/portal/invoices', '/portal/credits', '/portal/billing-managers']) {
    await page.goto(`${portal.baseUrl}${path}`);
    expect(await page.content()).not.toContain(memberEmail);
  }
});

test("a member's session is refused the billing pages", async () => {
  const { api } = portal;
  const owner = await api.createUser('Olivia');
  const member = await api.createUser('Mallory');
  const teamId = await api.createTeam(owner.id);
  await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/members`, { userId: member.id, role: 'member' }).expect(201);

  const page = await portal.browser();
  const first = await page.goto((await portal.portalUrl(member.id, teamId)).url);
  expect(first?.status()).toBe(200);
  await page.getByRole('heading', { level: 1, name: 'You cannot manage billing for this team' }).waitFor();
  await portal.screenshot(page, 'member-refused');
  for (const path of ['/portal/', '/portal/invoices', '/portal/payment-methods', '/portal/billing-managers']) {
    const res = await page.goto(`${portal.baseUrl}${path}`);
    expect(res?.status()).toBe(403);
  }
  // The page's own calls are refused by the API too, in words.
  const call = await page.evaluate(async () => {
    const res = await fetch('/portal/api/subscription/cancel', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: '{}' });
    return { status: res.status, body: (await res.json()) as { message: string } };
  });
  expect(call).toEqual({ status: 403, body: expect.objectContaining({ message: 'Your role on this team does not allow this. Ask a team admin.' }) });
});

test('an expired session gets a clear page', async () => {
  const { api } = portal;
  const owner = await api.createUser('Olivia');
  const teamId = await api.createTeam(owner.id);

  // A link an hour old.
  const stale = await portal.portalUrl(owner.id, teamId);
  await api.db('portal_sessions').where({ id: stale.id }).update({ expires_at: api.db.raw("now() - interval '1 second'") });
  const page = await portal.browser();
  const res = await page.goto(stale.url);
  expect(res?.status()).toBe(410);
  await page.getByRole('heading', { level: 1, name: 'This billing link has expired' }).waitFor();
  await portal.screenshot(page, 'expired-link');

  // A session that ended while the page was open.
  const live = await portal.portalUrl(owner.id, teamId);
  await page.goto(live.url);
  await page.getByRole('heading', { level: 1, name: 'Your plan' }).waitFor();
  await api.db('portal_sessions').where({ id: live.id }).update({ expires_at: api.db.raw("now() - interval '1 second'") });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'This billing link has expired' }).waitFor();

  // A used link is no key for anyone else.
  const used = await portal.portalUrl(owner.id, teamId);
  await page.goto(used.url);
  const other = await portal.browser();
  expect((await other.goto(used.url))?.status()).toBe(410);
});

test('an admin of a team with a seat order adds seats at the quoted price for the days left', async () => {
  const { api } = portal;
  const owner = await api.createUser('Olivia');
  const teamId = await api.createTeam(owner.id);
  const as = api.actingFor(owner.id);
  const bought = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'basic', seats: 2 }).expect(200);
  expect(bought.body).toMatchObject({ status: 'active', order: { seats: 2 } });

  const page = await portal.browser();
  await page.goto((await portal.portalUrl(owner.id, teamId)).url);
  await page.getByRole('heading', { level: 1, name: 'Your plan' }).waitFor();
  expect(await page.getByTestId('seats-used').textContent()).toBe('1 of 2 seats');

  await page.getByLabel('Seats to add').fill('3');
  await page.getByRole('button', { name: 'Price for the days left' }).click();
  const total = await page.getByTestId('seat-quote-total').textContent();
  const quoted = cents(total);
  const expected = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders/quote`, { addSeats: 3 }).expect(200);
  expect(quoted).toBe(expected.body.invoice.total);
  expect(quoted).toBeGreaterThan(0);
  const confirm = page.getByTestId('seat-confirm');
  expect(await confirm.textContent()).toBe(`Confirm and pay ${total}`);
  await portal.screenshot(page, 'seat-order-quote');

  // A double click is one request key, so one charge.
  await confirm.dblclick();
  await page.getByText(/seat order now has 5 seats/).waitFor();
  expect(cents(await page.locator('#notice').textContent())).toBe(quoted);
  expect(await page.getByTestId('seats-used').textContent()).toBe('1 of 5 seats');
  expect(await api.state(teamId)).toMatchObject({ seats: 5 });
  const invoices = await api.call(as, 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  expect(invoices.body.filter((i: { reason: string }) => i.reason === 'seat_addition')).toEqual([expect.objectContaining({ total: quoted, status: 'paid' })]);
  await portal.screenshot(page, 'seat-order-added');
});

test('a German team\'s invoice shows its number, net, the VAT line and the total, as the ledger has them', async () => {
  const { api } = portal;
  const owner = await api.createUser('Greta');
  const teamId = await api.createTeam(owner.id, { billingCountry: 'DE' });
  await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  const [invoice] = (await api.call(api.actingFor(owner.id), 'get', `/v1/teams/${teamId}/invoices`).expect(200)).body;
  expect(invoice).toMatchObject({ number: expect.stringMatching(/^INV-\d{4}-\d{6}$/), tax: invoice.net * 19 / 100, total: invoice.net + invoice.tax });

  const page = await portal.browser();
  await page.goto((await portal.portalUrl(owner.id, teamId)).url);
  await page.getByRole('link', { name: 'Invoices' }).click();
  const card = page.locator(`[data-invoice="${invoice.id}"]`);
  expect(await card.getByTestId('invoice-number').textContent()).toBe(invoice.number);
  expect(cents(await card.locator('.amount').textContent())).toBe(invoice.total);
  await card.getByText('Lines and payment').click();
  const tax = card.getByTestId('tax');
  expect(await tax.locator('th').textContent()).toBe('VAT 19% (DE)');
  expect(cents(await tax.locator('td').textContent())).toBe(invoice.tax);
  expect(cents(await card.locator('.total').textContent())).toBe(invoice.total);
  await portal.screenshot(page, 'invoice-with-vat');
});
