import {
  REFERRAL_REWARD,
  acquireCredits,
  contributeCredits,
  creditBalance,
  creditExpiry,
  creditUseEvents,
  expireCredits,
  isGrantExpired,
  mergeGrants,
  takeCredits,
} from '../../../src/domain';

describe('credit expiry: end of the third calendar year after acquisition', () => {
  test.each([
    ['2026-01-01', '2029-12-31T23:59:59Z'],
    ['2026-05-06', '2029-12-31T23:59:59Z'],
    ['2026-12-31', '2029-12-31T23:59:59Z'],
    ['2026-12-31T23:59:59Z', '2029-12-31T23:59:59Z'],
    ['2027-01-01T00:00:00Z', '2030-12-31T23:59:59Z'],
    ['2028-02-29', '2031-12-31T23:59:59Z'],
  ])('acquired %s → expires %s', (acquired, expires) => {
    expect(creditExpiry(acquired)).toBe(expires);
  });

  const grant = acquireCredits('r1', REFERRAL_REWARD, '2026-05-06').grant;
  test.each([
    ['2029-12-31', false],
    ['2029-12-31T23:59:58Z', false],
    ['2029-12-31T23:59:59Z', false],
    ['2029-12-31T23:59:59.999Z', false],
    ['2030-01-01T00:00:00Z', true],
    ['2030-01-01', true],
  ])('at %s expired = %p', (now, expired) => {
    expect(isGrantExpired(grant, now)).toBe(expired);
    expect(creditBalance([grant], now)).toBe(expired ? 0 : 1000);
  });
});

describe('acquire, contribute, use, expire', () => {
  const a = acquireCredits('a', 1000, '2026-02-01');
  const b = acquireCredits('b', 1000, '2027-03-01');

  test('acquisition is recorded', () => {
    expect(a.grant).toEqual({ id: 'a', amount: 1000, acquiredOn: '2026-02-01', expiresAt: '2029-12-31T23:59:59Z' });
    expect(a.event).toEqual({ kind: 'acquired', grantId: 'a', amount: 1000, at: '2026-02-01' });
    expect(() => acquireCredits('z', 0, '2026-01-01')).toThrow(RangeError);
  });

  test('contributing takes the soonest-expiring credits first and keeps their expiry', () => {
    const r = contributeCredits([b.grant, a.grant], 1500, '2027-06-01');
    if (!r.ok) throw new Error(r.message);
    expect(r.contributed).toEqual([
      { id: 'a', amount: 1000, acquiredOn: '2026-02-01', expiresAt: '2029-12-31T23:59:59Z' },
      { id: 'b', amount: 500, acquiredOn: '2027-03-01', expiresAt: '2030-12-31T23:59:59Z' },
    ]);
    expect(r.user).toEqual([{ ...b.grant, amount: 500 }]);
    expect(r.events.map((e) => [e.kind, e.grantId, e.amount])).toEqual([['contributed', 'a', 1000], ['contributed', 'b', 500]]);
  });

  test('contributing more than available is refused', () => {
    expect(contributeCredits([a.grant], 1500, '2027-06-01')).toMatchObject({ ok: false, error: 'insufficient_credits', available: 1000 });
    expect(contributeCredits([a.grant], 500, '2030-01-01')).toMatchObject({ ok: false, available: 0 });
  });

  test('contributions merge into the team’s grants', () => {
    const team = mergeGrants([{ ...a.grant, amount: 200 }], [{ ...a.grant, amount: 300 }, b.grant]);
    expect(team.map((g) => [g.id, g.amount])).toEqual([['a', 500], ['b', 1000]]);
  });

  test('use takes at most what is usable and records it', () => {
    const r = takeCredits([a.grant, b.grant], 2500, '2026-06-01');
    expect(r.taken).toBe(2000);
    expect(r.grants.map((g) => g.amount)).toEqual([0, 0]);
    expect(creditUseEvents(r.uses, '2026-06-01')).toEqual([
      { kind: 'used', grantId: 'a', amount: 1000, at: '2026-06-01' },
      { kind: 'used', grantId: 'b', amount: 1000, at: '2026-06-01' },
    ]);
  });

  test('expiry removes expired grants and records the amount lost', () => {
    const r = expireCredits([a.grant, b.grant, { ...acquireCredits('c', 5, '2025-01-01').grant, amount: 0 }], '2030-01-01T00:00:00Z');
    expect(r.grants).toEqual([b.grant]);
    expect(r.events).toEqual([{ kind: 'expired', grantId: 'a', amount: 1000, at: '2029-12-31T23:59:59Z' }]);
  });
});
