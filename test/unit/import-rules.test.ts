import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

// The import rules of .dependency-cruiser.cjs, run by the real depcruise CLI over src/ with probe files placed in
// the tree: one probe (or pair) per rule broken on purpose, and probes that must stay clean. One run for all.
const root = join(__dirname, '../..');
const tag = `import-probe-${process.pid}`;

interface Probe { name: string; dir: string; code: string; breaks: string | null }

const probes: Probe[] = [
  { name: 'domain-imports-ledger', dir: 'src/domain', code: "import { newId } from '../ledger/rows';\nexport const id = newId;\n", breaks: 'domain-is-pure' },
  { name: 'domain-imports-knex', dir: 'src/domain', code: "import knex from 'knex';\nexport const k = knex;\n", breaks: 'domain-is-pure' },
  { name: 'ledger-imports-temporal', dir: 'src/ledger', code: "import { Context } from '@temporalio/activity';\nexport const c = Context;\n", breaks: 'ledger-knows-no-temporal-or-http' },
  { name: 'ledger-imports-activities', dir: 'src/ledger', code: "import { nonRetryable } from '../activities/failures';\nexport const n = nonRetryable;\n", breaks: 'ledger-knows-no-temporal-or-http' },
  { name: 'workflow-imports-activity-code', dir: 'src/workflows', code: "import { createBillingActivities } from '../activities';\nexport const a = createBillingActivities;\n", breaks: 'workflows-import-domain-and-activity-types' },
  { name: 'workflow-imports-ledger-type', dir: 'src/workflows', code: "import type { DbOrTrx } from '../ledger/rows';\nexport type D = DbOrTrx;\n", breaks: 'workflows-import-no-layer-above' },
  { name: 'activities-import-api', dir: 'src/activities', code: "import { apiContext } from '../api/context';\nexport const c = apiContext;\n", breaks: 'nothing-imports-api-or-portal-from-below' },
  { name: 'portal-imports-api-internals', dir: 'src/portal', code: "import { operation } from '../api/operation';\nexport const o = operation;\n", breaks: 'portal-uses-the-api-client-only' },
  { name: 'documents-import-portal', dir: 'src/documents', code: "import { page } from '../portal/layout';\nexport const p = page;\n", breaks: 'documents-draw-from-the-domain' },
  { name: 'runtime-cycle-a', dir: 'src/payments', code: `import { b } from './${tag}-runtime-cycle-b';\nexport const a = (): number => b() + 1;\n`, breaks: 'no-runtime-cycles' },
  { name: 'runtime-cycle-b', dir: 'src/payments', code: `import { a } from './${tag}-runtime-cycle-a';\nexport const b = (): number => a() - 1;\n`, breaks: 'no-runtime-cycles' },
  { name: 'type-cycle-a', dir: 'src/webhooks', code: `import type { B } from './${tag}-type-cycle-b';\nexport interface A { b?: B }\n`, breaks: 'cycles-only-between-activities-and-workflow-messages' },
  { name: 'type-cycle-b', dir: 'src/webhooks', code: `import type { A } from './${tag}-type-cycle-a';\nexport interface B { a?: A }\n`, breaks: 'cycles-only-between-activities-and-workflow-messages' },
  // What the rules allow: a workflow's activity types, the ledger under activities, the domain under the ledger.
  { name: 'workflow-activity-types', dir: 'src/workflows', code: "import type { BillingActivities } from '../activities';\nexport type A = BillingActivities;\n", breaks: null },
  { name: 'activities-use-ledger', dir: 'src/activities', code: "import { newId } from '../ledger/rows';\nexport const id = newId;\n", breaks: null },
  { name: 'api-draws-documents', dir: 'src/api', code: "import { invoicePdf } from '../documents/invoice-pdf';\nexport const pdf = invoicePdf;\n", breaks: null },
  { name: 'ledger-uses-domain', dir: 'src/ledger', code: "import { isCents } from '../domain/money';\nexport const cents = isCents;\n", breaks: null },
];

const fileOf = (probe: Probe) => `${probe.dir}/${tag}-${probe.name}.ts`;

interface Violation { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }
let violations: Violation[];

beforeAll(async () => {
  probes.forEach((probe) => writeFileSync(join(root, fileOf(probe)), probe.code));
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/depcruise'), ['src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd: root, maxBuffer: 256 * 1024 * 1024 }));
  } catch (error) {
    stdout = (error as { stdout: string }).stdout;
  } finally {
    probes.forEach((probe) => rmSync(join(root, fileOf(probe)), { force: true }));
  }
  violations = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}, 180_000);

const brokenBy = (probe: Probe) => violations.filter((v) => v.from === fileOf(probe) || v.to === fileOf(probe)).map((v) => v.rule.name);

test.each(probes.filter((probe) => probe.breaks !== null))('a probe that breaks $breaks fails the check ($name)', (probe) => {
  expect(brokenBy(probe)).toContain(probe.breaks);
});

test.each(probes.filter((probe) => probe.breaks === null))('what the rules allow passes them ($name)', (probe) => {
  expect(brokenBy(probe)).toEqual([]);
});

test('the source tree itself breaks no rule', () => {
  const probeFiles = new Set(probes.map(fileOf));
  expect(violations.filter((v) => !probeFiles.has(v.from) && !probeFiles.has(v.to))).toEqual([]);
});
