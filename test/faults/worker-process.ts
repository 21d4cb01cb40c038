// A billing worker in a process of its own, so a fault test can kill it with SIGKILL at an exact point. Run by
// test/support/fault-harness.ts with `node --import tsx`. It runs the production worker (src/worker.ts) with the
// real activities, and the sandbox provider wrapped by the faults named in SEATBILL_FAULTS (JSON):
//   pauseAfterCharge   after the sandbox accepted a charge: write `<dir>/charged-<n>` and wait for `<dir>/release`
//   timeouts           per idempotency key, the first calls time out: `lost-response` (the sandbox charged, the
//                      answer never came back) or `no-response` (the request never reached it)
// Every provider call is appended to `<dir>/provider-calls.jsonl`. Prints `ready` on stdout once it polls; stops on
// SIGTERM or when its stdin closes (the test process ended, however it ended).
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection, Runtime, DefaultLogger, makeTelemetryFilterString } from '@temporalio/worker';
import { createBillingActivities } from '../../src/activities';
import { createDb } from '../../src/ledger/db';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { PaymentProviderUnavailable, type PaymentProvider } from '../../src/payments/payment-provider';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createBillingWorker } from '../../src/worker';

export interface ProviderFaults {
  pauseAfterCharge?: boolean;
  timeouts?: ('lost-response' | 'no-response')[];
  /** How long a timed-out call hangs before it fails (ms). */
  stallMs?: number;
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function faultyProvider(sandbox: PaymentProvider, faults: ProviderFaults, dir: string): PaymentProvider {
  const calls = new Map<string, number>();
  let charged = 0;
  const log = (entry: Record<string, unknown>) =>
    appendFileSync(join(dir, 'provider-calls.jsonl'), `${JSON.stringify({ pid: process.pid, at: new Date().toISOString(), ...entry })}\n`);
  return {
    ...sandbox,
    name: sandbox.name,
    async charge(request) {
      const call = (calls.get(request.idempotencyKey) ?? 0) + 1;
      calls.set(request.idempotencyKey, call);
      const timeout = faults.timeouts?.[call - 1];
      const entry = { key: request.idempotencyKey, amount: request.amount, call };
      if (timeout === 'no-response') {
        await sleep(faults.stallMs ?? 100);
        log({ ...entry, outcome: 'no-response' });
        throw new PaymentProviderUnavailable(`sandbox: no response within ${faults.stallMs ?? 100} ms`);
      }
      const charge = await sandbox.charge(request);
      if (timeout === 'lost-response') {
        await sleep(faults.stallMs ?? 100);
        log({ ...entry, outcome: 'lost-response', providerPaymentId: charge.providerPaymentId });
        throw new PaymentProviderUnavailable(`sandbox: the response was lost after ${faults.stallMs ?? 100} ms`);
      }
      log({ ...entry, outcome: 'charged', providerPaymentId: charge.providerPaymentId });
      if (faults.pauseAfterCharge) {
        charged += 1;
        writeFileSync(join(dir, `charged-${process.pid}-${charged}`), JSON.stringify({ key: request.idempotencyKey, ...charge }));
        while (!existsSync(join(dir, 'release'))) await sleep(25);
      }
      return charge;
    },
  };
}

async function main(): Promise<void> {
  const dir = env('SEATBILL_FAULT_DIR');
  const faults = JSON.parse(process.env.SEATBILL_FAULTS ?? '{}') as ProviderFaults;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  const db = createDb(env('DATABASE_URL'));
  const sandbox = createSandboxProvider({ db });
  const activities = createBillingActivities({ db, payments: { sandbox: faultyProvider(sandbox, faults, dir) } });
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const worker = await createBillingWorker({ connection, namespace: 'default', taskQueue: env('TASK_QUEUE'), activities, bundle: await workflowBundle() });
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
  await connection.close();
  await db.destroy();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
