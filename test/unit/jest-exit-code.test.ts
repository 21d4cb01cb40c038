import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// CI believes `npm test`'s exit code, so a failed test must make Jest exit non-zero with this project's own
// configuration (its reporters, forceExit and the open-handles teardown). It once exited 0: the teardown's unref'd
// timer let Node end the run before Jest set its code. Each probe is a test file run by a second Jest.
const root = join(__dirname, '../..');

function runProbe(body: string): { status: number | null; output: string } {
  const file = join(root, 'test/unit', `exit-code-probe-${process.pid}.test.ts`);
  writeFileSync(file, body);
  try {
    const run = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '--runInBand', file], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

test('a failing test makes the run exit 1', () => {
  const { status, output } = runProbe("test('fails on purpose', () => { expect(1 + 1).toBe(3); });\n");
  expect(output).toMatch(/tests: 0 passed, 1 failed, 0 skipped/);
  expect(status).toBe(1);
});

test('a passing run exits 0', () => {
  const { status, output } = runProbe("test('passes', () => { expect(1 + 1).toBe(2); });\n");
  expect(output).toMatch(/tests: 1 passed, 0 failed, 0 skipped/);
  expect(status).toBe(0);
});
