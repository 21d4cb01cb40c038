// Seat orders through the REST API, on a real worker and the Temporal dev server: an invoice-first order paid by
// bank transfer, invites within the seats (visitors count), seats added at the quoted price, and the refusals.
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;
let owner: { id: string; token: string };

beforeAll(async () => {
  api = await ApiHarness.start();
  owner = await api.createUser('owner');
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

test('invoice first, paid by bank transfer; invites within the seats; seats added at the quoted price', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);

  const orderQuote = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders/quote`, { plan: 'basic', seats: 2 }).expect(200);
  expect(orderQuote.body.invoice).toMatchObject({ reason: 'seat_order', total: 21600 }); // 10800 × 2

  const ordered = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'basic', seats: 2, invoiceFirst: true }).expect(200);
  expect(ordered.body).toMatchObject({ status: 'awaiting_payment', invoice: { status: 'open', total: 21600 }, ordered: { invoice: { paid: false } } });
  const invoiceId = ordered.body.invoice.invoiceId as string;
  const today = ordered.body.invoice.on as string;
  const dueOn = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  expect(ordered.body.ordered.invoice.dueOn).toBe(dueOn);

  const payment = { method: 'bank_transfer', reference: `wire-${teamId}` };
  await api.call(as, 'post', `/v1/teams/${teamId}/invoices/${invoiceId}/payments`, payment).expect(403); // operators record transfers
  const wrong = await api.call(api.platform(), 'post', `/v1/teams/${teamId}/invoices/inv_unknown/payments`, payment).expect(409);
  expect(wrong.body).toMatchObject({ code: 'no_open_invoice' });
  const paid = await api.call(api.platform(), 'post', `/v1/teams/${teamId}/invoices/${invoiceId}/payments`, payment).expect(200);
  expect(paid.body).toMatchObject({ status: 'active', order: { plan: 'basic', seats: 2, period: { start: today } } });
  expect(await api.state(teamId)).toMatchObject({ plan: 'basic', status: 'active', seats: 2, members: 1 });

  const visitor = await api.createUser('visitor');
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: visitor.id, role: 'visitor' }).expect(201);
  const third = await api.createUser('third');
  const refused = await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: third.id, role: 'member' }).expect(409);
  expect(refused.body).toMatchObject({ code: 'not_enough_seats', detail: 'Not enough seats: 3 seats are needed and the order has 2. Add 1 seat first.' });

  const below = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'basic', seats: 1 }).expect(409);
  expect(below.body).toMatchObject({ code: 'seats_below_members' });

  const seatQuote = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders/quote`, { addSeats: 1 }).expect(200);
  const added = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders/seats`, { count: 1 }).expect(200);
  expect(added.body).toMatchObject({ seats: 3, invoice: { reason: 'seat_addition', status: 'paid', total: seatQuote.body.invoice.total, lines: seatQuote.body.invoice.lines } });
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: third.id, role: 'member' }).expect(201);
});

test('refusals: no seat order to add to, a plan not sold by seats, an invalid body', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);
  const noOrder = await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders/seats`, { count: 1 }).expect(409);
  expect(noOrder.body).toMatchObject({ code: 'no_seat_order' });
  await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders/quote`, { addSeats: 1 }).expect(409);
  await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'free', seats: 1 }).expect(400);
  await api.call(as, 'post', `/v1/teams/${teamId}/seat-orders`, { plan: 'basic', seats: 1, dueDays: 10 }).expect(422); // dueDays goes with invoiceFirst
});
