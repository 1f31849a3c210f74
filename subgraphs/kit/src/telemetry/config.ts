// The telemetry settings every hub service reads, with the same rules in the gateway and the
// subgraphs: read once with the service's other settings, so that a wrong value is reported
// together with the rest and the service does not start.
import { wholeNumber, type EnvReader } from '../env';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TelemetryConfig {
  /** `LOG_LEVEL`, default `info`: the least severe log lines written (`silent` writes none). */
  logLevel: LogLevel;
  /**
   * `METRICS_PORT`, default unset: `/metrics` is served on the service's own port. When set, it is
   * served on this port only (and not on the service port), e.g. to keep it off a public listener.
   */
  metricsPort?: number;
  /**
   * `OTEL_EXPORTER_OTLP_ENDPOINT`, default unset: the OTLP/HTTP collector traces are sent to
   * (`<endpoint>/v1/traces`). Unset, no span is recorded or sent; trace ids still travel in
   * `traceparent` and in the logs.
   */
  otlpEndpoint?: string;
  /**
   * `MONGODB_COMMAND_METRICS`, `on` (default) or `off`: the driver's command monitoring, which
   * feeds the database command durations (and their spans). It makes the driver decode each reply
   * a second time for its event; `off` saves that CPU and loses those metrics.
   */
  dbCommands: boolean;
}

export const TELEMETRY_DEFAULTS: TelemetryConfig = { logLevel: 'info', dbCommands: true };

/** Reads the telemetry settings into `reader`, whose `check()` the caller runs with its own. */
export function readTelemetryConfig(reader: EnvReader): TelemetryConfig {
  const level = reader.text('LOG_LEVEL')?.toLowerCase() ?? TELEMETRY_DEFAULTS.logLevel;
  const logLevel = (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : undefined;
  if (!logLevel) {
    reader.problem(
      `LOG_LEVEL=${JSON.stringify(reader.env.LOG_LEVEL)} is not valid: set it to one of ${LOG_LEVELS.join(', ')} (default info).`,
    );
  }
  const metricsText = reader.text('METRICS_PORT');
  const metricsPort = metricsText === undefined ? undefined : wholeNumber(metricsText);
  if (metricsText !== undefined && (metricsPort === undefined || metricsPort < 1 || metricsPort > 65_535)) {
    reader.problem(
      `METRICS_PORT=${JSON.stringify(reader.env.METRICS_PORT)} is not valid: set it to a port number from 1 to 65535, ` +
        'or leave it unset to serve /metrics on the service port.',
    );
  }
  const otlpEndpoint = reader.url('OTEL_EXPORTER_OTLP_ENDPOINT', {
    what: "the OTLP/HTTP collector's base URL, e.g. http://otel-collector:4318 (traces go to <it>/v1/traces)",
  });
  return {
    logLevel: logLevel ?? TELEMETRY_DEFAULTS.logLevel,
    ...(metricsPort !== undefined && metricsPort >= 1 && metricsPort <= 65_535 ? { metricsPort } : {}),
    ...(otlpEndpoint ? { otlpEndpoint } : {}),
    dbCommands: reader.onOff(
      'MONGODB_COMMAND_METRICS',
      TELEMETRY_DEFAULTS.dbCommands,
      'the database command metrics',
    ),
  };
}
