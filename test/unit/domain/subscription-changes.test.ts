import { subscriptionChange, type SubscriptionFacts } from '../../../src/domain';

const free: SubscriptionFacts = { plan: 'free', interval: 'month', members: 4, trial: null, pendingChange: null };
const basic: SubscriptionFacts = { ...free, plan: 'basic', members: 6 };
const on = '2026-03-02';
const nothing = { trialStarted: null, changeScheduled: null, restriction: null };

test('a trial started', () => {
  const trial = { start: on, end: '2026-03-16' };
  expect(subscriptionChange(free, { ...free, plan: 'basic', trial }, on)).toEqual({ ...nothing, trialStarted: trial });
  expect(subscriptionChange({ ...basic, trial }, { ...basic, trial, members: 7 }, on)).toEqual(nothing);
});

test('a deferred change scheduled, or replaced by another; the same one again or a withdrawal tells nothing', () => {
  const downgrade = { plan: 'free' as const, interval: 'month' as const, effectiveOn: '2026-04-02' };
  expect(subscriptionChange(basic, { ...basic, pendingChange: downgrade }, on)).toEqual({ ...nothing, changeScheduled: downgrade });
  const annual = { ...downgrade, plan: 'basic' as const, interval: 'year' as const };
  expect(subscriptionChange({ ...basic, pendingChange: downgrade }, { ...basic, pendingChange: annual }, on)).toEqual({ ...nothing, changeScheduled: annual });
  expect(subscriptionChange({ ...basic, pendingChange: downgrade }, { ...basic, pendingChange: { ...downgrade } }, on)).toEqual(nothing);
  expect(subscriptionChange({ ...basic, pendingChange: downgrade }, basic, on)).toEqual(nothing);
});

test('the Free restriction entered and left, by members or by plan; over it on a paid plan is no restriction', () => {
  expect(subscriptionChange(free, { ...free, members: 5 }, on).restriction).toBe('restricted');
  expect(subscriptionChange({ ...free, members: 5 }, free, on).restriction).toBe('unrestricted');
  expect(subscriptionChange(basic, { ...basic, plan: 'free' }, on).restriction).toBe('restricted');
  expect(subscriptionChange({ ...basic, plan: 'free' }, basic, on).restriction).toBe('unrestricted');
  expect(subscriptionChange({ ...free, members: 5 }, { ...free, members: 6 }, on).restriction).toBeNull();
  expect(subscriptionChange(basic, { ...basic, members: 9 }, on).restriction).toBeNull();
});
