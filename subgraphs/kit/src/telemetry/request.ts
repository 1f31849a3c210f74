// One GraphQL request as telemetry sees it: its span (a child of the caller's `traceparent`), its
// logger (every line with the request id and trace id), and at its end one access line and the
// request metrics. serveApollo starts it; the Apollo plugin (plugin.ts) fills in the operation.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Logger } from './logger';
import { extractTraceContext } from './propagation';
import type { ServiceTelemetry } from './service';

const CLIENT_NAME_HEADER = 'apollographql-client-name';
const CLIENT_VERSION_HEADER = 'apollographql-client-version';

/**
 * Where a context value holds its request, for plugins, which see only the context. A property
 * and not a WeakMap entry: Apollo Server hands plugins and data sources a shallow copy of the
 * context value, which copies symbol-keyed properties along.
 */
const REQUEST = Symbol('request telemetry');

export class RequestTelemetry {
  readonly span: Span;
  /** The context with this request's span active: run the request's work in it (`run`). */
  readonly context: Context;
  readonly clientName: string | undefined;
  readonly clientVersion: string | undefined;
  /** The service's id of the request, from its context value (`requestId`), once built. */
  requestId: string | undefined;
  /** The operation name once known; `(anonymous)` for an unnamed operation. */
  operation: string | undefined;
  /** The `extensions.code` of every error in the answer (INTERNAL_SERVER_ERROR when none). */
  readonly errorCodes: string[] = [];
  private readonly started = performance.now();
  private logger: Logger | undefined;
  private finished = false;

  constructor(
    private readonly telemetry: ServiceTelemetry,
    req: IncomingMessage,
  ) {
    const name = req.headers[CLIENT_NAME_HEADER];
    const version = req.headers[CLIENT_VERSION_HEADER];
    this.clientName = typeof name === 'string' ? name : undefined;
    this.clientVersion = typeof version === 'string' ? version : undefined;
    const parent = extractTraceContext(req.headers);
    this.span = telemetry.tracing.tracer.startSpan(
      'graphql request',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? 'GET' } },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
  }

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  /** The request's logger: the service's, with `requestId` and `traceId` on every line. */
  get log(): Logger {
    this.requestId ??= randomUUID();
    return (this.logger ??= this.telemetry.log.child({ requestId: this.requestId, traceId: this.traceId }));
  }

  run<T>(work: () => T): T {
    return context.with(this.context, work);
  }

  /** Ties the request to its context value; a string `requestId` on it names the request in the logs. */
  bind(contextValue: object): void {
    const id = (contextValue as { requestId?: unknown }).requestId;
    if (typeof id === 'string' && this.logger === undefined) this.requestId = id;
    Object.defineProperty(contextValue, REQUEST, { value: this, enumerable: true });
  }

  /** The context could not be built (a bad token, a rate limit...): the answer's error code. */
  refused(error: unknown): void {
    const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    this.errorCodes.push(typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
  }

  /** Ends the request: metrics, span, and the access line. `status` 499 when the caller hung up first. */
  finish(status: number): void {
    if (this.finished) return;
    this.finished = true;
    const seconds = (performance.now() - this.started) / 1000;
    const { metrics } = this.telemetry;
    const labels = metrics.requestLabels(this.operation, this.clientName, this.clientVersion);
    metrics.requests.inc({ ...labels, status: String(status) });
    metrics.requestDuration.observe(labels, seconds);
    for (const code of this.errorCodes) metrics.requestErrors.inc({ ...labels, code });

    if (this.span.isRecording()) {
      if (this.operation) {
        this.span.updateName(`graphql ${this.operation}`);
        this.span.setAttribute('graphql.operation.name', this.operation);
      }
      if (this.requestId) this.span.setAttribute('hub.request_id', this.requestId);
      this.span.setAttribute('http.response.status_code', status);
      if (status >= 500 || this.errorCodes.length > 0) {
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: this.errorCodes.join(',') });
      }
    }
    this.span.end();

    this.log.info(
      {
        access: true,
        operation: this.operation ?? null,
        clientName: this.clientName ?? null,
        clientVersion: this.clientVersion ?? null,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        ...(this.errorCodes.length > 0 && { errors: this.errorCodes }),
      },
      'request',
    );
  }
}

/** The request a context value belongs to, when served by serveApollo with telemetry. */
export function requestTelemetryOf(contextValue: object): RequestTelemetry | undefined {
  return (contextValue as { [REQUEST]?: RequestTelemetry })[REQUEST];
}
