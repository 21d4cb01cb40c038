import { Worker, type NativeConnection, type State, type WorkerOptions, type WorkerStatus } from '@temporalio/worker';
import { sharedWorkflowModules } from './infra/workflow-bundle';
import { activityLogContext } from './observability/activity-log-context';
import { chargesTaskQueue } from './workflows/charges-queue';

/** Where the worker finds its workflows: one file per workflow, re-exported by src/workflows/index.ts. */
export const workflowsPath = require.resolve('./workflows');

export interface BillingWorkerOptions {
  connection: NativeConnection;
  /** `default` unless given. */
  namespace?: string;
  taskQueue: string;
  activities: WorkerOptions['activities'];
  bundle?: WorkerOptions['workflowBundle'];
  /**
   * PAYMENT_PROVIDER_MAX_RPS: charges a second the server dispatches on the charges task queue, to all its workers
   * together. The activities take the same value (BillingDependencies.maxChargesPerSecond): set, collections use the queue.
   */
  maxChargesPerSecond?: number;
  /** More options of the task queue's worker (benchmarks: its workflow cache, interceptors of their own). */
  tuning?: Partial<WorkerOptions>;
}

/** The billing task queue's worker and its charges task queue's worker, run and shut down as one. */
export interface BillingWorker {
  /** Resolves when both have stopped; if one fails, the other is shut down and the failure rethrown. */
  run(): Promise<void>;
  /** Both drain: in-flight activities get their grace time. */
  shutdown(): void;
  /** The task queue worker's state, and its status (workflows cached, tasks running). */
  getState(): State;
  getStatus(): WorkerStatus;
}

/**
 * A worker for the billing task queue (workflows and activities) and one for its charges task queue
 * (src/workflows/charges-queue.ts: the collections' activities), which the server dispatches at most
 * `maxChargesPerSecond` a second across every worker polling it.
 */
export async function createBillingWorker(options: BillingWorkerOptions): Promise<BillingWorker> {
  const common = {
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    activities: options.activities,
    // Let in-flight activities finish before a shutdown completes.
    shutdownGraceTime: '30 seconds',
    // Activity log lines (through the runtime logger, src/temporal-logger.ts) name their team and workflow run.
    interceptors: { activity: [activityLogContext] },
  } satisfies Partial<WorkerOptions>;
  const billing = await Worker.create({
    ...common,
    taskQueue: options.taskQueue,
    ...(options.bundle ? { workflowBundle: options.bundle } : { workflowsPath, bundlerOptions: { preloadModules: sharedWorkflowModules } }),
    ...options.tuning,
  });
  const charges = await Worker.create({
    ...common,
    taskQueue: chargesTaskQueue(options.taskQueue),
    ...(options.maxChargesPerSecond === undefined ? {} : { maxTaskQueueActivitiesPerSecond: options.maxChargesPerSecond }),
  });
  const shutdown = () => {
    for (const worker of [billing, charges]) if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  return {
    async run() {
      // One failed: the other is shut down too (a process never runs half a worker), and both have stopped on return.
      const stopped = await Promise.allSettled([billing, charges].map((worker) => worker.run().catch((error: unknown) => {
        shutdown();
        throw error;
      })));
      const failed = stopped.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    },
    shutdown,
    getState: () => billing.getState(),
    getStatus: () => billing.getStatus(),
  };
}
