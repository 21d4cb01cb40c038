import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

/**
 * Installs a Temporal runtime that logs warnings and errors only, unless the process already has one (a process
 * that runs a worker installs its own first). Must run before any worker or test environment is created.
 */
export function installQuietRuntime(): void {
  if (Runtime._instance) return;
  // The Java test server does not advertise every capability the SDK core asks about; those warnings are noise.
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
}
