// The gateway's configuration: read from the environment once, validated, and refused with a
// message that says which variable to set when something is wrong.
import path from 'node:path';

export interface GatewayConfig {
  /** `GATEWAY_PORT`, default 4000. 0 picks a free port (tests). */
  port: number;
  /** `SUPERGRAPH_PATH`, default `<repo>/schema/supergraph.graphql`; relative paths are from the working directory. */
  supergraphPath: string;
  /** `SUBGRAPH_TIMEOUT_MS`, default 10000: how long one subgraph call (headers and body) may take. */
  subgraphTimeoutMs: number;
  /** `SUBGRAPH_MAX_CONNECTIONS`, default 64: open connections per subgraph origin. */
  subgraphMaxConnections: number;
  /**
   * `SUBGRAPH_URL_<NAME>`: routing URLs that replace the supergraph's, keyed by the `<NAME>` part
   * (upper case; a subgraph `partner-data` is `SUBGRAPH_URL_PARTNER_DATA`). Use `subgraphUrlFor`.
   */
  subgraphUrls: Record<string, string>;
  /** `GATEWAY_IDE`, `on` (default) or `off`: the analysts' GraphQL IDE for browsers at `/graphql` and `/`. */
  ide: boolean;
  /** `GATEWAY_INTROSPECTION`, `on` (default) or `off`: whether the schema may be introspected. */
  introspection: boolean;
}

export const GATEWAY_DEFAULTS = {
  port: 4000,
  supergraphPath: path.resolve(__dirname, '../../schema/supergraph.graphql'),
  subgraphTimeoutMs: 10_000,
  subgraphMaxConnections: 64,
  ide: true,
  introspection: true,
} as const;

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** Thrown for an invalid environment; the message lists every variable to fix. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}

/** Validates `env` (pure: no defaults read from anywhere else) and returns the whole config. */
export function parseGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number, what: string): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(
        `${name}=${JSON.stringify(env[name])} is not valid: set it to ${what} (default ${fallback}).`,
      );
      return fallback;
    }
    return value;
  };

  const port = integer('GATEWAY_PORT', GATEWAY_DEFAULTS.port, 0, 65_535, 'a port number from 0 to 65535');
  const subgraphTimeoutMs = integer(
    'SUBGRAPH_TIMEOUT_MS',
    GATEWAY_DEFAULTS.subgraphTimeoutMs,
    1,
    600_000,
    'a number of milliseconds from 1 to 600000',
  );
  const subgraphMaxConnections = integer(
    'SUBGRAPH_MAX_CONNECTIONS',
    GATEWAY_DEFAULTS.subgraphMaxConnections,
    1,
    100_000,
    'a whole number of connections per subgraph, at least 1',
  );

  const onOff = (name: string, fallback: boolean, what: string): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'on' || raw === 'off') return raw === 'on';
    problems.push(
      `${name}=${JSON.stringify(env[name])} is not valid: set it to on or off to switch ${what} (default ${fallback ? 'on' : 'off'}).`,
    );
    return fallback;
  };
  const ide = onOff('GATEWAY_IDE', GATEWAY_DEFAULTS.ide, 'the GraphQL IDE for browsers');
  const introspection = onOff(
    'GATEWAY_INTROSPECTION',
    GATEWAY_DEFAULTS.introspection,
    'schema introspection',
  );

  const supergraphRaw = env.SUPERGRAPH_PATH?.trim();
  const supergraphPath = supergraphRaw ? path.resolve(supergraphRaw) : GATEWAY_DEFAULTS.supergraphPath;

  const subgraphUrls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(SUBGRAPH_URL_PREFIX) || value === undefined || value.trim() === '') continue;
    const subgraph = name.slice(SUBGRAPH_URL_PREFIX.length);
    if (!/^[A-Z0-9_]+$/.test(subgraph)) {
      problems.push(
        `${name} does not name a subgraph: use SUBGRAPH_URL_<NAME> with NAME in upper case, e.g. SUBGRAPH_URL_PARTNERS.`,
      );
      continue;
    }
    if (!isHttpUrl(value.trim())) {
      problems.push(
        `${name}=${JSON.stringify(value)} is not an http(s) URL: set it to the subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql.`,
      );
      continue;
    }
    subgraphUrls[subgraph] = value.trim();
  }

  if (problems.length > 0) {
    throw new GatewayConfigError(`Invalid gateway configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    port,
    supergraphPath,
    subgraphTimeoutMs,
    subgraphMaxConnections,
    subgraphUrls,
    ide,
    introspection,
  };
}

let memo: GatewayConfig | undefined;

/** The configuration from `process.env`, read and validated on first call. */
export function gatewayConfig(): GatewayConfig {
  memo ??= parseGatewayConfig(process.env);
  return memo;
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

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
