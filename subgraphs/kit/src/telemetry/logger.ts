// Log lines as JSON, one object a line, so that a log collector stores each as one record with
// its fields: never a multi-line stack (an error's stack is one string field, `err.stack`).
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

export interface LoggerOptions {
  /** Written on every line as `service`. */
  service: string;
  /** Default `info`. */
  level?: LogLevel;
  /** Where lines go; default standard output, written synchronously so that none is lost on exit. */
  destination?: DestinationStream;
}

/**
 * The service's logger. Lines carry `time` (ISO 8601), `level` as a word, `service`, `msg`, and
 * what the call site adds; a request's lines come from its child logger (request.ts), which adds
 * `requestId` and `traceId`. Pass errors as `{ err }`: they are written with type, message and
 * stack as fields.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
