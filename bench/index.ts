/**
 * `npm run bench` runs every benchmark; `npm run bench -- domain` (or any name below) runs one.
 * Benchmarks print their figures and whether each target is met; tests never assert wall-clock time.
 */
import * as domain from './domain';
import * as simulate from './simulate';
import * as usage from './usage';
import * as workflows from './workflows';
import * as capacity from './capacity';
import * as entitlements from './entitlements';
import * as api from './api';
import * as prices from './price-publication';
import * as billingDay from './billing-day';
import { untilQuiet } from './fixtures/quiet-machine';

const benchmarks: Record<string, { run(): Promise<void> }> = { domain, simulate, usage, workflows, capacity, entitlements, api, prices, 'billing-day': billingDay };

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}\n`);
    process.exit(2);
  }
  for (const name of asked.length > 0 ? asked : Object.keys(benchmarks)) {
    console.log(`\n== ${name} ==`);
    console.log(await untilQuiet());
    await benchmarks[name]!.run();
  }
}

void main();
