import { existsSync } from 'node:fs';
import { readEnv, type Env } from './env';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry/config';

export { ConfigError } from './env';

/**
 * A subgraph's settings, read from the environment once at start. Every problem is reported
 * together, each with the variable to set, so that a misconfigured deployment fails at boot
 * rather than on its first request.
 */
export interface SubgraphConfig {
  /** HTTP port. `PORT`, or the subgraph's default port. */
  port: number;
  /** Interface to bind. `HOST`, default 0.0.0.0. */
  host: string;
  /** MongoDB connection string. `MONGODB_URI`, required. */
  mongoUri: string;
  /** Database of this subgraph. `MONGODB_DATABASE`, default `clusterpolisee_<name>`. */
  databaseName: string;
  /**
   * The gateway's public keys (JWKS), a file path or an http(s) URL such as the gateway's
   * `/.well-known/hub-identity-jwks.json`. `GATEWAY_IDENTITY_JWKS`, required: without it no
   * request could be verified.
   */
  identityKeys: string;
  /**
   * `SUBGRAPH_REQUEST_TIMEOUT_MS`, default 11000 (1 to 600000): the longest one request may run
   * here. When it is up, the request stops where it is (no further field is resolved, no further
   * query or write started) and answers REQUEST_TIMEOUT. A request whose caller hangs up first
   * stops then. The default is a little above the gateway's `SUBGRAPH_TIMEOUT_MS` (10000), so
   * that behind the gateway its own timeout decides and this one catches callers that never hang
   * up; raise it with the gateway's (or a `SUBGRAPH_TIMEOUT_MS_<NAME>`).
   */
  requestTimeoutMs: number;
  /** `LOG_LEVEL`, `METRICS_PORT`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `MONGODB_COMMAND_METRICS` (telemetry/config.ts). */
  telemetry: TelemetryConfig;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 11_000;
const MAX_REQUEST_TIMEOUT_MS = 600_000;

export function parseSubgraphConfig(
  name: string,
  defaultPort: number,
  env: Env = process.env,
): SubgraphConfig {
  const reader = readEnv(env);
  const port = reader.integer('PORT', {
    fallback: defaultPort,
    min: 0,
    max: 65_535,
    what: 'a port number from 0 to 65535',
  });
  const mongoUri = reader.text('MONGODB_URI') ?? '';
  if (!/^mongodb(\+srv)?:\/\//.test(mongoUri)) {
    reader.problem(
      mongoUri
        ? `MONGODB_URI must start with mongodb:// or mongodb+srv:// (got "${mongoUri.slice(0, 20)}...").`
        : 'MONGODB_URI is not set: set it to your MongoDB server, or start the subgraph with ' +
            `\`npm run start:subgraph -- ${name}\`, which starts the embedded database.`,
    );
  }
  const databaseName = reader.text('MONGODB_DATABASE') ?? defaultDatabaseName(name);
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(databaseName)) {
    reader.problem('MONGODB_DATABASE may hold only letters, digits, "_" and "-" (at most 63).');
  }
  const identityKeys =
    reader.required(
      'GATEWAY_IDENTITY_JWKS',
      "GATEWAY_IDENTITY_JWKS is not set: set it to the gateway's public keys (a JWKS file, or the gateway's " +
        '/.well-known/hub-identity-jwks.json URL), or start the subgraph with ' +
        `\`npm run start:subgraph -- ${name}\`, which uses the development keys.`,
    ) ?? '';
  if (identityKeys !== '' && !/^https?:\/\//.test(identityKeys) && !existsSync(identityKeys)) {
    reader.problem(
      `GATEWAY_IDENTITY_JWKS=${JSON.stringify(identityKeys)} names a file that does not exist: set it to the ` +
        "gateway's JWKS file or its /.well-known/hub-identity-jwks.json URL.",
    );
  }
  const requestTimeoutMs = reader.integer('SUBGRAPH_REQUEST_TIMEOUT_MS', {
    fallback: DEFAULT_REQUEST_TIMEOUT_MS,
    min: 1,
    max: MAX_REQUEST_TIMEOUT_MS,
    what: `a whole number of milliseconds from 1 to ${MAX_REQUEST_TIMEOUT_MS}`,
  });
  const telemetry = readTelemetryConfig(reader);
  reader.check(`Invalid ${name} configuration`);
  return {
    port,
    host: reader.text('HOST') ?? '0.0.0.0',
    mongoUri,
    databaseName,
    identityKeys,
    requestTimeoutMs,
    telemetry,
  };
}

/** Each subgraph owns one database, so that no subgraph can read another's collections. */
export function defaultDatabaseName(subgraph: string): string {
  return `clusterpolisee_${subgraph}`;
}
