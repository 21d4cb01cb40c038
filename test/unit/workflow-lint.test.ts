import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

// The lint rule that keeps workflow code deterministic, run by the real ESLint CLI on probe files placed in the
// tree: one file per forbidden thing, plus files that must stay clean. One ESLint run for all of them.
const root = join(__dirname, '../..');

const probes: { name: string; dir: string; code: string; expected: RegExp | null }[] = [
  { name: 'node-builtin', dir: 'src/workflows', code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", expected: /no Node modules/ },
  { name: 'bare-builtin', dir: 'src/workflows', code: "import { join } from 'path';\nexport const f = join;\n", expected: /no Node modules/ },
  { name: 'knex', dir: 'src/workflows', code: "import knex from 'knex';\nexport const k = knex;\n", expected: /no I\/O/ },
  { name: 'pg', dir: 'src/workflows', code: "import { Pool } from 'pg';\nexport const p = Pool;\n", expected: /no I\/O/ },
  { name: 'stripe', dir: 'src/workflows', code: "import Stripe from 'stripe';\nexport const s = Stripe;\n", expected: /no I\/O/ },
  { name: 'express', dir: 'src/workflows', code: "import express from 'express';\nexport const e = express;\n", expected: /no I\/O/ },
  { name: 'activity-value', dir: 'src/workflows', code: "import { createBillingActivities } from '../activities';\nexport const a = createBillingActivities;\n", expected: /by type only/ },
  { name: 'math-random', dir: 'src/workflows', code: 'export const r = Math.random();\n', expected: /no Math.random/ },
  { name: 'activity-type', dir: 'src/workflows', code: "import type { BillingActivities } from '../activities';\nexport type A = BillingActivities;\n", expected: null },
  { name: 'node-in-activities', dir: 'src/activities', code: "import { join } from 'node:path';\nexport const f = join;\n", expected: null },
];

let messages: Map<string, string>;

beforeAll(async () => {
  const files = probes.map((probe) => join(root, probe.dir, `lint-probe-${probe.name}-${process.pid}.ts`));
  probes.forEach((probe, i) => writeFileSync(files[i]!, probe.code));
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/eslint'), ['--format', 'json', ...files], { cwd: root }));
  } catch (error) {
    stdout = (error as { stdout: string }).stdout;
  } finally {
    files.forEach((file) => rmSync(file, { force: true }));
  }
  const results = JSON.parse(stdout) as { filePath: string; messages: { message: string }[] }[];
  messages = new Map(results.map((r) => [relative(root, r.filePath), r.messages.map((m) => m.message).join('\n')]));
  messages = new Map(probes.map((probe, i) => [probe.name, messages.get(relative(root, files[i]!)) ?? '']));
}, 120_000);

test.each(probes.filter((p) => p.expected).map((p) => [p.name, p.expected!] as const))(
  'workflow code may not use %s',
  (name, expected) => {
    expect(messages.get(name)).toMatch(expected);
  },
);

test('workflow code may import activities by type, and activity code may use Node modules', () => {
  expect(messages.get('activity-type')).toBe('');
  expect(messages.get('node-in-activities')).toBe('');
});
