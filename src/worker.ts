import { Worker, type NativeConnection, type State, type WorkerOptions } from '@temporalio/worker';
import { activityLogContext } from './observability/activity-log-context';
import { chargesTaskQueue } from './workflows/charges-queue';

/** Where the worker finds its workflows: one file per workflow, re-exported by src/workflows/index.ts. */
export const workflowsPath = require.resolve('./workflows');

export interface BillingWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: WorkerOptions['activities'];
  bundle?: WorkerOptions['workflowBundle'];
  /** PAYMENT_PROVIDER_MAX_RPS: charges a second on the charges task queue, across all workers; unset, no limit. */
  maxChargesPerSecond?: number;
}

/** The billing task queue's worker and the charges task queue's, started, run and stopped together. */
export interface BillingWorker {
  run(): Promise<void>;
  shutdown(): void;
  /** The billing queue's worker's state. */
  getState(): State;
}

/**
 * A worker for the billing task queue (workflows and activities), and one for its charges task queue (collections
 * only, src/workflows/charges-queue.ts), whose dispatch rate the server holds to `maxChargesPerSecond` for every
 * worker on that queue together.
 */
export async function createBillingWorker(options: BillingWorkerOptions): Promise<BillingWorker> {
  const billing = await Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.bundle ? { workflowBundle: options.bundle } : { workflowsPath }),
    // Let in-flight activities finish before a shutdown completes.
    shutdownGraceTime: '30 seconds',
    // Activity log lines (through the runtime logger, src/temporal-logger.ts) name their team and workflow run.
    interceptors: { activity: [activityLogContext] },
  });
  const charges = await createChargesWorker(options);
  const stop = () => {
    for (const worker of [billing, charges]) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    async run() {
      const runs = [billing.run(), charges.run()];
      try {
        await Promise.all(runs);
      } catch (error) {
        stop(); // one failed: the other stops too, so a process never runs half a worker
        await Promise.allSettled(runs);
        throw error;
      }
    },
    shutdown: stop,
    getState: () => billing.getState(),
  };
}

/** The charges task queue's worker alone: activities only, at most `maxChargesPerSecond` across all its workers. */
export function createChargesWorker(options: Omit<BillingWorkerOptions, 'bundle'>): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: chargesTaskQueue(options.taskQueue),
    activities: options.activities,
    shutdownGraceTime: '30 seconds',
    interceptors: { activity: [activityLogContext] },
    ...(options.maxChargesPerSecond ? { maxTaskQueueActivitiesPerSecond: options.maxChargesPerSecond } : {}),
  });
}
