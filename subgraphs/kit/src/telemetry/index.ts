// `@clusterpolisee/kit/telemetry`: logs, metrics and traces of a hub service, written once and used
// by the subgraphs (through createSubgraph) and the gateway alike.
export {
  readTelemetryConfig,
  TELEMETRY_DEFAULTS,
  LOG_LEVELS,
  type LogLevel,
  type TelemetryConfig,
} from './config';
export { createLogger, type Logger, type LoggerOptions } from './logger';
export {
  createServiceMetrics,
  MAX_REQUEST_LABEL_SETS,
  type ServiceMetrics,
  type RequestLabels,
} from './metrics';
export { createTracing, type Tracing, type TracingOptions } from './tracing';
export { extractTraceContext, injectTraceContext } from './propagation';
export { RequestTelemetry, requestTelemetryOf } from './request';
export { startOutgoingCall, requestTraceHeaders, type OutgoingCall } from './outgoing';
export { telemetryPlugin, type TelemetryPluginOptions } from './plugin';
export { watchDatabaseCommands } from './db-commands';
export { measureLoaderBatches, observeLoaderBatch } from './dataloader';
export {
  startTelemetry,
  METRICS_PATH,
  type ServiceTelemetry,
  type TelemetryOptions,
  type TelemetryRoute,
} from './service';
// For tests that read a service's spans (telemetry: { spanExporters: [new InMemorySpanExporter()] }).
export { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
