// One durable workflow per team (ID `team:<teamId>`), started when the team is created and running for as long
// as the team exists. Each run lasts one billing period: when a new period starts it waits for its handlers to
// finish and its changes' records to be written, and continues as new with its state as plain JSON, so no run's
// history grows without bound.
// The workflow only wires messages to the TeamSubscription state class, as in temporalio/samples-typescript
// message-passing/safe-message-handlers.
import { continueAsNew, setHandler } from '@temporalio/workflow';
import { BusinessClock } from './team/clock';
import { decidePatches } from './team/run-patches';
import { newTeamState } from './team/state';
import { TeamSubscription } from './team/subscription';
import {
  addMembersUpdate,
  addSeatsUpdate,
  buySeatsUpdate,
  cancelUpdate,
  changePlanUpdate,
  paymentConfirmedSignal,
  paymentFailedSignal,
  recordInvoicePaymentUpdate,
  removeMembersUpdate,
  removePaymentMethodUpdate,
  requestRefundUpdate,
  setPaymentMethodUpdate,
  startTrialUpdate,
  stateQuery,
  subscribeUpdate,
  upcomingInvoiceQuery,
  voidPaidInvoiceUpdate,
  withdrawPendingChangeUpdate,
  type TeamSubscriptionInput,
} from './team-subscription-messages';
import { pricePublishedSignal, redeemCodeUpdate } from './team-pricing-messages';

export * from './team-subscription-messages';
export * from './team-pricing-messages';

export async function teamSubscription(input: TeamSubscriptionInput): Promise<void> {
  const state = input.carried ?? newTeamState(input);
  decidePatches(state); // first, before any command: see team/run-patches.ts
  const team = new TeamSubscription(state, new BusinessClock(input.clockOffsetMs ?? 0), input.team.billingCountry);

  setHandler(startTrialUpdate, (selection) => team.startTrial(selection), { validator: (selection) => team.validateStartTrial(selection) });
  setHandler(subscribeUpdate, (selection) => team.subscribe(selection), { validator: (selection) => team.validateSubscribe(selection) });
  setHandler(changePlanUpdate, (change) => team.changePlan(change), { validator: (change) => team.validateChangePlan(change) });
  setHandler(withdrawPendingChangeUpdate, () => team.withdrawPendingChange(), { validator: () => team.validateWithdrawPendingChange() });
  setHandler(cancelUpdate, () => team.cancel(), { validator: () => team.validateCancel() });
  setHandler(addMembersUpdate, (input) => team.addMembers(input), { validator: (input) => team.validateAddMembers(input) });
  setHandler(removeMembersUpdate, (input) => team.removeMembers(input), { validator: (input) => team.validateRemoveMembers(input) });
  setHandler(setPaymentMethodUpdate, (method) => team.setPaymentMethod(method), { validator: (method) => team.validatePaymentMethod(method) });
  setHandler(removePaymentMethodUpdate, () => team.removePaymentMethod(), { validator: () => team.validateRemovePaymentMethod() });
  setHandler(buySeatsUpdate, (order) => team.buySeats(order), { validator: (order) => team.validateBuySeats(order) });
  setHandler(addSeatsUpdate, (input) => team.addSeats(input), { validator: (input) => team.validateAddSeats(input) });
  setHandler(recordInvoicePaymentUpdate, (payment) => team.recordInvoicePayment(payment), { validator: (payment) => team.validateInvoicePayment(payment) });
  setHandler(requestRefundUpdate, (request) => team.requestRefund(request), { validator: (request) => team.validateRequestRefund(request) });
  setHandler(voidPaidInvoiceUpdate, (request) => team.voidPaidInvoice(request), { validator: (request) => team.validateVoidPaidInvoice(request) });
  setHandler(redeemCodeUpdate, (request) => team.redeemCode(request), { validator: (request) => team.validateRedeemCode(request) });
  setHandler(pricePublishedSignal, (published) => team.pricePublished(published));
  setHandler(paymentConfirmedSignal, (payment) => team.paymentConfirmed(payment));
  setHandler(paymentFailedSignal, (failure) => team.paymentFailed(failure));
  setHandler(stateQuery, () => team.view());
  setHandler(upcomingInvoiceQuery, (pendingChangePrice) => team.upcomingInvoice(pendingChangePrice));

  await team.open(input.carried ? undefined : input.team);
  await team.runUntilNewPeriod();
  await team.finishRun();
  return continueAsNew<typeof teamSubscription>({ ...input, carried: team.snapshot() });
}
