import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** The Temporal runtime's logger, writing through pino so worker, workflow and activity logs are structured JSON too. */
export function temporalRuntimeLogger(logger: Logger, level: LogLevel = 'WARN'): DefaultLogger {
  return new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
    logger[levels[entryLevel]]({ ...meta, source: 'temporal' }, message);
  });
}
