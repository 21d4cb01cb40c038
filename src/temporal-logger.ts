import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';
import { teamIdOfWorkflow } from './observability/log-context';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};
const temporalLevels: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR' };

/** The Temporal runtime level for the engine's LOG_LEVEL (`fatal` has no Temporal counterpart: ERROR). */
export function temporalLogLevel(level: string): LogLevel {
  return temporalLevels[level] ?? 'INFO';
}

/**
 * The Temporal runtime's logger, writing through pino so worker, workflow and activity logs are structured JSON too.
 * Workflow and activity lines come with workflowId, runId (`workflowRunId` for activities) and their type; the team
 * is added from a team workflow's ID when the line does not name it already.
 */
export function temporalRuntimeLogger(logger: Logger, level: LogLevel = 'WARN'): DefaultLogger {
  return new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
    const { taskToken: _opaque, ...fields } = meta ?? {}; // long and of no use to a reader
    const teamId = fields.teamId ?? teamIdOfWorkflow(fields.workflowId);
    const runId = fields.runId ?? fields.workflowRunId;
    logger[levels[entryLevel]]({ ...fields, ...(teamId ? { teamId } : {}), ...(runId ? { runId } : {}), source: 'temporal' }, message);
  });
}
