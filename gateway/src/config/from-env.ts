// Reads the gateway's configuration from an environment (process.env in main.ts), with the
// kit's environment rules, and reads the key files it names: the only gateway code that does.
import path from 'node:path';
import { readEnv, type Env, type EnvReader } from '@clusterpolisee/kit/env';
import { readTelemetryConfig } from '@clusterpolisee/kit/telemetry';
import type { JSONWebKeySet } from 'jose';
import { definedOnly } from './complete';
import {
  GATEWAY_DEFAULTS,
  MAX_SUBGRAPH_RESPONSE_BYTES,
  MAX_SUBGRAPH_TIMEOUT_MS,
  MAX_TOKEN_LIFETIME_SECONDS,
  MIN_SUBGRAPH_RESPONSE_BYTES,
} from './defaults';
import { GatewayConfigError } from './error';
import { isAcceptableJwksUrl, readIdentityKeyFile, readJwksFile } from './key-files';
import { readSubgraphBreaker } from './breaker';
import { readSubgraphOverrides } from './subgraph-overrides';
import type {
  GatewayConfig,
  GatewayOptions,
  OperationLimits,
  RateLimitConfig,
  RegistryConfig,
  TokenAuthConfig,
  TrustedDocumentsConfig,
} from './types';

/**
 * Validates `env` and returns the whole config; settings in `given` replace the environment's,
 * and a required variable is only asked for when `given` does not supply its setting. Reads
 * the files that `GATEWAY_IDENTITY_KEY_FILE` and a file `AUTH_JWKS` name, so that a wrong path
 * fails at start. Throws one GatewayConfigError listing every problem.
 */
export function parseGatewayConfig(env: Env, given: GatewayOptions = {}): GatewayConfig {
  const reader = readEnv(env);
  const integer = (variable: string, fallback: number, min: number, max: number, what: string) =>
    reader.integer(variable, { fallback, min, max, what });

  const port = integer('GATEWAY_PORT', GATEWAY_DEFAULTS.port, 0, 65_535, 'a port number from 0 to 65535');
  const subgraphTimeoutMs = integer(
    'SUBGRAPH_TIMEOUT_MS',
    GATEWAY_DEFAULTS.subgraphTimeoutMs,
    1,
    MAX_SUBGRAPH_TIMEOUT_MS,
    `a number of milliseconds from 1 to ${MAX_SUBGRAPH_TIMEOUT_MS}`,
  );
  const subgraphMaxConnections = integer(
    'SUBGRAPH_MAX_CONNECTIONS',
    GATEWAY_DEFAULTS.subgraphMaxConnections,
    1,
    100_000,
    'a whole number of connections per subgraph, at least 1',
  );
  const subgraphMaxResponseBytes = integer(
    'SUBGRAPH_MAX_RESPONSE_BYTES',
    GATEWAY_DEFAULTS.subgraphMaxResponseBytes,
    MIN_SUBGRAPH_RESPONSE_BYTES,
    MAX_SUBGRAPH_RESPONSE_BYTES,
    `a number of bytes from ${MIN_SUBGRAPH_RESPONSE_BYTES} to ${MAX_SUBGRAPH_RESPONSE_BYTES}`,
  );
  const documentCacheMiB = integer(
    'GATEWAY_DOCUMENT_CACHE_MIB',
    GATEWAY_DEFAULTS.documentCacheMiB,
    1,
    1024,
    'a whole number of MiB from 1 to 1024 for parsed operations',
  );
  const queryPlanCacheMiB = integer(
    'GATEWAY_QUERY_PLAN_CACHE_MIB',
    GATEWAY_DEFAULTS.queryPlanCacheMiB,
    1,
    1024,
    'a whole number of MiB from 1 to 1024 for query plans',
  );
  const ide = reader.onOff('GATEWAY_IDE', GATEWAY_DEFAULTS.ide, 'the GraphQL IDE for browsers');
  const introspection = reader.onOff(
    'GATEWAY_INTROSPECTION',
    GATEWAY_DEFAULTS.introspection,
    'schema introspection',
  );
  const readyRequiresSubgraphs = reader.onOff(
    'GATEWAY_READY_REQUIRES_SUBGRAPHS',
    GATEWAY_DEFAULTS.readyRequiresSubgraphs,
    "failing /ready while one of the supergraph's own subgraphs is down",
  );

  const supergraphSetting = reader.text('SUPERGRAPH_PATH');
  const supergraphPath = supergraphSetting
    ? path.resolve(supergraphSetting)
    : GATEWAY_DEFAULTS.supergraphPath;
  const overrides = readSubgraphOverrides(reader, { subgraphTimeoutMs, subgraphMaxResponseBytes });
  const breaker = readSubgraphBreaker(reader);

  const auth = given.auth ?? readAuth(reader);
  const maxTokenLifetimeSeconds = integer(
    'GATEWAY_MAX_TOKEN_LIFETIME_SECONDS',
    GATEWAY_DEFAULTS.maxTokenLifetimeSeconds,
    60,
    MAX_TOKEN_LIFETIME_SECONDS,
    `a number of seconds from 60 to ${MAX_TOKEN_LIFETIME_SECONDS} (30 days), the longest a caller's token may be valid`,
  );
  const identityKeyPem = given.identityKeyPem ?? readIdentityKey(reader);

  const defaults = GATEWAY_DEFAULTS.limits;
  const limit = (variable: string, fallback: number, max: number, what: string) =>
    integer(variable, fallback, 1, max, `a whole number of ${what} from 1 to ${max}`);
  const limits: OperationLimits = {
    maxDepth: limit('GATEWAY_MAX_DEPTH', defaults.maxDepth, 1_000, 'levels'),
    maxAliases: limit('GATEWAY_MAX_ALIASES', defaults.maxAliases, 10_000, 'aliases'),
    maxCost: limit('GATEWAY_MAX_COST', defaults.maxCost, 100_000_000, 'cost points'),
    defaultListSize: limit('GATEWAY_DEFAULT_LIST_SIZE', defaults.defaultListSize, 10_000, 'list items'),
    maxTokens: limit('GATEWAY_MAX_TOKENS', defaults.maxTokens, 1_000_000, 'tokens'),
    maxDirectives: limit('GATEWAY_MAX_DIRECTIVES', defaults.maxDirectives, 10_000, 'directives'),
    maxSearchLength: limit('GATEWAY_MAX_SEARCH_LENGTH', defaults.maxSearchLength, 100_000, 'characters'),
    maxArgumentLength: limit(
      'GATEWAY_MAX_ARGUMENT_LENGTH',
      defaults.maxArgumentLength,
      1_000_000,
      'characters',
    ),
    maxInputLength: limit('GATEWAY_MAX_INPUT_LENGTH', defaults.maxInputLength, 100_000_000, 'characters'),
  };
  const maxBodyBytes = integer(
    'GATEWAY_MAX_BODY_BYTES',
    GATEWAY_DEFAULTS.maxBodyBytes,
    1_024,
    1024 * 1024 * 1024,
    'a number of bytes from 1024 to 1073741824',
  );
  const maxBatchSize = integer(
    'GATEWAY_MAX_BATCH_SIZE',
    GATEWAY_DEFAULTS.maxBatchSize,
    0,
    1_000,
    'the most operations one batched request may hold, 0 to refuse batches',
  );
  const rateLimit = readRateLimit(reader, given.rateLimit ?? {});
  const trustProxyHops = integer(
    'GATEWAY_TRUST_PROXY_HOPS',
    GATEWAY_DEFAULTS.trustProxyHops,
    0,
    10,
    'the number of proxies in front of the gateway, 0 to 10',
  );
  const corsOrigins = readOrigins(reader);
  const trustedDir = reader.text('GATEWAY_TRUSTED_DOCUMENTS_DIR');
  const trustedDocuments: TrustedDocumentsConfig = {
    enabled: reader.onOff(
      'GATEWAY_TRUSTED_DOCUMENTS',
      GATEWAY_DEFAULTS.trustedDocuments.enabled,
      'trusted documents (only the listed operations are accepted)',
    ),
    dir: trustedDir ? path.resolve(trustedDir) : GATEWAY_DEFAULTS.trustedDocuments.dir,
  };

  const registry = readRegistry(reader, given.registry ?? {});
  const driftCheckMs = integer(
    'GATEWAY_DRIFT_CHECK_MS',
    GATEWAY_DEFAULTS.driftCheckMs,
    0,
    86_400_000,
    "a number of milliseconds up to 86400000 between two comparisons of subgraphs' served and published SDL, 0 for off",
  );

  const telemetry = readTelemetryConfig(reader);

  if (reader.problems.length > 0) throw new GatewayConfigError(reader.problems);
  const {
    limits: givenLimits,
    rateLimit: givenRateLimit,
    trustedDocuments: givenTrusted,
    registry: givenRegistry,
    subgraphBreaker: givenBreaker,
    telemetry: givenTelemetry,
    ...rest
  } = given;
  return {
    port,
    supergraphPath,
    subgraphTimeoutMs,
    subgraphTimeoutsMs: overrides.subgraphTimeoutsMs,
    subgraphMaxConnections,
    subgraphMaxResponseBytes,
    subgraphMaxResponseBytesByName: overrides.subgraphMaxResponseBytesByName,
    subgraphBreakerByName: breaker.subgraphBreakerByName,
    documentCacheMiB,
    queryPlanCacheMiB,
    subgraphUrls: overrides.subgraphUrls,
    ide,
    introspection,
    readyRequiresSubgraphs,
    auth,
    maxTokenLifetimeSeconds,
    identityKeyPem,
    maxBodyBytes,
    maxBatchSize,
    trustProxyHops,
    corsOrigins,
    driftCheckMs,
    ...definedOnly(rest),
    limits: { ...limits, ...definedOnly(givenLimits ?? {}) },
    rateLimit: { ...rateLimit, ...definedOnly(givenRateLimit ?? {}) },
    trustedDocuments: { ...trustedDocuments, ...definedOnly(givenTrusted ?? {}) },
    registry: { ...registry, ...definedOnly(givenRegistry ?? {}) },
    subgraphBreaker: { ...breaker.subgraphBreaker, ...definedOnly(givenBreaker ?? {}) },
    telemetry: { ...telemetry, ...definedOnly(givenTelemetry ?? {}) },
  };
}

function readRegistry(reader: EnvReader, given: Partial<RegistryConfig>): RegistryConfig {
  const defaults = GATEWAY_DEFAULTS.registry;
  const mongoUri = given.mongoUri ?? reader.text('MONGODB_URI') ?? '';
  // On wherever a database is: every replica then serves what was published, not its own file.
  const enabled = given.enabled ?? reader.onOff('GATEWAY_REGISTRY', mongoUri !== '', 'the schema registry');
  if (enabled && !/^mongodb(\+srv)?:\/\//.test(mongoUri)) {
    reader.problem(
      mongoUri
        ? `MONGODB_URI must start with mongodb:// or mongodb+srv:// (got "${mongoUri.slice(0, 20)}...").`
        : 'MONGODB_URI is not set: the schema registry (GATEWAY_REGISTRY=on) lives in MongoDB; set it, or set GATEWAY_REGISTRY=off.',
    );
  }
  const database = reader.text('GATEWAY_REGISTRY_DATABASE') ?? defaults.database;
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) {
    reader.problem('GATEWAY_REGISTRY_DATABASE may hold only letters, digits, "_" and "-" (at most 63).');
  }
  const pollMs = reader.integer('GATEWAY_REGISTRY_POLL_MS', {
    fallback: defaults.pollMs,
    min: 50,
    max: 3_600_000,
    what: 'a number of milliseconds from 50 to 3600000 between two looks at the schema registry',
  });
  const usageFlushSeconds = reader.integer('GATEWAY_USAGE_FLUSH_SECONDS', {
    fallback: defaults.usageFlushSeconds,
    min: 1,
    max: 3_600,
    what: 'a number of seconds from 1 to 3600 between two writes of the recorded usage',
  });
  const usageMaxEntries = reader.integer('GATEWAY_USAGE_MAX_ENTRIES', {
    fallback: defaults.usageMaxEntries,
    min: 1,
    max: 1_000_000,
    what: 'a number from 1 to 1000000 of distinct (operation, client) pairs held between two usage writes',
  });
  const usageWindowDays = reader.integer('GATEWAY_USAGE_WINDOW_DAYS', {
    fallback: defaults.usageWindowDays,
    min: 1,
    max: 3_650,
    what: 'a number of days from 1 to 3650 of recorded usage the registry checks look at',
  });
  return { enabled, mongoUri, database, pollMs, usageFlushSeconds, usageMaxEntries, usageWindowDays };
}

function readAuth(reader: EnvReader): TokenAuthConfig {
  const jwksSource = reader.text('AUTH_JWKS');
  const issuer = reader.text('AUTH_ISSUER');
  const audience = reader.text('AUTH_AUDIENCE');
  const missing = [
    jwksSource ? undefined : "AUTH_JWKS (a JWKS file path or https URL of the token issuer's public keys)",
    issuer ? undefined : 'AUTH_ISSUER (the "iss" of valid tokens)',
    audience ? undefined : 'AUTH_AUDIENCE (the "aud" of valid tokens)',
  ].filter((item): item is string => item !== undefined);
  if (missing.length > 0) {
    reader.problem(
      `Callers' tokens cannot be checked: set ${missing.join(', ')}. ` +
        '`npm start` and `npm run start:gateway` set development ones.',
    );
  }
  let jwks: string | JSONWebKeySet = jwksSource ?? '';
  if (jwksSource && /^https?:\/\//i.test(jwksSource)) {
    if (!isAcceptableJwksUrl(jwksSource)) {
      reader.problem(
        `AUTH_JWKS=${JSON.stringify(jwksSource)} is not acceptable: keys are fetched over https (plain http only from localhost).`,
      );
    }
  } else if (jwksSource) {
    try {
      jwks = readJwksFile(jwksSource);
    } catch (error) {
      reader.problem(`AUTH_JWKS=${JSON.stringify(jwksSource)}: ${(error as Error).message}`);
    }
  }
  return { jwks, issuer: issuer ?? '', audience: audience ?? '' };
}

function readIdentityKey(reader: EnvReader): string {
  const file = reader.required(
    'GATEWAY_IDENTITY_KEY_FILE',
    'GATEWAY_IDENTITY_KEY_FILE is not set: set it to the EC P-256 private key (PKCS #8 PEM) that signs ' +
      'the identity forwarded to subgraphs (`npm start` and `npm run start:gateway` create a development one).',
  );
  if (file === undefined) return '';
  const key = readIdentityKeyFile('GATEWAY_IDENTITY_KEY_FILE', file);
  if ('problem' in key) {
    reader.problem(key.problem);
    return '';
  }
  return key.pem;
}

function readRateLimit(reader: EnvReader, given: Partial<RateLimitConfig>): RateLimitConfig {
  const defaults = GATEWAY_DEFAULTS.rateLimit;
  const enabled = given.enabled ?? reader.onOff('GATEWAY_RATE_LIMIT', defaults.enabled, 'rate limiting');
  const mongoUri = given.mongoUri ?? reader.text('MONGODB_URI') ?? '';
  if (enabled && !/^mongodb(\+srv)?:\/\//.test(mongoUri)) {
    reader.problem(
      mongoUri
        ? `MONGODB_URI must start with mongodb:// or mongodb+srv:// (got "${mongoUri.slice(0, 20)}...").`
        : 'MONGODB_URI is not set: the gateway keeps its rate-limit counters in MongoDB so that they hold ' +
            'across replicas; set it to your MongoDB server, or set GATEWAY_RATE_LIMIT=off.',
    );
  }
  const database = reader.text('GATEWAY_RATE_LIMIT_DATABASE') ?? defaults.database;
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) {
    reader.problem('GATEWAY_RATE_LIMIT_DATABASE may hold only letters, digits, "_" and "-" (at most 63).');
  }
  return {
    enabled,
    points: reader.integer('GATEWAY_RATE_LIMIT_POINTS', {
      fallback: defaults.points,
      min: 1,
      max: 10_000_000,
      what: 'operations per window',
    }),
    anonymousPoints: reader.integer('GATEWAY_RATE_LIMIT_ANONYMOUS_POINTS', {
      fallback: defaults.anonymousPoints,
      min: 1,
      max: 10_000_000,
      what: 'operations per window for each anonymous client',
    }),
    windowSeconds: reader.integer('GATEWAY_RATE_LIMIT_WINDOW_SECONDS', {
      fallback: defaults.windowSeconds,
      min: 1,
      max: 86_400,
      what: 'a number of seconds from 1 to 86400',
    }),
    mongoUri,
    database,
  };
}

function readOrigins(reader: EnvReader): string[] {
  const origins = (reader.text('GATEWAY_CORS_ORIGINS') ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:(\d{1,5}|\*))?$/.test(origin)) {
      reader.problem(
        `GATEWAY_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin: write scheme://host[:port] without a path, ` +
          'e.g. https://app.example.org or http://localhost:*, comma-separated.',
      );
    }
  }
  return origins;
}
