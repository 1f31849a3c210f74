// W3C Trace Context (`traceparent`, `tracestate`) in and out of HTTP headers: what a caller sends
// is honoured, and the gateway passes its own on to every subgraph it calls.
import type { IncomingHttpHeaders } from 'node:http';
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const w3c = new W3CTraceContextPropagator();

/** The caller's trace context from a request's headers; the root context when it sent none (or a bad one). */
export function extractTraceContext(headers: IncomingHttpHeaders | Record<string, string>): Context {
  return w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** Writes `traceparent` (and `tracestate`) of the span active in `from` into `headers`. */
export function injectTraceContext(from: Context, headers: Record<string, string>): void {
  w3c.inject(from, headers, defaultTextMapSetter);
}
