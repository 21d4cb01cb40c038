// The main flows through the REST API, on a real worker and the Temporal dev server: create a team, start a trial,
// reach trial end, upgrade, cancel; and the refusals the workflow's validators make.
import { ApiHarness, VISA } from '../support/api-harness';

let api: ApiHarness;
let owner: { id: string; token: string };

beforeAll(async () => {
  api = await ApiHarness.start();
  owner = await api.createUser('owner');
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

test('create a team, start a trial, reach trial end, upgrade, cancel', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);

  const created = await api.call(as, 'get', `/v1/teams/${teamId}/subscription`).expect(200);
  expect(created.body).toMatchObject({ teamId, plan: 'free', status: 'free', members: 1, hasPaymentMethod: true });

  const trial = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/trial`, { plan: 'basic', interval: 'month' }).expect(200);
  expect(trial.body).toMatchObject({ plan: 'basic', interval: 'month', trialEnd: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  const upcoming = await api.call(as, 'get', `/v1/teams/${teamId}/upcoming-invoice`).expect(200);
  expect(upcoming.body).toMatchObject({ on: trial.body.trialEnd, reason: 'trial_end', total: 1200 });

  await api.moveToEveOfTrialEnd(teamId);
  const active = await api.eventually(async () => {
    const res = await api.call(as, 'get', `/v1/teams/${teamId}/subscription`);
    return res.body.status === 'active' && !res.body.busy ? res.body : undefined;
  });
  expect(active).toMatchObject({ plan: 'basic', interval: 'month', period: { start: trial.body.trialEnd } });
  const invoices = await api.call(as, 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  expect(invoices.body).toEqual([expect.objectContaining({ reason: 'trial_end', status: 'paid', total: 1200, charged: 1200 })]);
  const invoice = await api.call(as, 'get', `/v1/teams/${teamId}/invoices/${invoices.body[0].id}`).expect(200);
  expect(invoice.body.lines).toEqual([expect.objectContaining({ kind: 'period', amount: 1200 })]);
  expect(invoice.body.payments).toEqual([expect.objectContaining({ amount: 1200, provider: 'sandbox', status: 'succeeded' })]);

  // The quote is computed by the same domain code the workflow charges with, so it is what the upgrade charges.
  const quote = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { plan: 'professional' }).expect(200);
  expect(quote.body.planChange).toMatchObject({ timing: 'immediate' });
  const upgrade = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'professional' }).expect(200);
  expect(upgrade.body).toMatchObject({ timing: 'immediate', invoice: { status: 'paid', lines: quote.body.planChange.invoice.lines, total: quote.body.planChange.invoice.total } });

  const cancel = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/cancel`).expect(200);
  expect(cancel.body).toEqual({ plan: 'free', interval: 'month', effectiveOn: upgrade.body.period.end }); // the view it carried stripped
  // Read your writes: the API wrote that view to the read model before answering; the workflow's records follow a second later.
  expect((await api.call(as, 'get', `/v1/teams/${teamId}/subscription`).expect(200)).body.pendingChange).toEqual(cancel.body);
  const again = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/cancel`).expect(409);
  expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(again.body).toMatchObject({ status: 409, code: 'already_canceled' });
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription/withdraw-pending-change`).expect(200);
  expect((await api.state(teamId)).pendingChange).toBeNull();
});

test('a refused update is a problem with the workflow\'s reason: 409 for the state, 422 for the request', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id, { card: false });
  const noCard = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/trial`, { plan: 'basic', interval: 'month' }).expect(409);
  expect(noCard.body).toMatchObject({ code: 'payment_method_required' });
  const notSubscribed = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'basic' }).expect(409);
  expect(notSubscribed.body).toMatchObject({ code: 'not_subscribed' });
  const seatsOnly = await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'enterprise', interval: 'year' }).expect(422);
  expect(seatsOnly.body).toMatchObject({ code: 'invalid_request' });

  await api.call(as, 'post', `/v1/teams/${teamId}/payment-method`, { provider: 'sandbox', paymentMethodId: 'pm_card_visa' }).expect(200);
  const subscribed = await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'year' }).expect(200);
  expect(subscribed.body).toMatchObject({ reason: 'subscribe', status: 'paid', total: 10800 });
  const trialAfter = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/trial`, { plan: 'basic', interval: 'month' }).expect(409);
  expect(trialAfter.body).toMatchObject({ code: 'not_on_free' });
});

test("a customer that is not the team's, or another provider's card, is a 422 naming the field, and changes nothing", async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id, { card: false });
  const otherCustomer = await api.call(as, 'post', `/v1/teams/${teamId}/payment-method`, { ...VISA, customerId: 'cus_someone_else' }).expect(422);
  expect(otherCustomer.type).toBe('application/problem+json');
  expect(otherCustomer.body).toMatchObject({ code: 'not_owned', errors: [{ field: 'body.customerId' }] });
  expect((await api.state(teamId)).hasPaymentMethod).toBe(false);

  const create = (id: string, paymentMethod: object) => api.call(api.actingFor(owner.id), 'post', '/v1/teams', { id, name: 'Acme', billingCountry: 'US', paymentMethod });
  const stripeCard = await create(`${teamId}-stripe`, { provider: 'stripe', paymentMethodId: 'pm_1Abc' }).expect(422);
  expect(stripeCard.body.errors).toEqual([{ field: 'body.paymentMethod.provider', message: expect.any(String) }]);
  const notTheirs = await create(`${teamId}-customer`, { ...VISA, customerId: 'cus_someone_else' }).expect(422);
  expect(notTheirs.body.errors).toEqual([{ field: 'body.paymentMethod.customerId', message: expect.any(String) }]);
  expect(await api.db('teams').whereIn('id', [`${teamId}-stripe`, `${teamId}-customer`])).toEqual([]);
});

test('input errors are 400 problems naming the field; an unknown team is a 404', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);
  const bad = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/trial`, { plan: 'gold', interval: 'week', extra: 1 }).expect(400);
  expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.extra', 'body.interval', 'body.plan']);
  const missing = await api.call(api.platform(), 'get', '/v1/teams/no-such-team/subscription').expect(404);
  expect(missing.body).toMatchObject({ status: 404, errors: [{ field: 'path.teamId' }] });
  await api.call(as, 'get', '/v1/teams/bad%20id/subscription').expect(400);
});

test('members join and leave the bill; billing managers do not count', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);
  const alice = await api.createUser('alice');
  const bob = await api.createUser('bob');
  const added = await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: alice.id, role: 'visitor' }).expect(201);
  expect(added.body).toEqual({ members: 2, restricted: false });
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: alice.id, role: 'member' }).expect(409);
  await api.call(as, 'post', `/v1/teams/${teamId}/billing-managers`, { userId: bob.id }).expect(403); // by invitation only
  await api.call(api.platform(), 'post', `/v1/teams/${teamId}/billing-managers`, { userId: bob.id }).expect(201);
  const members = await api.call(as, 'get', `/v1/teams/${teamId}/members`).expect(200);
  expect(members.body.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([[owner.id, 'owner'], [alice.id, 'visitor']]);
  expect((await api.state(teamId)).members).toBe(2);

  // The billing manager sees the bill, not the member list.
  await api.call(api.withToken(bob.token), 'get', `/v1/teams/${teamId}/invoices`).expect(200);
  await api.call(api.withToken(bob.token), 'get', `/v1/teams/${teamId}/members`).expect(403);

  const removed = await api.call(as, 'delete', `/v1/teams/${teamId}/members/${alice.id}`).expect(200);
  expect(removed.body).toEqual({ members: 1, restricted: false });
  await api.call(as, 'delete', `/v1/teams/${teamId}/members/${owner.id}`).expect(409);
});

test('a payment is refunded within 72 hours (US) and not after; 14 days in the EU', async () => {
  const as = api.withToken(owner.token);
  for (const [country, ageHours, status] of [['US', 1, 201], ['US', 73, 422], ['FR', 24 * 13, 201]] as const) {
    const teamId = await api.createTeam(owner.id, { billingCountry: country });
    await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
    const [payment] = (await api.call(as, 'get', `/v1/teams/${teamId}/payments`).expect(200)).body;
    await api.db('payments').where({ id: payment.id }).update({ paid_at: new Date(Date.now() - ageHours * 3_600_000) });
    const refund = await api.call(as, 'post', `/v1/teams/${teamId}/payments/${payment.id}/refund`).expect(status);
    if (status === 201) {
      // What was paid: 1200, and in France 1200 + 20% VAT (section 13).
      expect(refund.body).toMatchObject({ paymentId: payment.id, amount: country === 'FR' ? 1440 : 1200, periodEndedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), restricted: false });
      expect(await api.db('payments').where({ id: payment.id }).first('status')).toEqual({ status: 'refunded' });
      // The refunded period ends: Free from today, nothing left to renew.
      expect(await api.state(teamId)).toMatchObject({ plan: 'free', status: 'free', period: null, nextEventOn: null });
      await api.call(as, 'post', `/v1/teams/${teamId}/payments/${payment.id}/refund`).expect(409);
    } else {
      expect(refund.body).toMatchObject({ code: 'refund_window_closed' });
      expect(await api.state(teamId)).toMatchObject({ plan: 'basic', status: 'active' });
    }
  }
});

test('the OpenAPI document is generated from the schemas, and /docs renders it', async () => {
  const doc = await api.call(api.platform(), 'get', '/openapi.json').expect(200);
  expect(doc.body.openapi).toBe('3.1.0');
  expect(doc.body.paths['/v1/teams/{teamId}/subscription/trial'].post.requestBody.content['application/json'].schema).toBeDefined();
  const docs = await api.call(api.platform(), 'get', '/docs/').expect(200);
  expect(docs.text).toMatch(/swagger-ui/i);
  const health = await api.call({ headers: {} }, 'get', '/health').expect(200);
  expect(health.body.status).toBe('alive');
});

test('a quote of an immediate upgrade includes the member changes not yet billed, as the upgrade charges them', async () => {
  const as = api.withToken(owner.token);
  const teamId = await api.createTeam(owner.id);
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);

  // Mid-period: the subscribed state carried into a new run whose business clock is ten days later.
  const view = await api.state(teamId);
  const handle = api.temporal.workflow.getHandle(`team:${teamId}`);
  const { taskQueue } = await handle.describe();
  await handle.terminate('test: move the business clock ten days into the period');
  await api.temporal.workflow.start('teamSubscription', {
    taskQueue,
    workflowId: `team:${teamId}`,
    args: [{
      teamId, team: { name: 'Acme', billingCountry: 'US' }, members: view.members, clockOffsetMs: 10 * 86_400_000,
      carried: {
        teamId, plan: view.plan, interval: view.interval, status: view.status, members: view.members, paymentMethod: { ...VISA },
        hadTrial: view.hadTrial, trial: null, period: view.period, anchorDay: view.anchorDay, pendingChange: null,
        memberChanges: [], nextReviewOn: null, reminderOn: null, dunning: null,
      },
    }],
  });
  const moved = await api.eventually(async () => {
    const s = await api.state(teamId);
    return s.today > view.today ? s : undefined;
  });

  const alice = await api.createUser('alice-quote');
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: alice.id, role: 'member' }).expect(201);
  expect((await api.state(teamId)).unbilledMemberChanges).toEqual([{ on: moved.today, delta: 1 }]);

  const quote = await api.call(as, 'post', `/v1/teams/${teamId}/quotes`, { plan: 'professional' }).expect(200);
  expect(quote.body.planChange).toMatchObject({ timing: 'immediate' });
  const upgrade = await api.call(as, 'post', `/v1/teams/${teamId}/subscription/plan-change`, { plan: 'professional' }).expect(200);
  expect(upgrade.body.invoice.lines).toContainEqual(expect.objectContaining({ kind: 'members_added', amount: expect.any(Number) }));
  expect(quote.body.planChange.invoice.lines).toEqual(upgrade.body.invoice.lines);
  expect(quote.body.planChange.invoice.total).toBe(upgrade.body.invoice.total);
  expect((await api.state(teamId)).unbilledMemberChanges).toEqual([]);
});
