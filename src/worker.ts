import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { sharedWorkflowModules } from './infra/workflow-bundle';
import { activityLogContext } from './observability/activity-log-context';

/** Where the worker finds its workflows: one file per workflow, re-exported by src/workflows/index.ts. */
export const workflowsPath = require.resolve('./workflows');

/** The worker's settings that configuration chooses (src/config.ts, workerTuning): its workflow cache's size. */
export type WorkerTuning = Pick<WorkerOptions, 'maxCachedWorkflows'>;

/** A worker for the billing task queue, running the given activities (built by their factories). */
export async function createBillingWorker(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: WorkerOptions['activities'];
  bundle?: WorkerOptions['workflowBundle'];
  tuning?: WorkerTuning;
}): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.bundle ? { workflowBundle: options.bundle } : { workflowsPath, bundlerOptions: { preloadModules: sharedWorkflowModules } }),
    // Let in-flight activities finish before a shutdown completes.
    shutdownGraceTime: '30 seconds',
    // Activity log lines (through the runtime logger, src/temporal-logger.ts) name their team and workflow run.
    interceptors: { activity: [activityLogContext] },
    ...options.tuning,
  });
}
