import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openIsolatedLedger, type IsolatedLedger } from '../../src/simulation/isolated-ledger';
import { SimulationEngine } from '../../src/simulation/engine';
import { simulate } from '../../src/simulation/run';
import { parseScenario } from '../../src/simulation/scenario';
import { teamWorkflowId } from '../../src/workflows';

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
    'a2-member-removed-annual', 'u1-upgrade-monthly', 'u2-upgrade-annual', 's1-monthly-to-annual', 's2-annual-to-monthly', 'd1-downgrade-monthly',
    'x1-consumer-germany', 'x2-business-france', 'x3-member-removed-germany', 'x4-upgrade-germany', 'x5-member-added-netherlands',
    'c1-coupon-percent-repeating', 'c2-coupon-amount-once', 'c3-coupon-germany', 'p1-price-change-monthly', 'p2-subscribe-after-price-published']));
});

/**
 * Document numbers run gapless across the one ledger the examples share, while an expected report numbers its own
 * documents from 000001 (as `npm run simulate` does on its own ledger): each expected number is moved on by what
 * the ledger's series had issued in that year before the example ran.
 */
async function numberedAfterWhatCameBefore(): Promise<<T>(expected: T) => T> {
  const rows = (await ledger.db('document_sequences').select('series', 'year', 'last_number')) as { series: string; year: number; last_number: number }[];
  const before = new Map(rows.map((row) => [`${row.series}-${row.year}`, row.last_number]));
  const shift = (number: string) => {
    const [, series, sequence] = /^(.+-\d{4})-(\d{6})$/.exec(number) ?? [];
    if (!series || !sequence) throw new Error(`not a document number: ${number}`);
    return `${series}-${(Number(sequence) + (before.get(series) ?? 0)).toString().padStart(6, '0')}`;
  };
  return (expected) => JSON.parse(JSON.stringify(expected), (key, value: unknown) =>
    (key === 'number' || key === 'invoice') && typeof value === 'string' ? shift(value) : value) as typeof expected;
}

test.each(examples)('%s produces its expected report', async (name) => {
  // Each example on the catalog its own ledger starts with (version 1 of each price, the seeds): a price an earlier
  // example published (P1, P2) is not in force for a later one's change of plan or interval (S2's switch at term end).
  await ledger.db('catalog_prices').where('version', '>', 1).del();
  const numbered = await numberedAfterWhatCameBefore();
  // A refund's `invoice` names a number of the example's own ledger: moved on the same way.
  const parsed = parseScenario(numbered(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.problems)}`);
  const expected = numbered(JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')));
  const report = await simulate(engine, parsed.scenario, { teamId: name });
  // Its team stops here, so the next example's days issue no documents of this one in between its own.
  await engine.env.client.workflow.getHandle(teamWorkflowId(name)).terminate('example reported');
  expect(report.invoices).toEqual(expected.invoices);
  expect(report.creditNotes).toEqual(expected.creditNotes);
  expect(report.balance).toEqual(expected.balance);
  expect(report.notifications).toEqual(expected.notifications);
  expect(report.final).toEqual(expected.final);
  for (const invoice of report.invoices) {
    expect(invoice.total).toBe(invoice.lines.reduce((sum, line) => sum + line.amount, 0) + invoice.tax);
    if (invoice.status === 'paid') expect(invoice.total).toBe(invoice.balanceApplied + invoice.creditsApplied + invoice.charged);
  }
  for (const note of report.creditNotes) expect(note.total).toBe(note.lines.reduce((sum, line) => sum + line.amount, 0) + note.tax);
}, 120_000);
