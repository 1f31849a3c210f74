// Settings one subgraph may have of its own (`<PREFIX><NAME>`), replacing the shared one for its
// calls, and the lookup of a subgraph's value by its supergraph name.
import type { EnvReader } from '@clusterpolisee/kit/env';
import {
  MAX_SUBGRAPH_RESPONSE_BYTES,
  MAX_SUBGRAPH_TIMEOUT_MS,
  MIN_SUBGRAPH_RESPONSE_BYTES,
} from './defaults';
import type { GatewayConfig } from './types';

export const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';
export const SUBGRAPH_TIMEOUT_PREFIX = 'SUBGRAPH_TIMEOUT_MS_';
export const SUBGRAPH_MAX_RESPONSE_PREFIX = 'SUBGRAPH_MAX_RESPONSE_BYTES_';

export type SubgraphOverrides = Pick<
  GatewayConfig,
  'subgraphUrls' | 'subgraphTimeoutsMs' | 'subgraphMaxResponseBytesByName'
>;

/**
 * Every `SUBGRAPH_URL_<NAME>`, `SUBGRAPH_TIMEOUT_MS_<NAME>` and `SUBGRAPH_MAX_RESPONSE_BYTES_<NAME>`
 * set, keyed by NAME; a refused value is a problem of `reader`.
 */
export function readSubgraphOverrides(
  reader: EnvReader,
  shared: Pick<GatewayConfig, 'subgraphTimeoutMs' | 'subgraphMaxResponseBytes'>,
): SubgraphOverrides {
  const subgraphUrls: Record<string, string> = {};
  for (const { variable, name } of reader.prefixed(SUBGRAPH_URL_PREFIX, 'SUBGRAPH_URL_PARTNERS')) {
    const url = reader.url(variable, {
      what: "the subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql",
    });
    if (url !== undefined) subgraphUrls[name] = url;
  }
  const subgraphTimeoutsMs: Record<string, number> = {};
  for (const { variable, name } of reader.prefixed(SUBGRAPH_TIMEOUT_PREFIX, 'SUBGRAPH_TIMEOUT_MS_PARTNERS')) {
    subgraphTimeoutsMs[name] = reader.integer(variable, {
      fallback: shared.subgraphTimeoutMs,
      min: 1,
      max: MAX_SUBGRAPH_TIMEOUT_MS,
      what:
        `a number of milliseconds from 1 to ${MAX_SUBGRAPH_TIMEOUT_MS} for that subgraph's calls, ` +
        'or unset it to use SUBGRAPH_TIMEOUT_MS',
    });
  }
  const subgraphMaxResponseBytesByName: Record<string, number> = {};
  for (const { variable, name } of reader.prefixed(
    SUBGRAPH_MAX_RESPONSE_PREFIX,
    'SUBGRAPH_MAX_RESPONSE_BYTES_PARTNERS',
  )) {
    subgraphMaxResponseBytesByName[name] = reader.integer(variable, {
      fallback: shared.subgraphMaxResponseBytes,
      min: MIN_SUBGRAPH_RESPONSE_BYTES,
      max: MAX_SUBGRAPH_RESPONSE_BYTES,
      what:
        `a number of bytes from ${MIN_SUBGRAPH_RESPONSE_BYTES} to ${MAX_SUBGRAPH_RESPONSE_BYTES} for that ` +
        "subgraph's answers, or unset it to use SUBGRAPH_MAX_RESPONSE_BYTES",
    });
  }
  return { subgraphUrls, subgraphTimeoutsMs, subgraphMaxResponseBytesByName };
}

/** The env-style key of a subgraph name: `partner-data` -> `PARTNER_DATA`. */
export function subgraphEnvKey(subgraph: string): string {
  return subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * The routing URL to use for a subgraph: its `SUBGRAPH_URL_<NAME>` override, else the supergraph's.
 * Override keys are compared in env form, so `{ partners: url }` given in code works too.
 */
export function subgraphUrlFor(
  config: Pick<GatewayConfig, 'subgraphUrls'>,
  subgraph: string,
  supergraphUrl: string | undefined,
): string | undefined {
  const key = subgraphEnvKey(subgraph);
  const override = Object.entries(config.subgraphUrls).find(([name]) => subgraphEnvKey(name) === key);
  return override?.[1] ?? supergraphUrl;
}

/** How long one call to a subgraph may take, and the variable that says so (for messages). */
export interface SubgraphTimeout {
  timeoutMs: number;
  /** `SUBGRAPH_TIMEOUT_MS_<NAME>` when the subgraph has its own, else `SUBGRAPH_TIMEOUT_MS`. */
  variable: string;
}

/** The timeout for a subgraph's calls: its `SUBGRAPH_TIMEOUT_MS_<NAME>`, else `SUBGRAPH_TIMEOUT_MS`. */
export function subgraphTimeoutFor(
  config: Pick<GatewayConfig, 'subgraphTimeoutMs' | 'subgraphTimeoutsMs'>,
  subgraph: string,
): SubgraphTimeout {
  const { value, variable } = perSubgraphValue(
    config.subgraphTimeoutsMs,
    subgraph,
    SUBGRAPH_TIMEOUT_PREFIX,
    config.subgraphTimeoutMs,
    'SUBGRAPH_TIMEOUT_MS',
  );
  return { timeoutMs: value, variable };
}

/** The largest answer accepted from a subgraph, and the variable that says so (for messages). */
export interface SubgraphMaxResponse {
  maxBytes: number;
  /** `SUBGRAPH_MAX_RESPONSE_BYTES_<NAME>` when the subgraph has its own, else `SUBGRAPH_MAX_RESPONSE_BYTES`. */
  variable: string;
}

/**
 * The largest answer accepted from a subgraph: its `SUBGRAPH_MAX_RESPONSE_BYTES_<NAME>`, else
 * `SUBGRAPH_MAX_RESPONSE_BYTES`.
 */
export function subgraphMaxResponseBytesFor(
  config: Pick<GatewayConfig, 'subgraphMaxResponseBytes' | 'subgraphMaxResponseBytesByName'>,
  subgraph: string,
): SubgraphMaxResponse {
  const { value, variable } = perSubgraphValue(
    config.subgraphMaxResponseBytesByName,
    subgraph,
    SUBGRAPH_MAX_RESPONSE_PREFIX,
    config.subgraphMaxResponseBytes,
    'SUBGRAPH_MAX_RESPONSE_BYTES',
  );
  return { maxBytes: value, variable };
}

/**
 * A subgraph's own `<prefix><NAME>` value if it has one, else the shared one, with the variable
 * that set it (for messages). Names are compared in env form, like `subgraphUrlFor`'s.
 */
function perSubgraphValue<T>(
  overrides: Record<string, T>,
  subgraph: string,
  prefix: string,
  shared: T,
  sharedVariable: string,
): { value: T; variable: string } {
  const key = subgraphEnvKey(subgraph);
  const override = Object.entries(overrides).find(([name]) => subgraphEnvKey(name) === key);
  return override
    ? { value: override[1], variable: `${prefix}${key}` }
    : { value: shared, variable: sharedVariable };
}
