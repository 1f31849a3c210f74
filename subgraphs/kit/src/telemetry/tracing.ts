// OpenTelemetry traces of a hub service, instrumented by hand (request, subgraph call, database
// command) rather than by require hooks, which do nothing in the esbuild bundles production runs.
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  /** The `service.name` of every span. */
  service: string;
  /** OTLP/HTTP collector base URL; spans are batched to `<it>/v1/traces`. Default: none. */
  otlpEndpoint?: string;
  /** Further exporters, each span handed over as it ends (tests: an InMemorySpanExporter). */
  exporters?: SpanExporter[];
  /**
   * Whether this service's tracer provider becomes the process's global one, which the libraries
   * with spans of their own use (`@apollo/gateway`'s gateway.plan, gateway.fetch...). The gateway
   * sets it; one process runs one service in production. Default false.
   */
  global?: boolean;
}

export interface Tracing {
  tracer: Tracer;
  /**
   * Whether spans are recorded and sent anywhere. When not, spans are still created, unrecorded
   * and at almost no cost, so that trace ids reach the logs and the next service.
   */
  recording: boolean;
  /** Sends the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

let contextManager: AsyncLocalStorageContextManager | undefined;

/**
 * Spans find their parent through the active context, which needs an AsyncLocalStorage context
 * manager. It is enabled only while something records: on Node 20 it makes every promise pay a
 * hook, a cost for nothing when no span is sent.
 */
function enableActiveContext(): void {
  if (contextManager) return;
  const manager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(manager)) contextManager = manager;
  else manager.disable();
}

export function createTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [];
  if (options.otlpEndpoint) {
    const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  for (const exporter of options.exporters ?? []) processors.push(new SimpleSpanProcessor(exporter));
  const recording = processors.length > 0;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.service }),
    // A caller's `traceparent` decides whether its trace is recorded, as W3C Trace Context says.
    sampler: recording ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : new AlwaysOffSampler(),
    spanProcessors: processors,
  });
  if (recording) enableActiveContext();
  const isGlobal = options.global === true && trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer('@clusterpolisee/kit'),
    recording,
    async shutdown() {
      if (isGlobal) trace.disable();
      await provider.shutdown();
    },
  };
}
