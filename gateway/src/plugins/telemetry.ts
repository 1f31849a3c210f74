// The gateway's telemetry, from the kit's (subgraphs/kit/src/telemetry): the same JSON logs,
// `/metrics` and traces as every subgraph, plus what only the gateway has: its calls to the
// subgraphs (telemetry-subgraph-calls.ts) and its query-plan cache (telemetry-query-plans.ts).
import type { ApolloServerPlugin } from '@apollo/server';
import {
  requestTelemetryOf,
  startTelemetry,
  telemetryPlugin,
  type ServiceTelemetry,
  type TelemetryOptions,
} from '@clusterpolisee/kit/telemetry';
import type { GatewayContext } from '../context';
import type { SubgraphErrorLog } from './mask-subgraph-errors';

export { subgraphCallObserver, traceSubgraphRequests } from './telemetry-subgraph-calls';
export { countedQueryPlanCache } from './telemetry-query-plans';

/**
 * Starts the gateway's telemetry. Its tracer provider becomes the process's global one, so that
 * `@apollo/gateway`'s own spans (gateway.request, gateway.plan, gateway.fetch...) join the trace.
 */
export function startGatewayTelemetry(options: TelemetryOptions): Promise<ServiceTelemetry> {
  return startTelemetry('gateway', { globalTracing: true, ...options });
}

/**
 * Operation names and error codes for the access line and the request metrics. Errors are not
 * logged here: maskSubgraphErrors logs what it masks, once.
 */
export function gatewayTelemetryPlugin(): ApolloServerPlugin<GatewayContext> {
  return telemetryPlugin() as ApolloServerPlugin<GatewayContext>;
}

/**
 * Where maskSubgraphErrors writes what it masked: the request's logger (its request id and trace
 * id already on the line), at level error, with the cause's stack as one field.
 */
export function subgraphErrorLog(telemetry: ServiceTelemetry): SubgraphErrorLog {
  return (event, context) => {
    const request = requestTelemetryOf(context);
    if (!request) {
      telemetry.log.error(event, 'subgraph error');
      return;
    }
    const { requestId: _sameAsTheLine, ...fields } = event;
    request.log.error(fields, 'subgraph error');
  };
}
