// Section 14 in the billing portal, in Debian's Chromium: an owner applies a promotion code on the plan page, sees
// the discounted quote, and is charged exactly it; a refused code says why. A published price is what the plan page
// offers, quotes and charges a new subscriber, with its version. Screenshots under artifacts/portal/.
import { PortalHarness } from '../support/portal-harness';

let portal: PortalHarness;

beforeAll(async () => {
  portal = await PortalHarness.start();
}, 180_000);
afterAll(() => portal?.teardown(), 60_000);
jest.setTimeout(120_000);

test('an owner redeems a code and subscribes at the discounted quote; a used-up code is refused naming why', async () => {
  const { api } = portal;
  await api.call(api.platform(), 'post', '/v1/coupons', { id: 'portal20', percentOff: 20, duration: 'forever' }).expect(201);
  await api.call(api.platform(), 'post', '/v1/promotion-codes', { code: 'PORTAL20', couponId: 'portal20', maxRedemptions: 1 }).expect(201);
  const owner = await api.createUser('Oscar');
  const teamId = await api.createTeam(owner.id);

  const page = await portal.browser();
  await page.goto((await portal.portalUrl(owner.id, teamId)).url);
  await page.getByRole('heading', { level: 1, name: 'Your plan' }).waitFor();
  await page.getByLabel('Code', { exact: true }).fill('portal20');
  await page.getByRole('button', { name: 'Apply code' }).click();
  await page.getByText('The code was applied').waitFor();
  expect(await page.getByTestId('coupon').textContent()).toContain('PORTAL20: 20% off');

  await page.getByRole('radio', { name: /^Basic/ }).check();
  await page.getByRole('radio', { name: 'Monthly' }).check();
  await page.getByRole('button', { name: 'See the price' }).click();
  expect(await page.getByTestId('quote-total').textContent()).toContain('$9.60'); // 1200 × 1 member − round(20% × 1200)
  const quoted = 960;
  await page.getByText(/Discount PORTAL20, 20% off/).waitFor();
  await portal.screenshot(page, 'coupon-quote');
  await page.getByTestId('confirm').click();
  await page.getByText(/You were charged/).waitFor();
  const invoices = await api.call(api.actingFor(owner.id), 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  expect(invoices.body).toEqual([expect.objectContaining({ total: quoted, charged: quoted, status: 'paid' })]);

  // The code's one use is taken: another team's owner is told so.
  const second = await api.createTeam(owner.id);
  await page.goto((await portal.portalUrl(owner.id, second)).url);
  await page.getByLabel('Code', { exact: true }).fill('PORTAL20');
  await page.getByRole('button', { name: 'Apply code' }).click();
  await page.getByText('This promotion code has been used as many times as it allows.').waitFor();
  await portal.screenshot(page, 'coupon-used-up');
});

test('a price published today is what the plan page offers, quotes and charges, and the team then holds its version', async () => {
  const { api } = portal;
  await api.call(api.platform(), 'post', '/v1/prices', { plan: 'professional', interval: 'month', amount: 2900 }).expect(202);
  const owner = await api.createUser('Priya');
  const teamId = await api.createTeam(owner.id);

  const page = await portal.browser();
  await page.goto((await portal.portalUrl(owner.id, teamId)).url);
  await page.getByRole('heading', { level: 1, name: 'Your plan' }).waitFor();
  const offered = page.getByTestId('price-professional-month');
  expect(await offered.textContent()).toBe('$29.00'); // version 2, not the catalog's $24.00
  expect(await offered.getAttribute('data-version')).toBe('2');
  expect(await page.getByTestId('price-professional-year').textContent()).toBe('$216.00'); // unchanged: version 1

  await page.getByRole('radio', { name: /^Professional/ }).check();
  await page.getByRole('radio', { name: 'Monthly' }).check();
  await page.getByRole('button', { name: 'See the price' }).click();
  expect(await page.getByTestId('quote-total').textContent()).toContain('$29.00'); // 2900 × 1 member
  await portal.screenshot(page, 'published-price-quote');
  await page.getByTestId('confirm').click();
  await page.getByText(/You were charged/).waitFor();
  const invoices = await api.call(api.actingFor(owner.id), 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  expect(invoices.body).toEqual([expect.objectContaining({ total: 2900, charged: 2900, status: 'paid' })]);

  await page.goto((await portal.portalUrl(owner.id, teamId)).url);
  await page.getByTestId('held-price').waitFor();
  expect(await page.getByTestId('seats-used').locator('..').textContent()).toContain('each at $29.00 a month (price version 2)');
});
