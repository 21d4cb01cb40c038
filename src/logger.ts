import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentLogContext } from './observability/log-context';

export type { Logger };

/**
 * Structured JSON logs on stdout; in a terminal (stdout a TTY, e.g. `npm start` by hand), the same lines made readable
 * by pino's pretty printer, in the same process (a stream, not a worker thread). Every line carries the request, team and workflow IDs of the unit of work that
 * wrote it (src/observability/log-context.ts), besides any bindings of child loggers.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'seatbill' }, timestamp: pino.stdTimeFunctions.isoTime, mixin: () => ({ ...currentLogContext() }) };
  if (destination) return pino(options, destination);
  return process.stdout.isTTY ? pino(options, pretty({ colorize: true, translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l o', ignore: 'service' })) : pino(options);
}
