import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; every line can carry team, workflow and request IDs as bindings. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'seatbill' }, timestamp: pino.stdTimeFunctions.isoTime });
}
