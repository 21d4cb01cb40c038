// Seat orders by card on the time-skipping server with the real ledger: a declined order retried the same day is a new
// attempt under its own key, and the upcoming-invoice preview shows a seat order's next charge.
import { buySeatsUpdate, changePlanUpdate, setPaymentMethodUpdate, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { refusalType, workflowHarnessForFile } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('a declined seat order retried the same day with another card is a new attempt, charged under its own key', async () => {
  const team = await harness.startTeam({ start: '2026-03-01', members: 2, card: 'pm_card_chargeDeclined' });
  expect(await refusalType(team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 2 }] }))).toBe('payment_declined');
  expect(await refusalType(team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 2 }] }))).toBe('payment_declined');
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_visa' }] });
  const bought = await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 2 }] });
  // Each request is its own business event, so its own invoice key (the team's event sequence): n1, n2, n3.
  const key = (n: number) => `${team.teamId}:seat_order:2026-03-01:n${n}`;
  expect(bought).toMatchObject({ status: 'active', invoice: { key: key(3), total: 21600, status: 'paid' } });
  const { invoices, providerCharges } = await team.ledger();
  expect(invoices.map((i) => [i.key, i.status])).toEqual([[key(1), 'void'], [key(2), 'void'], [key(3), 'paid']]);
  expect(providerCharges.map((c) => [c.key, c.status])).toEqual([
    [`${key(1)}:attempt:1`, 'declined'],
    [`${key(2)}:attempt:1`, 'declined'],
    [`${key(3)}:attempt:1`, 'succeeded'],
  ]);
  await team.recordHistory('seat-order-declined-retried', 0);
});

test('upcoming invoice: seats ordered by card for the end of a subscription, and a subscription chosen for an order end', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'professional', seats: 5 }] });
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-06-20', reason: 'seat_order', total: 108000 }); // 21600 × 5
  await team.advanceTo('2026-06-20');
  expect(await team.handle.query(upcomingInvoiceQuery)).toBeNull(); // orders do not renew
  await team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2027-06-20', reason: 'subscribe', total: 3600 }); // 1200 × 3
});
