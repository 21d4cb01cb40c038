// POST /v1/simulations cannot hurt production: who may run one, caps, one at a time per caller, and a throwaway
// ledger that is never on the ledger's own Postgres server unless SIMULATION_DATABASE_URL says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;
const m1 = JSON.parse(readFileSync(join(__dirname, '../../examples/m1-member-added-monthly.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  api = await ApiHarness.start({ env: { SIMULATION_MAX_DAYS: '400', SIMULATION_MAX_EVENTS: '5' } });
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(180_000);

/** The names of the databases on the ledger's Postgres server whose name says they are a simulation's. */
async function simulationDatabases(): Promise<string[]> {
  const rows = (await api.db('pg_database').where('datname', 'like', 'simulation_%').select('datname')) as { datname: string }[];
  return rows.map((row) => row.datname);
}

test('a user with no role that may change a plan is refused; a team owner may simulate', async () => {
  const stranger = await api.createUser('stranger');
  const refused = await api.call(api.withToken(stranger.token), 'post', '/v1/simulations', m1).expect(403);
  expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);

  const owner = await api.createUser('owner');
  await api.createTeam(owner.id);
  const report = await api.call(api.withToken(owner.token), 'post', '/v1/simulations', m1).expect(200);
  expect(report.body.invoices.map((invoice: { total: number }) => invoice.total)).toEqual([12000, 14206]);
});

test.each([
  ['a span over SIMULATION_MAX_DAYS', { ...m1, until: '2027-07-01' }, 'body.until', /at most 400 days/],
  ['more events than SIMULATION_MAX_EVENTS', { ...m1, events: Array.from({ length: 6 }, () => ({ on: '2026-05-25', action: 'addMembers', count: 1 })) }, 'body.events', /at most 5 events/],
  ['days that are no calendar days (a 500 once: the span cap counted them)', { ...m1, start: '\tµ', until: 'Ó¹' }, 'body.start', /calendar day/],
  ['a bank transfer on or after until', {
    ...m1, events: [{ on: '2026-05-20', action: 'buySeats', plan: 'basic', seats: 10, invoiceFirst: true, payOn: '2026-06-21' }],
  }, 'body.events.0.payOn', /before until/],
])('%s is refused with 400 naming the field', async (_what, scenario, field, message) => {
  const res = await api.call(api.platform(), 'post', '/v1/simulations', scenario).expect(400);
  expect(res.body.errors).toContainEqual({ field, message: expect.stringMatching(message) });
});

test('one simulation at a time per caller (429 with Retry-After), and none on the ledger\'s Postgres server', async () => {
  const seen = new Set<string>();
  let running = true;
  const watching = (async () => {
    while (running) {
      for (const name of await simulationDatabases()) seen.add(name);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  // Two runs of one caller at once: whichever arrives second finds the caller's slot taken.
  const both = await Promise.all([1, 2].map(() => api.call(api.platform(), 'post', '/v1/simulations', m1)));
  expect(both.map((res) => res.status).sort()).toEqual([200, 429]);
  const busy = both.find((res) => res.status === 429)!;
  expect(busy.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
  expect(busy.body).toMatchObject({ status: 429, code: 'simulation_busy' });
  running = false;
  await watching;
  expect([...seen]).toEqual([]);
  // The slot is free again once the run has answered.
  await api.call(api.platform(), 'post', '/v1/simulations', { ...m1, until: '2026-05-21', events: [] }).expect(200);
});
