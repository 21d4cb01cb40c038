// Section 7 (the seat system) on the time-skipping server, with the real ledger: orders, seats added, invites within
// the seats, invoice first, switching systems, the expiry notice and the end of an order.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  addMembersUpdate,
  addSeatsUpdate,
  buySeatsUpdate,
  changePlanUpdate,
  recordInvoicePaymentUpdate,
  removeMembersUpdate,
  startTrialUpdate,
  subscribeUpdate,
} from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

/** The refusal an update failed with: its type (the API's problem code) and message. */
async function refusal(update: Promise<unknown>): Promise<{ type: string | undefined; message: string }> {
  const error = await update.then(() => null, (e: unknown) => e);
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`expected a refused update, got ${String(error)}`);
  const cause = error.cause as { type?: string; message: string };
  return { type: cause.type, message: cause.message };
}

async function teamWithSeats(start: string, members: number, seats: number): Promise<TeamUnderTest> {
  const team = await harness.startTeam({ start, members });
  await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats }] });
  return team;
}

test('O1: basic seat order 2026-01-01 → 2027-01-01, 3 seats added 2026-07-02: 10800 × 3 × 183/365 = 16244', async () => {
  const team = await harness.startTeam({ start: '2026-01-01', members: 10 });
  const bought = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 10 }] });
  expect(bought).toMatchObject({
    status: 'active',
    order: { plan: 'basic', seats: 10, period: { start: '2026-01-01', end: '2027-01-01' }, expiryNoticeOn: '2026-12-02' },
    invoice: { key: `${team.teamId}:seat_order:2026-01-01:n1`, reason: 'seat_order', total: 108000, charged: 108000, status: 'paid' },
  });
  await team.advanceTo('2026-07-02');
  const added = await team.handle.executeUpdate(addSeatsUpdate, { args: [{ count: 3 }] });
  expect(added).toMatchObject({
    seats: 13,
    invoice: {
      key: `${team.teamId}:seat_addition:2026-07-02:order-2026-01-01:seats-13:n2`, reason: 'seat_addition', total: 16244, status: 'paid',
      lines: [{ kind: 'seats_added', description: 'Basic, 3 seats added Jul 2, 183/365 days', amount: 16244 }],
    },
  });
  expect(await team.state()).toMatchObject({ plan: 'basic', status: 'active', seats: 13, periodEnd: '2027-01-01', restricted: false });
  expect((await team.ledger()).invoices.map((i) => [i.on, i.reason, i.total, i.status])).toEqual([
    ['2026-01-01', 'seat_order', 108000, 'paid'],
    ['2026-07-02', 'seat_addition', 16244, 'paid'],
  ]);
  await team.recordHistory('seat-order-and-addition', 0);
  await team.recordHistory('seat-order-seats-added', 1);
});

test('an invite past the seat count is refused naming the seats needed; members move freely within the seats; allowed after seats are added', async () => {
  const team = await teamWithSeats('2026-01-01', 5, 5);
  const refused = await refusal(team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] }));
  expect(refused).toEqual({ type: 'not_enough_seats', message: 'Not enough seats: 6 seats are needed and the order has 5. Add 1 seat first.' });
  // Within the seats, a member (or a visitor: every member counts) can leave and another take the seat.
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-03-01');
  await team.handle.executeUpdate(addSeatsUpdate, { args: [{ count: 1 }] });
  expect(await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] })).toMatchObject({ members: 6, restricted: false });
  expect(await team.state()).toMatchObject({ seats: 6, members: 6 });
});

// Due date: an invoice issued on day 0 is due on day 30 (issue + 30 days, like Stripe's days_until_due) and is
// payable through that whole day; "past its due date" is from day 31 on, when it is voided. So a payment on day 29 or
// on day 30 starts the order, and an invoice still unpaid at the end of day 30 is void on day 31.
describe('invoice first (due on issue + 30 days)', () => {
  test('paid by bank transfer on day 29: the order starts that day and runs a year from it', async () => {
    const team = await harness.startTeam({ start: '2026-01-01', members: 3, card: null });
    const ordered = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 3, invoiceFirst: true }] });
    expect(ordered).toMatchObject({
      status: 'awaiting_payment',
      ordered: { plan: 'basic', seats: 3, startsOn: '2026-01-01', invoice: { dueOn: '2026-01-31', total: 32400, charged: 32400, paid: false } },
      invoice: { reason: 'seat_order', status: 'open', lines: [{ description: 'Basic, seat order, 3 seats, one year from payment', amount: 32400 }] },
    });
    expect(await team.state()).toMatchObject({ plan: 'free', seats: null, nextEventOn: '2026-02-01' });
    await team.advanceTo('2026-01-30'); // day 29
    const invoiceId = ordered.invoice!.invoiceId;
    const paid = await team.handle.executeUpdate(recordInvoicePaymentUpdate, { args: [{ invoiceId, method: 'bank_transfer', reference: 'wire-0001' }] });
    expect(paid).toMatchObject({ status: 'active', order: { plan: 'basic', seats: 3, period: { start: '2026-01-30', end: '2027-01-30' }, expiryNoticeOn: '2026-12-31' } });
    const { invoices, payments } = await team.ledger();
    expect(invoices).toMatchObject([{ reason: 'seat_order', status: 'paid', total: 32400, charged: 32400 }]);
    expect(payments).toEqual([{ invoiceKey: invoices[0]!.key, amount: 32400, provider: 'external' }]);
    await team.recordHistory('seat-order-invoice-first-paid', 0);
  });

  test('unpaid: still payable on day 30 (the due day), void on day 31, and the order never starts', async () => {
    const team = await harness.startTeam({ start: '2026-01-01', members: 3, card: null });
    const ordered = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 3, invoiceFirst: true }] });
    await team.advanceTo('2026-01-31'); // day 30, the due day
    expect((await team.state()).orderedSeats).toMatchObject({ invoice: { dueOn: '2026-01-31', paid: false } });
    expect((await team.ledger()).invoices).toMatchObject([{ status: 'open' }]);
    await team.advanceTo('2026-02-01'); // day 31: past due
    expect(await team.state()).toMatchObject({ plan: 'free', seats: null, orderedSeats: null });
    expect((await team.ledger()).invoices).toMatchObject([{ reason: 'seat_order', status: 'void' }]);
    const late = await refusal(team.handle.executeUpdate(recordInvoicePaymentUpdate, {
      args: [{ invoiceId: ordered.invoice!.invoiceId, method: 'card', reference: 'late-card' }],
    }));
    expect(late.type).toBe('no_open_invoice');
    await team.recordHistory('seat-order-invoice-first-void', 0);
  });

  test('while it awaits payment a trial or subscription is refused (one system at a time); paid, the order starts and renews nothing per member', async () => {
    // Found by the model-based run (seed 7, timeline 1668): a subscription started meanwhile had the paid order begin
    // over it, and its renewal priced enterprise per member, failing every workflow task from then on.
    const team = await harness.startTeam({ start: '2026-06-18', members: 2 });
    const ordered = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'enterprise', seats: 7, invoiceFirst: true }] });
    await team.advanceTo('2026-07-08');
    const subscribe = await refusal(team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] }));
    expect(subscribe).toEqual({ type: 'order_pending', message: expect.stringContaining(`invoice ${ordered.invoice!.invoiceId} (due 2026-07-18)`) as string });
    const trial = await refusal(team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] }));
    expect(trial.type).toBe('order_pending');
    expect(await team.state()).toMatchObject({ plan: 'free', status: 'free', periodEnd: null });
    await team.advanceTo('2026-07-14');
    const paid = await team.handle.executeUpdate(recordInvoicePaymentUpdate, { args: [{ invoiceId: ordered.invoice!.invoiceId, method: 'bank_transfer', reference: 'wire-1668' }] });
    expect(paid).toMatchObject({ status: 'active', order: { plan: 'enterprise', seats: 7, period: { start: '2026-07-14', end: '2027-07-14' } } });
    await team.advanceTo('2026-09-01');
    expect(await team.state()).toMatchObject({ plan: 'enterprise', status: 'active', seats: 7, periodEnd: '2027-07-14' });
    expect((await team.ledger()).invoices.map((i) => [i.on, i.reason, i.status])).toEqual([['2026-06-18', 'seat_order', 'paid']]);
  });

  test('paid on day 30, the due day itself: accepted', async () => {
    const team = await harness.startTeam({ start: '2026-01-01', members: 2, card: null });
    const ordered = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 2, invoiceFirst: true }] });
    await team.advanceTo('2026-01-31');
    const paid = await team.handle.executeUpdate(recordInvoicePaymentUpdate, { args: [{ invoiceId: ordered.invoice!.invoiceId, method: 'card', reference: 'card-0031' }] });
    expect(paid).toMatchObject({ status: 'active', order: { period: { start: '2026-01-31', end: '2027-01-31' } } });
  });
});

test('subscription → seats: the subscription is canceled and the order starts, charged, when the period ends', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-06-01');
  const scheduled = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'professional', seats: 5 }] });
  expect(scheduled).toMatchObject({ status: 'scheduled', ordered: { plan: 'professional', seats: 5, startsOn: '2026-06-20', invoice: null }, invoice: null });
  expect(await team.state()).toMatchObject({ plan: 'basic', pendingChange: { plan: 'free', effectiveOn: '2026-06-20' } });
  await team.advanceTo('2026-06-20');
  expect(await team.state()).toMatchObject({
    plan: 'professional', interval: 'year', status: 'active', seats: 5, period: null, periodEnd: '2027-06-20', pendingChange: null, orderedSeats: null,
  });
  const { invoices, notifications } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total])).toEqual([
    ['2026-05-20', 'subscribe', 3600],
    ['2026-06-20', 'seat_order', 108000], // 21600 × 5
  ]);
  expect(notifications.map((n) => n.kind)).not.toContain('downgraded_to_free');
  await team.recordHistory('seat-switch-from-subscription', 1);
});

test('seats → subscription: the order runs out and the subscription starts on its end day', async () => {
  const team = await teamWithSeats('2026-01-01', 4, 4);
  await team.advanceTo('2026-09-15');
  const change = await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(change).toMatchObject({ timing: 'deferred', pendingChange: { plan: 'basic', interval: 'month', effectiveOn: '2027-01-01' } });
  await team.advanceTo('2027-01-01');
  expect(await team.state()).toMatchObject({ plan: 'basic', interval: 'month', status: 'active', seats: null, period: { start: '2027-01-01', end: '2027-02-01' } });
  const { invoices, notifications } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total])).toEqual([
    ['2026-01-01', 'seat_order', 43200],
    ['2027-01-01', 'subscribe', 4800], // 1200 × 4
  ]);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([['2026-12-02', 'expiry_notice']]);
  await team.recordHistory('seat-switch-to-subscription', 1);
});

test('a reorder may lower the seats, never below the members; it starts when the order ends', async () => {
  const team = await teamWithSeats('2026-01-01', 6, 10);
  await team.advanceTo('2026-12-10');
  expect(await refusal(team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 5 }] }))).toMatchObject({ type: 'seats_below_members' });
  const reorder = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 6 }] });
  expect(reorder).toMatchObject({ status: 'scheduled', ordered: { seats: 6, startsOn: '2027-01-01' } });
  await team.advanceTo('2027-01-01');
  expect(await team.state()).toMatchObject({ plan: 'basic', seats: 6, seatOrder: { period: { start: '2027-01-01', end: '2028-01-01' } } });
  const { invoices, notifications } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total])).toEqual([
    ['2026-01-01', 'seat_order', 108000],
    ['2027-01-01', 'seat_order', 64800], // 10800 × 6
  ]);
  expect(notifications.map((n) => n.kind)).toEqual(['expiry_notice']);
});

test('expiry: the notice on order end − 30 days exactly; at the end, no reorder: Free, restricted when over capacity', async () => {
  const team = await teamWithSeats('2026-01-01', 6, 6);
  await team.advanceTo('2026-12-01');
  expect((await team.ledger()).notifications).toEqual([]);
  await team.advanceTo('2026-12-02'); // 2027-01-01 − 30 days
  expect((await team.ledger()).notifications).toEqual([{ on: '2026-12-02', kind: 'expiry_notice', key: `${team.teamId}:seat_order:2026-01-01:expiry_notice` }]);
  await team.advanceTo('2026-12-31');
  expect(await team.state()).toMatchObject({ plan: 'basic', seats: 6 });
  await team.advanceTo('2027-01-01');
  expect(await team.state()).toMatchObject({ plan: 'free', status: 'free', seats: null, members: 6, restricted: true, periodEnd: null });
  expect((await team.ledger()).notifications.map((n) => [n.on, n.kind])).toEqual([
    ['2026-12-02', 'expiry_notice'],
    ['2027-01-01', 'downgraded_to_free'],
  ]);
  await team.recordHistory('seat-order-expiry', 1);
});
