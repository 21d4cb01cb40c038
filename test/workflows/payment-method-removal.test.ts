// Removing the card on file (issue 25): refused while the card still has something to pay (a paid plan, a trial, a
// seat order), refusals change nothing; on Free the card is forgotten, the read model says so at once, and a paid
// plan then needs a new card first.
import {
  buySeatsUpdate, cancelUpdate, removePaymentMethodUpdate, setPaymentMethodUpdate, startTrialUpdate, stateQuery, subscribeUpdate,
} from '../../src/workflows';
import { refusalType, workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

const remove = (team: TeamUnderTest) => team.handle.executeUpdate(removePaymentMethodUpdate);
const published = async (team: TeamUnderTest) =>
  ((await harness.db('subscription_views').where({ team_id: team.teamId }).first('view')) as { view: { hasPaymentMethod: boolean } }).view;

test('a subscribed team cannot remove its card until the canceled period ends; then it can, and subscribing needs a new card', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  const before = await team.handle.query(stateQuery);
  expect(await refusalType(remove(team))).toBe('payment_method_in_use');
  await team.handle.executeUpdate(cancelUpdate);
  // Canceled, the period is still paid for and its renewal day still closes it with the card: refused still.
  expect(await refusalType(remove(team))).toBe('payment_method_in_use');
  const { today: _t, ...refused } = await team.handle.query(stateQuery);
  const { today: _b, pendingChange: _p, ...unchanged } = before;
  expect(refused).toMatchObject({ ...unchanged, hasPaymentMethod: true });

  await team.advanceTo('2026-06-20');
  expect(await team.handle.query(stateQuery)).toMatchObject({ plan: 'free', status: 'free', hasPaymentMethod: true });
  await expect(remove(team)).resolves.toEqual({ hasPaymentMethod: false }); // alone: its records before its answer
  expect(await team.handle.query(stateQuery)).toMatchObject({ hasPaymentMethod: false });
  expect(await published(team)).toMatchObject({ hasPaymentMethod: false }); // the read model before the update answered
  await expect(remove(team)).resolves.toEqual({ hasPaymentMethod: false }); // nothing left to remove: the same answer
  expect(await refusalType(team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] }))).toBe('payment_method_required');
  await team.handle.executeUpdate(setPaymentMethodUpdate, { args: [{ provider: 'sandbox', paymentMethodId: 'pm_card_mastercard' }] });
  await expect(team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] })).resolves.toMatchObject({ status: 'paid' });
  const { invoices } = await team.ledger();
  expect(invoices.filter((i) => i.status === 'paid')).toHaveLength(2);
  // The run that took the removal (then a new card and the subscription that starts the next run).
  const runs = await team.runs();
  const removedIn = runs.findIndex((run) => run.history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'removePaymentMethod'));
  expect(removedIn).toBeGreaterThan(0);
  await team.recordHistory('payment-method-removed', removedIn);
});

test('a trial and a seat order keep their card', async () => {
  const trial = await harness.startTeam({ start: '2026-05-20', members: 3 });
  await trial.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(await refusalType(remove(trial))).toBe('payment_method_in_use');
  const seats = await harness.startTeam({ start: '2026-05-20', members: 2 });
  await seats.handle.executeUpdate(buySeatsUpdate, { args: [{ plan: 'basic', seats: 2 }] });
  expect(await refusalType(remove(seats))).toBe('payment_method_in_use');
  expect(await seats.handle.query(stateQuery)).toMatchObject({ hasPaymentMethod: true });
});
