// The Prometheus metrics of a hub service, one registry per service: two services in one process
// (the tests) each serve their own. The same names in the gateway and the subgraphs, so that one
// dashboard reads them all; `service` is a label on every series.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds: the budgets of the hub are tens to hundreds of milliseconds, timeouts ten seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DB_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];
const BATCH_BUCKETS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

/**
 * Operation and client names come from callers: without a bound, a caller sending a fresh name
 * per request would grow every scrape and Prometheus' memory without end. Past this many distinct
 * (operation, client, version) combinations, new ones are counted as `(other)`.
 */
export const MAX_REQUEST_LABEL_SETS = 500;
const OTHER = '(other)';
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const CLIENT = /^[\x21-\x7e][\x20-\x7e]{0,63}$/;

export interface RequestLabels {
  operation: string;
  client_name: string;
  client_version: string;
}

export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'client_name' | 'client_version' | 'status'>;
  requestErrors: Counter<'operation' | 'client_name' | 'client_version' | 'code'>;
  requestDuration: Histogram<'operation' | 'client_name' | 'client_version'>;
  subgraphCalls: Counter<'subgraph' | 'result'>;
  subgraphCallDuration: Histogram<'subgraph'>;
  queryPlanCache: Counter<'result'>;
  dbCommandDuration: Histogram<'command' | 'collection'>;
  dbCommandFailures: Counter<'command' | 'collection'>;
  dataloaderBatchSize: Histogram<'loader'>;
  rateLimitRefusals: Counter<'caller'>;
  /** The labels of a request, bounded (see MAX_REQUEST_LABEL_SETS). */
  requestLabels(
    operation: string | undefined,
    clientName: string | undefined,
    clientVersion: string | undefined,
  ): RequestLabels;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const seen = new Set<string>();
  return {
    registry,
    requests: new Counter({
      name: 'hub_requests_total',
      help: 'GraphQL requests answered, by operation, client (apollographql-client-name and -version) and HTTP status.',
      labelNames: ['operation', 'client_name', 'client_version', 'status'],
      registers,
    }),
    requestErrors: new Counter({
      name: 'hub_request_errors_total',
      help: 'GraphQL errors in answers, by operation, client and error code.',
      labelNames: ['operation', 'client_name', 'client_version', 'code'],
      registers,
    }),
    requestDuration: new Histogram({
      name: 'hub_request_duration_seconds',
      help: 'Time from a GraphQL request arriving to its answer being sent, by operation and client.',
      labelNames: ['operation', 'client_name', 'client_version'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    subgraphCalls: new Counter({
      name: 'hub_subgraph_calls_total',
      help: 'Calls from the gateway to a subgraph, by result: ok, error (unreachable, HTTP error, refused, too large) or timeout.',
      labelNames: ['subgraph', 'result'],
      registers,
    }),
    subgraphCallDuration: new Histogram({
      name: 'hub_subgraph_call_duration_seconds',
      help: 'Duration of gateway calls to a subgraph, response body included.',
      labelNames: ['subgraph'],
      buckets: DURATION_BUCKETS,
      registers,
    }),
    queryPlanCache: new Counter({
      name: 'hub_query_plan_cache_total',
      help: "Look-ups in the gateway's query-plan cache, by result: hit or miss.",
      labelNames: ['result'],
      registers,
    }),
    dbCommandDuration: new Histogram({
      name: 'hub_db_command_duration_seconds',
      help: 'Duration of database commands, by command and collection (the driver command monitoring).',
      labelNames: ['command', 'collection'],
      buckets: DB_BUCKETS,
      registers,
    }),
    dbCommandFailures: new Counter({
      name: 'hub_db_command_failures_total',
      help: 'Database commands that failed, by command and collection.',
      labelNames: ['command', 'collection'],
      registers,
    }),
    dataloaderBatchSize: new Histogram({
      name: 'hub_dataloader_batch_size',
      help: 'Keys per DataLoader batch (one database query each), by loader.',
      labelNames: ['loader'],
      buckets: BATCH_BUCKETS,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: 'hub_rate_limit_refusals_total',
      help: 'Requests refused by the rate limit, by caller: authenticated or anonymous.',
      labelNames: ['caller'],
      registers,
    }),
    requestLabels(operation, clientName, clientVersion) {
      const labels: RequestLabels = {
        operation: operation === undefined ? '(none)' : NAME.test(operation) ? operation : OTHER,
        client_name: clientName === undefined ? '(unknown)' : CLIENT.test(clientName) ? clientName : OTHER,
        client_version:
          clientVersion === undefined ? '(unknown)' : CLIENT.test(clientVersion) ? clientVersion : OTHER,
      };
      const key = `${labels.operation}\n${labels.client_name}\n${labels.client_version}`;
      if (seen.has(key)) return labels;
      if (seen.size >= MAX_REQUEST_LABEL_SETS)
        return { operation: OTHER, client_name: OTHER, client_version: OTHER };
      seen.add(key);
      return labels;
    },
  };
}
