// An outside fuzzer against the API (issue #25): schemathesis, from PyPI, reads /openapi.json and sends every
// operation generated requests with a user's token; no answer may be a server error (5xx), not even after fifty
// callers hammer `POST /v1/simulations` at once (each gets its report or a 429 with Retry-After, none a 5xx).
// Examples per operation: SCHEMATHESIS_EXAMPLES, 5 unless told (by hand: 100 or more).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveSchemathesis } from '../../src/infra/schemathesis';
import { ApiHarness } from '../support/api-harness';

const EXAMPLES = Number(process.env.SCHEMATHESIS_EXAMPLES ?? 5);
const CALLERS = 50;

let api: ApiHarness;
let server: Server;
let baseUrl: string;
let schemathesis: string;

beforeAll(async () => {
  schemathesis = await resolveSchemathesis(); // provisioned by `npm test`; a failure here names what is missing
  api = await ApiHarness.start(); // SIMULATIONS_AT_ONCE 2: the hammer meets both kinds of 429 (yours, and the engine's)
  server = api.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await api?.teardown();
}, 60_000);

jest.setTimeout(Math.max(900_000, EXAMPLES * 120_000));

/** Section 2's Basic monthly for three members, one renewal: a small real run. */
const SCENARIO = {
  start: '2026-05-20', until: '2026-06-25', team: { members: 3 },
  events: [{ on: '2026-05-20', action: 'subscribe', plan: 'basic', interval: 'month' }],
};

/**
 * Runs schemathesis to its end as the owner of `teamId`; its exit code and what it printed. The team's routes get
 * the owner's own team as `teamId` (a random one is only ever a 404), so their bodies reach the billing code.
 */
function fuzz(token: string, teamId: string): Promise<{ code: number | null; output: string }> {
  const config = join(mkdtempSync(join(tmpdir(), 'seatbill-schemathesis-')), 'schemathesis.toml');
  writeFileSync(config, `[parameters]\n"path.teamId" = ${JSON.stringify(teamId)}\n`);
  const args = [
    '--config-file', config, 'run', `${baseUrl}/openapi.json`, '--url', baseUrl, '--header', `Authorization: Bearer ${token}`,
    '--checks', 'not_a_server_error', '--max-examples', String(EXAMPLES), '--request-timeout', '60',
    // One worker: with two threads, CPython 3.11 once failed inside schemathesis itself ("SystemError: AST
    // constructor recursion depth mismatch"), a fuzzer's crash that says nothing of the API.
    '--workers', '1',
    '--generation-deterministic', '--no-color',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(schemathesis, args);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test(`${CALLERS} callers hammering POST /v1/simulations at once get reports or 429s, and schemathesis then finds no server error`, async () => {
  // Each caller may run simulations: a user whose role on a team allows plan changes (section 11).
  const callers = await Promise.all(Array.from({ length: CALLERS }, async (_, i) => {
    const user = await api.createUser(`hammer-${i}`);
    return { ...user, teamId: await api.createTeam(user.id) };
  }));
  const answers = await Promise.all(callers.map((caller) => api.call(api.withToken(caller.token), 'post', '/v1/simulations', SCENARIO)));
  const statuses = answers.map((answer) => answer.status);
  expect(answers.filter((answer) => answer.status >= 500).map((answer) => [answer.status, answer.body])).toEqual([]);
  expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
  expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
  for (const busy of answers.filter((answer) => answer.status === 429)) {
    expect(busy.headers['retry-after']).toMatch(/^\d+$/);
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
  }
  // A report: the subscription's invoice of 3 × 1200 and its renewal.
  const report = answers.find((answer) => answer.status === 200)!.body as { invoices: { on: string; total: number }[] };
  expect(report.invoices.map((invoice) => [invoice.on, invoice.total])).toEqual([['2026-05-20', 3600], ['2026-06-20', 3600]]);

  const { code, output } = await fuzz(callers[0]!.token, callers[0]!.teamId);
  const cases = /(\d+) generated, (\d+) passed/.exec(output);
  process.stdout.write(`[schemathesis] ${EXAMPLES} examples per operation, after ${statuses.filter((s) => s === 200).length} reports and ` +
    `${statuses.filter((s) => s === 429).length} × 429: ${cases?.[0] ?? 'no summary'}\n`);
  // Its whole output (progress lines included) is kept for reading; the failure quotes the lines that say what broke.
  const saved = join(__dirname, '../../artifacts/schemathesis');
  mkdirSync(saved, { recursive: true });
  writeFileSync(join(saved, 'output.txt'), output);
  const said = output.split('\n').filter((line) => /❌|FAILED|Failed|failed|Error|error|Server error|\b5\d\d\b/.test(line) && !/━|⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/.test(line));
  if (code !== 0 || !cases) throw new Error(`schemathesis found problems (exit ${code}; its output: artifacts/schemathesis/output.txt):\n${said.slice(0, 80).join('\n')}`);
  expect(Number(cases[1])).toBeGreaterThan(0);
  expect(output).not.toMatch(/[1-9]\d* failed/); // no generated case broke not_a_server_error
});
