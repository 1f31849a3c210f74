// A service's telemetry as one object: its logger, metrics, tracer and `/metrics`, made from its
// TelemetryConfig. The gateway and every subgraph start one, and close it when they stop.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { DestinationStream } from 'pino';
import { TELEMETRY_DEFAULTS, type TelemetryConfig } from './config';
import { createLogger, type Logger } from './logger';
import { createServiceMetrics, type ServiceMetrics } from './metrics';
import { createTracing, type Tracing } from './tracing';

/** The path Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** A configuration given in code: TelemetryConfig in part, and what only code can give. */
export interface TelemetryOptions extends Partial<TelemetryConfig> {
  /** Span exporters besides OTLP, e.g. an InMemorySpanExporter in tests. Default none. */
  spanExporters?: SpanExporter[];
  /** Where log lines go; default standard output. */
  logDestination?: DestinationStream;
  /** See TracingOptions.global; default false. */
  globalTracing?: boolean;
  /** Interface `METRICS_PORT` binds; default `0.0.0.0`. */
  metricsHost?: string;
}

export type TelemetryRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ServiceTelemetry {
  service: string;
  config: TelemetryConfig;
  /** The service's logger; a request's lines come from its RequestTelemetry's `log`. */
  log: Logger;
  metrics: ServiceMetrics;
  tracing: Tracing;
  /** Routes for the service's port: `/metrics`, unless METRICS_PORT serves it elsewhere. */
  routes: Record<string, TelemetryRoute>;
  /** Where `/metrics` is served when METRICS_PORT is set (its actual port), else undefined. */
  metricsPort: number | undefined;
  close(): Promise<void>;
}

export async function startTelemetry(
  service: string,
  options: TelemetryOptions = {},
): Promise<ServiceTelemetry> {
  const config: TelemetryConfig = {
    logLevel: options.logLevel ?? TELEMETRY_DEFAULTS.logLevel,
    dbCommands: options.dbCommands ?? TELEMETRY_DEFAULTS.dbCommands,
    ...(options.metricsPort !== undefined && { metricsPort: options.metricsPort }),
    ...(options.otlpEndpoint && { otlpEndpoint: options.otlpEndpoint }),
  };
  const log = createLogger({ service, level: config.logLevel, destination: options.logDestination });
  const metrics = createServiceMetrics(service);
  const scrape: TelemetryRoute = async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(body);
  };
  let server: Server | undefined;
  if (config.metricsPort !== undefined) {
    server = createServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://localhost').pathname === METRICS_PATH) {
        scrape(req, res).catch(() => res.destroy());
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`Not found: metrics are served at ${METRICS_PATH}\n`);
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`METRICS_PORT ${config.metricsPort} is already in use: choose another port.`, {
                cause: error,
              })
            : error,
        ),
      );
      server!.listen(config.metricsPort, options.metricsHost ?? '0.0.0.0', () => resolve());
    });
  }
  const tracing = createTracing({
    service,
    otlpEndpoint: config.otlpEndpoint,
    exporters: options.spanExporters,
    global: options.globalTracing,
  });
  return {
    service,
    config,
    log,
    metrics,
    tracing,
    routes: server ? {} : { [METRICS_PATH]: scrape },
    metricsPort: server ? (server.address() as { port: number }).port : undefined,
    async close() {
      await tracing.shutdown().catch((error: unknown) => log.warn({ err: error }, 'traces not all sent'));
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      log.flush();
    },
  };
}
