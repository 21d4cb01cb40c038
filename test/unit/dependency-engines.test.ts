import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies, valid } from 'semver';

// `npm install` warns EBADENGINE when a package's `engines.node` refuses the running Node. The README names the
// Node versions CI has run; every package the lock file installs must admit each of them.
const root = join(__dirname, '../..');

function nodeVersionsCiHasRun(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const sentence = /CI has run Node ([0-9., and]+)/.exec(readme)?.[1] ?? '';
  return sentence.split(/,|\band\b/).map((v) => v.trim().replace(/\.$/, '')).filter((v) => valid(v) !== null);
}

interface LockedPackage { version?: string; engines?: { node?: string } | string[] }

test('the README names the Node versions CI has run', () => {
  expect(nodeVersionsCiHasRun()).toContain('20.20.2');
});

test("every locked package's engines.node admits each Node version CI has run", () => {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as LockedPackage;
  const packages: [string, LockedPackage][] = [['package.json', manifest], ...Object.entries(lock.packages)];
  const refusing = nodeVersionsCiHasRun().flatMap((node) =>
    packages
      .map(([name, pkg]) => ({ name, range: Array.isArray(pkg.engines) ? undefined : pkg.engines?.node }))
      .filter(({ range }) => range !== undefined && !satisfies(node, range, { includePrerelease: true }))
      .map(({ name, range }) => `${name} requires node ${range} (CI runs ${node})`),
  );
  expect(refusing).toEqual([]);
});
