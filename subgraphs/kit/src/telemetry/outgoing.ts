// A call from one service to another over HTTP, in the trace: a client span, and the headers that
// carry it (`traceparent`) so that the called service's request span becomes its child.
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { extractTraceContext, injectTraceContext } from './propagation';
import { requestTelemetryOf } from './request';
import type { ServiceTelemetry } from './service';

export interface OutgoingCall {
  /** The headers to send: those given, with this call's `traceparent`. */
  headers: Record<string, string>;
  /** Ends the call's span; `failure` marks it failed. */
  end(failure?: string, status?: number): void;
}

/**
 * Starts the span of a call. Its parent is the active span when spans are recorded, else the
 * trace context already in `given` (see requestTraceHeaders): then the trace id still reaches
 * the called service's logs, though nothing is recorded.
 */
export function startOutgoingCall(
  telemetry: ServiceTelemetry,
  name: string,
  given: Record<string, string>,
  attributes: Attributes = {},
): OutgoingCall {
  const active = context.active();
  const parent = trace.getSpan(active) ? active : extractTraceContext(given);
  const span = telemetry.tracing.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
  const headers = { ...given };
  injectTraceContext(trace.setSpan(parent, span), headers);
  return {
    headers,
    end(failure, status) {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
      span.end();
    },
  };
}

/** `traceparent` (and `tracestate`) of the request a context value belongs to; empty when none. */
export function requestTraceHeaders(contextValue: object): Record<string, string> {
  const request = requestTelemetryOf(contextValue);
  const headers: Record<string, string> = {};
  if (request) injectTraceContext(request.context, headers);
  return headers;
}
