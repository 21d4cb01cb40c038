import { expireDueGrants, referralCredits, CreditRefusal, type ReferralCredits } from '../../src/credits';
import { createTestDatabase, type TestDatabase } from '../support/database';

// Referral credits on the real Postgres: earning once, contributing one way, expiring on the exact second.
let testDb: TestDatabase;
let credits: ReferralCredits;

beforeAll(async () => {
  testDb = await createTestDatabase();
  credits = referralCredits({ db: testDb.db, now: () => new Date('2026-06-01T09:00:00Z') });
  await testDb.db('teams').insert([{ id: 'team-a', name: 'A' }, { id: 'team-b', name: 'B' }]);
});
afterAll(() => testDb.drop());

const register = (registeredUserId: string, inviterUserId: string, registeredAt: string) =>
  credits.rewardReferral({ registeredUserId, inviterUserId, channel: 'team', registeredAt });
const kinds = async (holder: { userId: string } | { teamId: string }) =>
  (await credits.history(holder, { limit: 50 })).entries.map((e) => [e.kind, e.amount]);

test('a registration rewards the inviter 1000 once: the same event again, or another invitation of the same user, earns nothing', async () => {
  const first = await register('newcomer-1', 'alice', '2026-03-10T12:00:00Z');
  const again = await register('newcomer-1', 'alice', '2026-03-10T12:00:00Z');
  const otherInvitation = await credits.rewardReferral({ registeredUserId: 'newcomer-1', inviterUserId: 'bob', channel: 'referral_link', registeredAt: '2026-03-11T08:00:00Z' });
  expect(first).toMatchObject({ rewarded: true, inviterUserId: 'alice', amount: 1000, expiresAt: '2029-12-31T23:59:59Z' });
  expect(again).toEqual({ ...first, rewarded: false });
  expect(otherInvitation).toEqual({ ...first, rewarded: false });
  expect(await credits.holdings({ userId: 'alice' })).toMatchObject({ balance: 1000 });
  expect(await credits.holdings({ userId: 'bob' })).toEqual({ balance: 0, grants: [] });
  expect(await kinds({ userId: 'alice' })).toEqual([['acquired', 1000]]);
});

test('a contribution larger than what the user holds is refused, and nothing moves', async () => {
  await register('newcomer-2', 'carol', '2026-02-01T00:00:00Z');
  const refusal = await credits.contribute({ userId: 'carol', teamId: 'team-a', contributionId: 'c-1', amount: 1001 }).catch((e: unknown) => e);
  expect(refusal).toBeInstanceOf(CreditRefusal);
  expect(refusal).toMatchObject({ code: 'insufficient_credits', details: { available: 1000, asked: 1001 } });
  expect(await credits.holdings({ userId: 'carol' })).toMatchObject({ balance: 1000 });
  expect(await credits.holdings({ teamId: 'team-a' })).toEqual({ balance: 0, grants: [] });
  // The refused request left no trace: the same id may be used again for what the user holds.
  await expect(credits.contribute({ userId: 'carol', teamId: 'team-a', contributionId: 'c-1', amount: 1000 })).resolves.toMatchObject({ amount: 1000 });
});

test('contributing takes the soonest-expiring grants first, keeps their expiry, goes one way and happens once per id', async () => {
  await register('newcomer-3', 'dave', '2027-05-01T00:00:00Z'); // expires end of 2030
  await register('newcomer-4', 'dave', '2026-11-30T00:00:00Z'); // expires end of 2029
  const contribution = await credits.contribute({ userId: 'dave', teamId: 'team-b', contributionId: 'form-42', amount: 1500 });
  expect(contribution.parts.map((p) => [p.amount, p.expiresAt])).toEqual([[1000, '2029-12-31T23:59:59Z'], [500, '2030-12-31T23:59:59Z']]);
  const replay = await credits.contribute({ userId: 'dave', teamId: 'team-b', contributionId: 'form-42', amount: 1500 });
  expect(replay).toMatchObject({ replayed: true, amount: 1500 });
  expect(replay.parts.map((p) => p.grantId).sort()).toEqual(contribution.parts.map((p) => p.grantId).sort());

  expect(await credits.holdings({ userId: 'dave' })).toEqual({ balance: 500, grants: [expect.objectContaining({ remaining: 500, expiresAt: '2030-12-31T23:59:59Z' })] });
  expect(await credits.holdings({ teamId: 'team-b' })).toMatchObject({ balance: 1500 });
  expect(await kinds({ teamId: 'team-b' })).toEqual([['contributed', 500], ['contributed', 1000]]);
  expect(await kinds({ userId: 'dave' })).toEqual([['contributed', 500], ['contributed', 1000], ['acquired', 1000], ['acquired', 1000]]);
  // The same id for another amount is a different request: refused, not answered for the first.
  await expect(credits.contribute({ userId: 'dave', teamId: 'team-b', contributionId: 'form-42', amount: 10 })).rejects.toMatchObject({ code: 'key_reused' });
});

test('a contribution to a team that does not exist is refused', async () => {
  await expect(credits.contribute({ userId: 'alice', teamId: 'team-none', contributionId: 'x', amount: 1 })).rejects.toMatchObject({ code: 'unknown_team' });
});

test('credits expire on the exact boundary: usable at Dec 31 23:59:59 UTC, expired at Jan 1 00:00:00, written to the history', async () => {
  await register('newcomer-5', 'erin', '2026-07-04T15:00:00Z');
  await credits.contribute({ userId: 'erin', teamId: 'team-a', contributionId: 'half', amount: 400 });
  expect(await expireDueGrants(testDb.db, '2029-12-31T23:59:59Z', 100)).toEqual({ grants: 0, amount: 0, more: false });
  const swept = await expireDueGrants(testDb.db, '2030-01-01T00:00:00Z', 100);
  expect(swept.grants).toBeGreaterThanOrEqual(2); // erin's 600 and team-a's 400 (and the other 2026 grants)
  expect(await kinds({ userId: 'erin' })).toEqual([['expired', 600], ['contributed', 400], ['acquired', 1000]]);
  const teamExpiry = (await credits.history({ teamId: 'team-a' }, { limit: 10 })).entries.filter((e) => e.kind === 'expired');
  expect(teamExpiry.map((e) => [e.amount, e.at, e.userId])).toEqual([[400, '2029-12-31T23:59:59Z', null], [1000, '2029-12-31T23:59:59Z', null]]);
  // A second sweep finds nothing left to expire.
  expect(await expireDueGrants(testDb.db, '2030-01-02T00:00:00Z', 100)).toMatchObject({ grants: 0 });
});

test('history pages run newest first and end', async () => {
  const page1 = await credits.history({ userId: 'dave' }, { limit: 3 });
  expect(page1.entries).toHaveLength(3);
  const page2 = await credits.history({ userId: 'dave' }, { limit: 3, before: page1.next as number });
  expect(page2).toMatchObject({ next: null });
  expect([...page1.entries, ...page2.entries].map((e) => e.kind)).toEqual(['contributed', 'contributed', 'acquired', 'acquired']);
});
