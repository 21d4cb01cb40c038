// Fuzzing every route with malformed, oversized and wrongly typed bodies, headers and paths: no 5xx, ever, and a
// refused request leaves no ledger row and no workflow change behind.
import fc from 'fast-check';
import request from 'supertest';
import type { AnyOperation } from '../../src/api/operation';
import { teamWorkflowId } from '../../src/workflows/team-subscription-messages';
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;
let owner: { id: string; token: string };
let teamId: string;
let operations: AnyOperation[];

// Every table of the ledger's schema, read from the database itself, so a new table is watched without a word here;
// only the bookkeeping of the tools: knex's migrations, and the Idempotency-Key store, which keeps a refused POST's
// answer on purpose (its retry gets the same refusal).
const UNWATCHED = ['knex_migrations', 'knex_migrations_lock', 'idempotency_keys'];
let tables: string[];
/** Examples per route: FUZZ_EXAMPLES, 25 unless told. */
const EXAMPLES = Number(process.env.FUZZ_EXAMPLES ?? 25);

beforeAll(async () => {
  api = await ApiHarness.start();
  owner = await api.createUser('owner');
  teamId = await api.createTeam(owner.id);
  operations = api.app.locals.api.operations;
  const listed = (await api.db('information_schema.tables').where({ table_schema: 'public', table_type: 'BASE TABLE' }).select('table_name')) as { table_name: string }[];
  tables = listed.map((row) => row.table_name).filter((table) => !UNWATCHED.includes(table)).sort();
  expect(tables.length).toBeGreaterThan(30);
  // Let the new workflow finish opening (its ledger record), so later history changes are the requests' doing.
  let last = '';
  await api.eventually(async () => {
    const now = await snapshot();
    const settled = now === last && !(await api.state(teamId)).busy;
    last = now;
    return settled ? true : undefined;
  });
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
// About three seconds per example on a busy machine, for every route: eight times that, and never under ten minutes.
jest.setTimeout(Math.max(600_000, EXAMPLES * 24_000));

/** A digest of every row of every watched table (so an update shows, not only an insert), and the team workflow's history length and state. */
async function snapshot(): Promise<string> {
  const counts = await Promise.all(tables.map(async (table) => {
    const { rows } = (await api.db.raw("SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ?? AS t", [table])) as { rows: { n: string; digest: string }[] };
    return [table, rows[0]!.n, rows[0]!.digest];
  }));
  const handle = api.temporal.workflow.getHandle(teamWorkflowId(teamId));
  const { historyLength } = await handle.describe();
  const { today: _today, busy: _busy, ...state } = await api.state(teamId);
  return JSON.stringify({ counts, historyLength, state });
}

const printable = fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));
const pathSegment = fc.oneof(
  fc.constant('__team__'),
  fc.string({ maxLength: 100 }).map(encodeURIComponent),
  fc.constantFrom('%E0%A4%A', '%00', '..', '%2F..%2F', 'a'.repeat(5_000), '%F0%9F%92%A9', '-1', 'null', '__proto__', 'constructor'),
);
const wrongValue = fc.oneof(fc.anything(), fc.string({ maxLength: 300 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 5 }));
const knownFields = ['plan', 'interval', 'userId', 'role', 'name', 'email', 'id', 'billingCountry', 'paymentMethod', 'provider', 'paymentMethodId', 'count', 'addMembers', 'removeMembers', 'label', 'ownerUserId', 'organizationId', '__proto__'];
const body = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom(...knownFields), wrongValue, { maxKeys: 6 }),
  fc.anything(),
  fc.constant({ name: 'x'.repeat(200_000) }), // over the 100 kB limit
  fc.record({ plan: fc.constantFrom('basic', 'professional', 'free', 'enterprise', 'gold', ''), interval: fc.constantFrom('month', 'year', 'week', 1) }, { requiredKeys: [] }),
  printable.map((text) => ({ raw: text })), // not JSON at all
);
const headers = fc.record({
  authorization: fc.oneof(fc.constant('owner'), fc.constant('platform'), printable, printable.map((t) => `Bearer ${t}`)),
  idempotencyKey: fc.option(fc.oneof(fc.uuid(), printable, fc.constant('k'.repeat(300))), { nil: undefined }),
  actingUser: fc.option(fc.oneof(fc.constant('owner'), printable), { nil: undefined }),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
});

type BodyOf = typeof body extends fc.Arbitrary<infer T> ? T : never;
type HeadersOf = typeof headers extends fc.Arbitrary<infer T> ? T : never;

async function send(op: { method: 'get' | 'post' | 'put' | 'delete'; path: string }, sent: BodyOf, h: HeadersOf) {
  let test = request(api.app)[op.method](op.path);
  const auth = h.authorization === 'owner' ? `Bearer ${owner.token}` : h.authorization === 'platform' ? `Bearer ${api.serviceToken}` : h.authorization;
  if (auth) test = test.set('authorization', auth);
  if (h.idempotencyKey !== undefined) test = test.set('idempotency-key', h.idempotencyKey);
  if (h.actingUser) test = test.set('x-acting-user', h.actingUser === 'owner' ? owner.id : h.actingUser);
  if (sent === undefined) return test;
  const raw = typeof sent === 'object' && sent !== null && 'raw' in sent && Object.keys(sent).length === 1;
  let payload: string;
  try {
    payload = raw ? String((sent as { raw: string }).raw) : (JSON.stringify(sent) ?? 'undefined');
  } catch {
    payload = '{"unserializable":'; // a BigInt from fc.anything: send broken JSON instead
  }
  return test.set('content-type', h.contentType).send(payload);
}

test('no request to any route, however malformed, gets a 5xx; a refused one changes nothing', async () => {
  const routes = [...operations.map((op) => ({ method: op.method, path: op.path })), { method: 'post' as const, path: '/v1/webhooks/stripe' }, { method: 'get' as const, path: '/v1/{x}/{y}' }];
  const failures: string[] = [];
  let before = await snapshot();
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(fc.array(pathSegment, { minLength: 3, maxLength: 3 }), body, headers, async (segments, sent, h) => {
        let i = 0;
        const path = route.path.replace(/\{\w+\}/g, () => {
          const segment = segments[i++]!;
          return segment === '__team__' ? teamId : segment;
        });
        const res = await send({ method: route.method, path }, sent, h);
        if (res.status >= 500) failures.push(`${route.method} ${path} → ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400 && !/problem\+json/.test(String(res.headers['content-type']))) failures.push(`${route.method} ${path} → ${res.status} not a problem`);
        if (res.status < 400) await api.recordsWritten(teamId); // a request's records follow its answer by a second
        const after = await snapshot();
        if (res.status >= 400 && after !== before) failures.push(`${route.method} ${path} → ${res.status} yet changed ${before} → ${after}`);
        before = after;
      }),
      { numRuns: EXAMPLES },
    );
  }
  expect(failures).toEqual([]);
});
