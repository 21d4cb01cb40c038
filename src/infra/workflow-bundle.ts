import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from './cache';

const root = resolve(__dirname, '../..');
/** Everything the workflow bundle is made of: workflow code, the domain it computes with, and the SDK version. */
const sources = [join(root, 'src/workflows'), join(root, 'src/domain')];
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => process.stderr.write(`${message}\n`), log() {} };

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

function sourceHash(): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(root, 'node_modules/@temporalio/workflow/package.json')));
  for (const file of sources.flatMap(filesUnder)) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The workflows bundled with webpack, reused from the cache while their sources are unchanged: bundling takes
 * seconds, and every test file and simulation needs the same bundle.
 */
export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const file = join(cacheDir('workflow-bundles'), `${sourceHash()}.js`);
  if (existsSync(file)) return { code: readFileSync(file, 'utf8'), sourceMap: '' };
  const bundle = await bundleWorkflowCode({ workflowsPath: join(root, 'src/workflows'), logger: quiet });
  writeFileSync(`${file}.${process.pid}`, bundle.code);
  renameSync(`${file}.${process.pid}`, file);
  return bundle;
}
