// The gateway's calls to subgraphs in telemetry: a client span per call whose `traceparent` goes
// to the subgraph (its request span becomes the call's child), and the call metrics by subgraph.
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { requestTraceHeaders, startOutgoingCall, type ServiceTelemetry } from '@clusterpolisee/kit/telemetry';
import type { GatewayContext } from '../context';

export type SubgraphCallResult = 'ok' | 'error' | 'timeout';

export interface SubgraphCall {
  /** The headers to send: those given, with this call's `traceparent`. */
  headers: Record<string, string>;
  /** Ends the call's span and counts it; only the first call counts. */
  done(result: SubgraphCallResult, status?: number): void;
}

/** Watches one call of the fetcher; see createSubgraphFetcher's `observe`. */
export type SubgraphCallObserver = (headers: Record<string, string>) => SubgraphCall;

/** The observer of `subgraph`'s calls: `hub_subgraph_calls_total`, `hub_subgraph_call_duration_seconds`, a span. */
export function subgraphCallObserver(telemetry: ServiceTelemetry, subgraph: string): SubgraphCallObserver {
  const { subgraphCalls, subgraphCallDuration } = telemetry.metrics;
  const counted = {
    ok: subgraphCalls.labels(subgraph, 'ok'),
    error: subgraphCalls.labels(subgraph, 'error'),
    timeout: subgraphCalls.labels(subgraph, 'timeout'),
  };
  const duration = subgraphCallDuration.labels(subgraph);
  return (given) => {
    const call = startOutgoingCall(telemetry, `subgraph ${subgraph}`, given, { 'hub.subgraph': subgraph });
    const started = performance.now();
    let ended = false;
    return {
      headers: call.headers,
      done(result, status) {
        if (ended) return;
        ended = true;
        counted[result].inc();
        duration.observe((performance.now() - started) / 1000);
        call.end(result === 'ok' ? undefined : result, status);
      },
    };
  };
}

/**
 * A data source's `willSendRequest` that first puts the request's trace context in the subgraph
 * request's headers (the call's parent when no span is active, see startOutgoingCall), then runs
 * `next` (the identity forwarding).
 */
export function traceSubgraphRequests(
  next: (options: GraphQLDataSourceProcessOptions<GatewayContext>) => void | Promise<void>,
): (options: GraphQLDataSourceProcessOptions<GatewayContext>) => Promise<void> {
  return async (options) => {
    if ('context' in options && options.request.http) {
      for (const [name, value] of Object.entries(requestTraceHeaders(options.context))) {
        options.request.http.headers.set(name, value);
      }
    }
    await next(options);
  };
}
