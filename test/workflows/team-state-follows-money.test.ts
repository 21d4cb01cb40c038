// State follows money: a change is committed only once its invoice is written and collected. When the provider
// refuses a collection for good (a payment method it does not know), a request leaves the team exactly as it was,
// its invoice voided and nothing of the balance or credits held; a scheduled renewal goes to dunning instead of
// failing the run. Regressions of issue 19's defect 2: before, the team stayed active on a period with no invoice.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { PaymentRequestRejected, type PaymentProvider } from '../../src/payments/payment-provider';
import type { SandboxProvider } from '../../src/payments/sandbox-provider';
import { changePlanUpdate, paymentConfirmedSignal, removeMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { workflowHarnessForFile } from '../support/workflow-harness';

/** Cards the provider no longer knows: every charge on them is refused for good. */
const unknownCards = new Set<string>();

function refusingUnknownCards(sandbox: SandboxProvider): PaymentProvider {
  return {
    name: sandbox.name,
    refund: (request) => sandbox.refund(request),
    createCustomer: (request) => sandbox.createCustomer(request),
    findCharge: (lookup) => sandbox.findCharge(lookup),
    paymentMethodHolder: (paymentMethodId) => sandbox.paymentMethodHolder(paymentMethodId),
    charge: async (request) => {
      if (unknownCards.has(request.paymentMethodId)) throw new PaymentRequestRejected('resource_missing', `No such PaymentMethod: '${request.paymentMethodId}'`);
      return sandbox.charge(request);
    },
  };
}

const harness = workflowHarnessForFile({ wrapProvider: refusingUnknownCards });

jest.setTimeout(120_000);

test('a subscription the provider refuses for good changes nothing: still Free, its invoice void, the credits not held', async () => {
  unknownCards.add('pm_card_gone');
  const team = await harness.startTeam({ start: '2026-05-20', members: 10, card: 'pm_card_gone', credits: 3000 });
  const before = await team.state();

  const refused = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] }).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'payment_refused' });

  const after = await team.state();
  expect({ ...after, busy: false }).toEqual({ ...before, busy: false });
  expect(after).toMatchObject({ plan: 'free', status: 'free', period: null, nextEventOn: null });
  const { invoices, payments } = await team.ledger();
  // 12000 = 1200 × 10; planned as 3000 credits + 9000 card, then voided: the plan holds nothing any more.
  expect(invoices.map((i) => [i.reason, i.total, i.status])).toEqual([['subscribe', 12000, 'void']]);
  expect(payments).toEqual([]);
  const credits = await harness.db('credit_grants').where({ team_id: team.teamId }).sum({ left: 'remaining' }).first();
  expect(Number(credits?.left)).toBe(3000);
  await team.recordHistory('subscribe-refused-undone', 0);
});

test('an immediate plan change the provider refuses leaves the plan, the period and the balance as they were', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 11, card: 'pm_card_changing' });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] }); // M2: 1200 × 26/31 = 1006 owed back
  unknownCards.add('pm_card_changing');
  const before = await team.state();

  // U1's upgrade (10 members): 24000 − 10065 = 13935, refused; the 1006 went to the balance first, and comes back out.
  await expect(team.handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] })).rejects.toMatchObject({ cause: { type: 'payment_refused' } });
  expect({ ...(await team.state()), busy: false, today: null }).toEqual({ ...before, busy: false, today: null }); // `today`: the last task's
  expect(await team.state()).toMatchObject({ plan: 'basic', status: 'active', period: { start: '2026-05-20', end: '2026-06-20' } });
  const refused = await team.ledger();
  expect(refused.invoices.map((i) => [i.reason, i.total, i.status])).toEqual([['subscribe', 13200, 'paid'], ['plan_change', 13935, 'void']]);
  expect(refused.balance.map((b) => [b.amount, b.reason])).toEqual([[1006, 'member_removed'], [-1006, 'reversed']]);
  // The credit note the 1006 was issued under is void with it: it keeps its number, and the invoice it named was
  // credited nothing.
  const creditNotes = () => harness.db('credit_notes').where({ team_id: team.teamId }).orderBy('number')
    .select('reason', 'to', 'net', 'status', 'voided_on', 'invoice_id');
  const subscribeInvoiceId = (await harness.db('invoices').where({ team_id: team.teamId, reason: 'subscribe' }).first('id')).id as string;
  expect(await creditNotes()).toEqual([{ reason: 'member_removed', to: 'balance', net: -1006, status: 'void', voided_on: '2026-05-25', invoice_id: subscribeInvoiceId }]);

  // The removal is still unbilled, so the renewal refunds it, once: 12000 − 1006 = 10994 charged.
  unknownCards.delete('pm_card_changing');
  await team.advanceTo('2026-06-20');
  const renewed = await team.ledger();
  expect(renewed.balance.map((b) => [b.amount, b.reason])).toEqual([[1006, 'member_removed'], [-1006, 'reversed'], [1006, 'member_removed'], [-1006, 'invoice_payment']]);
  expect(renewed.invoices.at(-1)).toMatchObject({ reason: 'renewal', total: 12000, balanceApplied: 1006, charged: 10994, status: 'paid' });
  // The renewal's refund of the removal is the one credit note that gave something back: the subscribe invoice
  // credited 1006 once, not 2012.
  expect((await creditNotes()).map((n) => [n.net, n.status, n.invoice_id])).toEqual([[-1006, 'void', subscribeInvoiceId], [-1006, 'issued', subscribeInvoiceId]]);
});

test('a renewal the provider refuses goes to dunning (the run goes on), and is paid by the retry once the card works', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 2, card: 'pm_card_lapsing' });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  unknownCards.add('pm_card_lapsing');

  await team.advanceTo('2026-06-20');
  expect(await team.state()).toMatchObject({ status: 'past_due', period: { start: '2026-06-20', end: '2026-07-20' }, dunning: { failedRetries: 0, nextTryOn: '2026-06-21' } });
  unknownCards.delete('pm_card_lapsing');
  await team.advanceTo('2026-06-21');

  expect(await team.state()).toMatchObject({ status: 'active', dunning: null, period: { start: '2026-06-20', end: '2026-07-20' } });
  const { invoices, notifications } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total, i.status])).toEqual([['2026-05-20', 'subscribe', 2400, 'paid'], ['2026-06-20', 'renewal', 2400, 'paid']]);
  expect(notifications.map((n) => [n.on, n.kind])).toEqual([['2026-06-20', 'payment_failed']]);
  await team.recordHistory('renewal-refused-to-dunning', 1); // run 0 ends with the subscription's new period
});

test('a payment the provider confirms by webhook for the invoice in dunning is recorded: the invoice paid, the team active', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 1, card: 'pm_card_chargeDeclined' });
  const open = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(open).toMatchObject({ status: 'open', total: 1200 });
  expect(await team.state()).toMatchObject({ status: 'past_due', dunning: { invoiceId: open.invoiceId } });

  await team.handle.signal(paymentConfirmedSignal, { invoiceId: open.invoiceId, payment: { provider: 'stripe', providerPaymentId: 'pi_paid_elsewhere', amount: 1200 } });
  await team.handle.signal(paymentConfirmedSignal, { invoiceId: open.invoiceId, payment: { provider: 'stripe', providerPaymentId: 'pi_paid_elsewhere', amount: 1200 } });
  await team.advanceTo('2026-05-21'); // before it, the retry of 05-21 would have run
  expect(await team.state()).toMatchObject({ status: 'active', dunning: null });
  const payments = await harness.db('payments').where({ invoice_id: open.invoiceId }).select('provider', 'provider_payment_id', 'amount');
  expect(payments).toEqual([{ provider: 'stripe', provider_payment_id: 'pi_paid_elsewhere', amount: 1200 }]); // once, however often told
  expect((await team.ledger()).invoices.map((i) => [i.reason, i.status])).toEqual([['subscribe', 'paid']]);
  await team.recordHistory('dunning-paid-by-webhook', 0);
});
