import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openIsolatedLedger, type IsolatedLedger } from '../../src/simulation/isolated-ledger';
import { SimulationEngine } from '../../src/simulation/engine';
import { simulate } from '../../src/simulation/run';
import { parseScenario } from '../../src/simulation/scenario';

// Every scenario in examples/ through the real workflows and activities, against its expected report: the worked
// examples of billing-rules.md end to end, to the cent. One engine for all of them; each team keeps its own calendar.
const dir = join(__dirname, '../../examples');
const examples = readdirSync(dir)
  .filter((file) => file.endsWith('.json') && !file.endsWith('.expected.json'))
  .map((file) => file.replace(/\.json$/, ''));

let ledger: IsolatedLedger;
let engine: SimulationEngine;

beforeAll(async () => {
  ledger = await openIsolatedLedger();
  engine = await SimulationEngine.start({ db: ledger.db });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  await ledger?.close();
});

test('there is an example for each worked example of the rules', () => {
  expect(examples).toEqual(expect.arrayContaining(['t1-trial', 'm1-member-added-monthly', 'm2-member-removed-monthly', 'a1-member-added-annual',
    'a2-member-removed-annual', 'u1-upgrade-monthly', 'u2-upgrade-annual', 's1-monthly-to-annual', 's2-annual-to-monthly', 'd1-downgrade-monthly']));
});

test.each(examples)('%s produces its expected report', async (name) => {
  const parsed = parseScenario(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.problems)}`);
  const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8'));
  const report = await simulate(engine, parsed.scenario, { teamId: name });
  expect(report.invoices).toEqual(expected.invoices);
  expect(report.balance).toEqual(expected.balance);
  expect(report.notifications).toEqual(expected.notifications);
  expect(report.final).toEqual(expected.final);
  for (const invoice of report.invoices) {
    expect(invoice.total).toBe(invoice.lines.reduce((sum, line) => sum + line.amount, 0));
    if (invoice.status === 'paid') expect(invoice.total).toBe(invoice.balanceApplied + invoice.creditsApplied + invoice.charged);
  }
}, 120_000);
