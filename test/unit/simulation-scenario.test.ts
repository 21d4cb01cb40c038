import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../src/simulation/scenario';

const base = { start: '2026-05-06', until: '2026-07-01', team: { members: 10, credits: 3000 } };
const trial = { on: '2026-05-06', action: 'startTrial', plan: 'basic', interval: 'month' };

test('the scenario of the simulation spec validates, with its defaults', () => {
  const parsed = parseScenario({ ...base, events: [trial, { on: '2026-05-25', action: 'addMembers', count: 1 }] });
  expect(parsed).toEqual({
    ok: true,
    scenario: { ...base, team: { members: 10, country: 'US', credits: 3000, balance: 0 }, events: [trial, { on: '2026-05-25', action: 'addMembers', count: 1 }] },
  });
});

test('coupons, redeemCode and publishPrice validate (section 14)', () => {
  const coupons = [{ code: 'LAUNCH20', percentOff: 20, duration: 'repeating', months: 3 }];
  const events = [{ on: '2026-05-06', action: 'redeemCode', code: 'launch20' }, { on: '2026-05-07', action: 'publishPrice', plan: 'basic', interval: 'month', amount: 1500, grandfather: true }];
  expect(parseScenario({ ...base, coupons, events })).toMatchObject({ ok: true, scenario: { coupons, events } });
});

test.each([
  ['an unknown action', { ...base, events: [{ on: '2026-05-06', action: 'teleport' }] }, 'events[0].action', /unknown action/],
  ['an impossible count', { ...base, events: [{ on: '2026-05-06', action: 'addMembers', count: 0 }] }, 'events[0].count', /0/],
  ['a fractional count', { ...base, events: [{ on: '2026-05-06', action: 'removeMembers', count: 1.5 }] }, 'events[0].count', /expected int/],
  ['dates out of order', { ...base, events: [{ ...trial, on: '2026-05-09' }, { on: '2026-05-08', action: 'cancel' }] }, 'events[1].on', /before the previous event/],
  ['an event after until', { ...base, events: [{ ...trial, on: '2026-07-01' }] }, 'events[0].on', /\[start, until\)/],
  ['until before start', { ...base, until: '2026-05-01' }, 'until', /after start/],
  ['a day that does not exist', { ...base, start: '2026-02-30' }, 'start', /calendar day/],
  ['an unknown plan', { ...base, events: [{ ...trial, plan: 'platinum' }] }, 'events[0].plan', /./],
  ['a field the action does not take', { ...base, events: [{ ...trial, count: 2 }] }, 'events[0]', /count/],
  ['changePlan with nothing to change', { ...base, events: [{ on: '2026-05-06', action: 'changePlan' }] }, 'events[0].plan', /plan, an interval/],
  ['a bank transfer on or after until, which the run would never reach', {
    ...base, events: [{ on: '2026-05-06', action: 'buySeats', plan: 'basic', seats: 3, invoiceFirst: true, payOn: '2026-07-01' }],
  }, 'events[0].payOn', /before until \(2026-07-01\)/],
  ['negative credits', { ...base, team: { members: 1, credits: -5 } }, 'team.credits', /./],
  ['a coupon both percent and amount off', { ...base, coupons: [{ code: 'X', percentOff: 10, amountOff: 100, duration: 'once' }] }, 'coupons[0].percentOff', /exactly one/],
  ['a repeating coupon without months', { ...base, coupons: [{ code: 'X', percentOff: 10, duration: 'repeating' }] }, 'coupons[0].months', /months/],
  ['a percent off over 100', { ...base, coupons: [{ code: 'X', percentOff: 120, duration: 'forever' }] }, 'coupons[0].percentOff', /./],
  ['redeemCode without a code', { ...base, events: [{ on: '2026-05-06', action: 'redeemCode' }] }, 'events[0].code', /./],
  ['a price published for a plan sold by seats', { ...base, events: [{ on: '2026-05-06', action: 'publishPrice', plan: 'enterprise', interval: 'month', amount: 100 }] }, 'events[0].plan', /./],
])('%s is refused, naming the field', (_what, scenario, field, message) => {
  const parsed = parseScenario(scenario);
  expect(parsed.ok).toBe(false);
  if (parsed.ok) return;
  const problem = parsed.problems.find((p) => p.field === field);
  expect(problem?.message).toMatch(message);
});

test('npm run simulate exits 2 with the field named for a bad scenario, and prints nothing on stdout', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'scenario-')), 'bad.json');
  writeFileSync(file, JSON.stringify({ ...base, events: [{ on: '2026-05-06', action: 'addMembers', count: -3 }] }));
  const root = join(__dirname, '../..');
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/simulate.ts'), file], (error, stdout, stderr) =>
      resolve({ code: error ? (error as { code?: number }).code ?? null : 0, stdout, stderr }),
    );
  });
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(JSON.parse(result.stderr)).toEqual({ title: 'invalid scenario', errors: [{ field: 'events[0].count', message: expect.any(String) }] });
}, 60_000);
