import pino, { type DestinationStream, type Logger } from 'pino';
import { currentLogContext } from './observability/log-context';

export type { Logger };

/**
 * Structured JSON logs on stdout. Every line carries the request, team and workflow IDs of the unit of work that
 * wrote it (src/observability/log-context.ts), besides any bindings of child loggers.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'seatbill' }, timestamp: pino.stdTimeFunctions.isoTime, mixin: () => ({ ...currentLogContext() }) };
  return destination ? pino(options, destination) : pino(options);
}
