import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cacheDir } from './cache';

const root = resolve(__dirname, '../..');
/** Everything the workflow bundle is made of: workflow code, the domain it computes with, and the SDK version. */
const sources = [join(root, 'src/workflows'), join(root, 'src/domain')];
/**
 * Modules each worker thread loads once and every workflow in it shares, frozen (the SDK's preloadModules, with
 * reuseV8Context): otherwise each new workflow evaluates them again, which made a team's first workflow task several
 * times a no-op's (issue 24, `npm run bench -- capacity`). Only code with no state of its own: zod and the billing
 * rules (src/domain, pure by the import rules). Never workflow code: it keeps per-run state in its modules.
 */
export const sharedWorkflowModules = ['zod', join(root, 'src/domain')];
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
  hash.update(readFileSync(join(root, 'node_modules/@temporalio/workflow/package.json'))).update(JSON.stringify(sharedWorkflowModules));
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
  const bundle = await bundleWorkflowCode({ workflowsPath: join(root, 'src/workflows'), preloadModules: sharedWorkflowModules, logger: quiet });
  writeFileSync(`${file}.${process.pid}`, bundle.code);
  renameSync(`${file}.${process.pid}`, file);
  return bundle;
}
