// The gateway's configuration: read from the environment once, validated, and refused with a
// message that says which variable to set when something is wrong.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';

export interface GatewayConfig {
  /** `GATEWAY_PORT`, default 4000. 0 picks a free port (tests). */
  port: number;
  /** `SUPERGRAPH_PATH`, default `<repo>/schema/supergraph.graphql`; relative paths are from the working directory. */
  supergraphPath: string;
  /** `SUBGRAPH_TIMEOUT_MS`, default 10000: how long one subgraph call (headers and body) may take. */
  subgraphTimeoutMs: number;
  /**
   * `SUBGRAPH_TIMEOUT_MS_<NAME>`: a subgraph's own timeout in milliseconds, replacing
   * `SUBGRAPH_TIMEOUT_MS` for its calls, keyed like `subgraphUrls` (`SUBGRAPH_TIMEOUT_MS_PARTNERS`).
   * Use `subgraphTimeoutFor`.
   */
  subgraphTimeoutsMs: Record<string, number>;
  /** `SUBGRAPH_MAX_CONNECTIONS`, default 64: open connections per subgraph origin. */
  subgraphMaxConnections: number;
  /**
   * `SUBGRAPH_MAX_RESPONSE_BYTES`, default 16777216 (16 MiB): the largest response body the gateway
   * reads from a subgraph. It counts while the body streams in and drops the call at the limit
   * (SUBGRAPH_RESPONSE_TOO_LARGE), so one runaway answer cannot fill the gateway's memory.
   */
  subgraphMaxResponseBytes: number;
  /**
   * `SUBGRAPH_MAX_RESPONSE_BYTES_<NAME>`: a subgraph's own maximum, replacing
   * `SUBGRAPH_MAX_RESPONSE_BYTES` for its calls, keyed like `subgraphUrls`. Use
   * `subgraphMaxResponseBytesFor`.
   */
  subgraphMaxResponseBytesByName: Record<string, number>;
  /**
   * `GATEWAY_DOCUMENT_CACHE_MIB`, default 4: parsed and validated operations kept by their text,
   * by Apollo's estimate of their size (the JSON of the syntax tree, 3 to 6 KB for the README's
   * operations), so some 700 to 1,300 of them. Apollo's own default is 30 MiB.
   */
  documentCacheMiB: number;
  /**
   * `GATEWAY_QUERY_PLAN_CACHE_MIB`, default 4: query plans kept by operation, estimated the same
   * way; Apollo's own default is 30 MiB. Both caches fill only with distinct operations, and the
   * estimate is far below what the heap holds: after 6,000 distinct cross-subgraph operations the
   * gateway's heap had grown by 114 MB with 30 MiB each, 60 MB with 8 and 34 MB with 4. Front ends
   * and the IDE's examples use tens of operations.
   */
  queryPlanCacheMiB: number;
  /**
   * `SUBGRAPH_URL_<NAME>`: routing URLs that replace the supergraph's, keyed by the `<NAME>` part
   * (upper case; a subgraph `partner-data` is `SUBGRAPH_URL_PARTNER_DATA`). Use `subgraphUrlFor`.
   */
  subgraphUrls: Record<string, string>;
  /** `GATEWAY_IDE`, `on` (default) or `off`: the analysts' GraphQL IDE for browsers at `/graphql` and `/`. */
  ide: boolean;
  /** `GATEWAY_INTROSPECTION`, `on` (default) or `off`: whether the schema may be introspected. */
  introspection: boolean;
  /** How callers' tokens are checked: `AUTH_JWKS`, `AUTH_ISSUER`, `AUTH_AUDIENCE`, all required. */
  auth: TokenAuthConfig;
  /**
   * `GATEWAY_MAX_TOKEN_LIFETIME_SECONDS`, default 86400 (24 h): the longest a caller's token may
   * be valid. Refused: a token whose `exp` is further than this after its `iat`, or (with or
   * without `iat`) further than this from now, so that a leaked long-lived token is worthless here.
   */
  maxTokenLifetimeSeconds: number;
  /**
   * The gateway's EC P-256 private key (PKCS #8 PEM) that signs the identity forwarded to
   * subgraphs: read from the file `GATEWAY_IDENTITY_KEY_FILE`, required.
   */
  identityKeyPem: string;
  /** Limits on the shape of an operation, checked before anything is executed. */
  limits: OperationLimits;
  /** `GATEWAY_MAX_BODY_BYTES`, default 1048576 (1 MiB): larger request bodies get 413. */
  maxBodyBytes: number;
  /**
   * `GATEWAY_MAX_BATCH_SIZE`, default 0: batched requests (a JSON array of operations) are refused.
   * From 1 on, batches of up to that many operations are accepted and larger ones get 400.
   */
  maxBatchSize: number;
  rateLimit: RateLimitConfig;
  /**
   * `GATEWAY_TRUST_PROXY_HOPS`, default 0: how many proxies in front of the gateway append to
   * `X-Forwarded-For`. 0 takes the client address from the connection, which behind a load
   * balancer is the balancer's: set the number of hops there so anonymous callers are told apart.
   */
  trustProxyHops: number;
  /**
   * `GATEWAY_CORS_ORIGINS`, comma-separated, default none (same-origin only): origins whose
   * browser pages may call the gateway, e.g. `https://app.example.org`. A port may be `*`
   * (`http://localhost:*`), and `*` alone allows every origin.
   */
  corsOrigins: string[];
  trustedDocuments: TrustedDocumentsConfig;
}

export interface TokenAuthConfig {
  /**
   * `AUTH_JWKS`: the token issuer's public keys, as a JWKS file path, an https URL (fetched and
   * cached, refetched for unknown key ids), or the key set itself (tests).
   */
  jwks: string | JSONWebKeySet;
  /** `AUTH_ISSUER`: the `iss` every token must carry. */
  issuer: string;
  /** `AUTH_AUDIENCE`: the `aud` every token must carry (this hub). */
  audience: string;
}

/** What the limit rules and the parser allow in one operation; the defaults let every example and ordinary front-end query through. */
export interface OperationLimits {
  /** `GATEWAY_MAX_DEPTH`, default 10: nesting of fields (the examples reach 5). */
  maxDepth: number;
  /** `GATEWAY_MAX_ALIASES`, default 15. */
  maxAliases: number;
  /**
   * `GATEWAY_MAX_COST`, default 100000: the hub's estimate (limits/query-cost.ts) of the objects
   * the subgraphs may have to produce: each object field counts 1 for every item of every list
   * around it, a list counting its `first` (a variable as 100, left out as the page default) or the
   * `@listSize(assumedSize)` its SDL declares. The IDE and README examples cost 24 to 4741, the
   * bench's W1 1951, a 100-item page of organisations with budgets, claims, working groups and
   * events 22701, every partner of every country with its cross-subgraph fields 79020; the
   * cyclic `workingGroups { members { workingGroups ... } }` of depth 8 costs over 10^9.
   */
  maxCost: number;
  /**
   * `GATEWAY_DEFAULT_LIST_SIZE`, default 50: the size the cost estimate assumes for a list field
   * whose SDL declares no `@listSize`, so that an undeclared list of a partner's subgraph is never free.
   */
  defaultListSize: number;
  /** `GATEWAY_MAX_TOKENS`, default 2000: lexical tokens in the document (the examples have under 70). */
  maxTokens: number;
  /** `GATEWAY_MAX_DIRECTIVES`, default 50. */
  maxDirectives: number;
}

export interface RateLimitConfig {
  /** `GATEWAY_RATE_LIMIT`, `on` (default) or `off`. */
  enabled: boolean;
  /** `GATEWAY_RATE_LIMIT_POINTS`, default 600: operations per window for each token subject. */
  points: number;
  /** `GATEWAY_RATE_LIMIT_ANONYMOUS_POINTS`, default 120: operations per window for each anonymous client address. */
  anonymousPoints: number;
  /** `GATEWAY_RATE_LIMIT_WINDOW_SECONDS`, default 60. */
  windowSeconds: number;
  /** `MONGODB_URI`: where the counters live, shared by all gateway replicas. Required while enabled. */
  mongoUri: string;
  /** `GATEWAY_RATE_LIMIT_DATABASE`, default `clusterpolisee_gateway`. */
  database: string;
}

export interface TrustedDocumentsConfig {
  /** `GATEWAY_TRUSTED_DOCUMENTS`, `on` or `off` (default): accept only the listed operations (analysts and admins excepted). */
  enabled: boolean;
  /** `GATEWAY_TRUSTED_DOCUMENTS_DIR`, default `<repo>/schema/operations`: the `.graphql` files listed. */
  dir: string;
}

/**
 * What `startGateway` accepts: any setting, replacing the environment's; the nested groups may be
 * given in part.
 */
export type GatewayOptions = Partial<Omit<GatewayConfig, 'limits' | 'rateLimit' | 'trustedDocuments'>> & {
  limits?: Partial<OperationLimits>;
  rateLimit?: Partial<RateLimitConfig>;
  trustedDocuments?: Partial<TrustedDocumentsConfig>;
};

export const GATEWAY_DEFAULTS = {
  port: 4000,
  supergraphPath: path.resolve(__dirname, '../../schema/supergraph.graphql'),
  subgraphTimeoutMs: 10_000,
  subgraphMaxConnections: 64,
  subgraphMaxResponseBytes: 16 * 1024 * 1024,
  documentCacheMiB: 4,
  queryPlanCacheMiB: 4,
  ide: true,
  introspection: true,
  maxTokenLifetimeSeconds: 86_400,
  limits: {
    maxDepth: 10,
    maxAliases: 15,
    maxCost: 100_000,
    defaultListSize: 50,
    maxTokens: 2_000,
    maxDirectives: 50,
  },
  maxBodyBytes: 1024 * 1024,
  maxBatchSize: 0,
  rateLimit: {
    enabled: true,
    points: 600,
    anonymousPoints: 120,
    windowSeconds: 60,
    database: 'clusterpolisee_gateway',
  },
  trustProxyHops: 0,
  corsOrigins: [],
  trustedDocuments: {
    enabled: false,
    dir: path.resolve(__dirname, '../../schema/operations'),
  },
} as const;

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';
const SUBGRAPH_TIMEOUT_PREFIX = 'SUBGRAPH_TIMEOUT_MS_';
const SUBGRAPH_MAX_RESPONSE_PREFIX = 'SUBGRAPH_MAX_RESPONSE_BYTES_';

/** What a per-subgraph setting's reader says of a value it refuses. */
class Problem {
  constructor(readonly message: string) {}
}

/**
 * The per-subgraph settings `<prefix><NAME>` that are set, by NAME, each read by `read` from its
 * trimmed value; a NAME not in upper case, or a value `read` refuses, is a problem.
 */
function perSubgraph<T>(
  env: NodeJS.ProcessEnv,
  prefix: string,
  example: string,
  problems: string[],
  read: (name: string, value: string) => T | Problem,
): Record<string, T> {
  const settings: Record<string, T> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined || value.trim() === '') continue;
    const subgraph = name.slice(prefix.length);
    if (!/^[A-Z0-9_]+$/.test(subgraph)) {
      problems.push(
        `${name} does not name a subgraph: use ${prefix}<NAME> with NAME in upper case, e.g. ${example}.`,
      );
      continue;
    }
    const setting = read(name, value.trim());
    if (setting instanceof Problem) problems.push(setting.message);
    else settings[subgraph] = setting;
  }
  return settings;
}
const MAX_SUBGRAPH_TIMEOUT_MS = 600_000;
const MIN_SUBGRAPH_RESPONSE_BYTES = 1_024;
const MAX_SUBGRAPH_RESPONSE_BYTES = 1024 * 1024 * 1024;
/** 30 days: identity providers issue access tokens for minutes to hours; longer is a refresh token's job. */
const MAX_TOKEN_LIFETIME_SECONDS = 2_592_000;

/** Thrown for an invalid environment; the message lists every variable to fix. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
}

/**
 * Validates `env` and returns the whole config; settings in `given` replace the environment's,
 * and a required variable is only asked for when `given` does not supply its setting. Reads
 * the files that `GATEWAY_IDENTITY_KEY_FILE` and a file `AUTH_JWKS` name, so that a wrong path
 * fails at start.
 */
export function parseGatewayConfig(
  env: Record<string, string | undefined>,
  given: GatewayOptions = {},
): GatewayConfig {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const integer = (name: string, fallback: number, min: number, max: number, what: string): number => {
    const text = raw(name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
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

  const onOff = (name: string, fallback: boolean, what: string): boolean => {
    const text = raw(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (text === 'on' || text === 'off') return text === 'on';
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

  const supergraphRaw = raw('SUPERGRAPH_PATH');
  const supergraphPath = supergraphRaw ? path.resolve(supergraphRaw) : GATEWAY_DEFAULTS.supergraphPath;

  const subgraphUrls = perSubgraph(
    env,
    SUBGRAPH_URL_PREFIX,
    'SUBGRAPH_URL_PARTNERS',
    problems,
    (name, value) =>
      isHttpUrl(value)
        ? value
        : new Problem(
            `${name}=${JSON.stringify(value)} is not an http(s) URL: set it to the subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4001/graphql.`,
          ),
  );
  const subgraphTimeoutsMs = perSubgraph(
    env,
    SUBGRAPH_TIMEOUT_PREFIX,
    'SUBGRAPH_TIMEOUT_MS_PARTNERS',
    problems,
    (name, value) => {
      const timeoutMs = /^\d+$/.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_SUBGRAPH_TIMEOUT_MS
        ? timeoutMs
        : new Problem(
            `${name}=${JSON.stringify(value)} is not valid: set it to a number of milliseconds from 1 to ${MAX_SUBGRAPH_TIMEOUT_MS} ` +
              `for that subgraph's calls, or unset it to use SUBGRAPH_TIMEOUT_MS.`,
          );
    },
  );

  const subgraphMaxResponseBytesByName = perSubgraph(
    env,
    SUBGRAPH_MAX_RESPONSE_PREFIX,
    'SUBGRAPH_MAX_RESPONSE_BYTES_PARTNERS',
    problems,
    (name, value) => {
      const bytes = /^\d+$/.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(bytes) &&
        bytes >= MIN_SUBGRAPH_RESPONSE_BYTES &&
        bytes <= MAX_SUBGRAPH_RESPONSE_BYTES
        ? bytes
        : new Problem(
            `${name}=${JSON.stringify(value)} is not valid: set it to a number of bytes from ${MIN_SUBGRAPH_RESPONSE_BYTES} ` +
              `to ${MAX_SUBGRAPH_RESPONSE_BYTES} for that subgraph's answers, or unset it to use SUBGRAPH_MAX_RESPONSE_BYTES.`,
          );
    },
  );

  const auth = given.auth ?? parseAuth(raw, problems);
  const maxTokenLifetimeSeconds = integer(
    'GATEWAY_MAX_TOKEN_LIFETIME_SECONDS',
    GATEWAY_DEFAULTS.maxTokenLifetimeSeconds,
    60,
    MAX_TOKEN_LIFETIME_SECONDS,
    `a number of seconds from 60 to ${MAX_TOKEN_LIFETIME_SECONDS} (30 days), the longest a caller's token may be valid`,
  );
  const identityKeyPem = given.identityKeyPem ?? readIdentityKey(raw('GATEWAY_IDENTITY_KEY_FILE'), problems);

  const defaults = GATEWAY_DEFAULTS.limits;
  const limit = (name: string, fallback: number, max: number, what: string) =>
    integer(name, fallback, 1, max, `a whole number of ${what} from 1 to ${max}`);
  const limits: OperationLimits = {
    maxDepth: limit('GATEWAY_MAX_DEPTH', defaults.maxDepth, 1_000, 'levels'),
    maxAliases: limit('GATEWAY_MAX_ALIASES', defaults.maxAliases, 10_000, 'aliases'),
    maxCost: limit('GATEWAY_MAX_COST', defaults.maxCost, 100_000_000, 'cost points'),
    defaultListSize: limit('GATEWAY_DEFAULT_LIST_SIZE', defaults.defaultListSize, 10_000, 'list items'),
    maxTokens: limit('GATEWAY_MAX_TOKENS', defaults.maxTokens, 1_000_000, 'tokens'),
    maxDirectives: limit('GATEWAY_MAX_DIRECTIVES', defaults.maxDirectives, 10_000, 'directives'),
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

  const rateDefaults = GATEWAY_DEFAULTS.rateLimit;
  const rateLimitEnabled =
    given.rateLimit?.enabled ?? onOff('GATEWAY_RATE_LIMIT', rateDefaults.enabled, 'rate limiting');
  const mongoUri = given.rateLimit?.mongoUri ?? raw('MONGODB_URI') ?? '';
  if (rateLimitEnabled && !/^mongodb(\+srv)?:\/\//.test(mongoUri)) {
    problems.push(
      mongoUri
        ? `MONGODB_URI must start with mongodb:// or mongodb+srv:// (got "${mongoUri.slice(0, 20)}...").`
        : 'MONGODB_URI is not set: the gateway keeps its rate-limit counters in MongoDB so that they hold ' +
            'across replicas; set it to your MongoDB server, or set GATEWAY_RATE_LIMIT=off.',
    );
  }
  const rateLimit: RateLimitConfig = {
    enabled: rateLimitEnabled,
    points: integer('GATEWAY_RATE_LIMIT_POINTS', rateDefaults.points, 1, 10_000_000, 'operations per window'),
    anonymousPoints: integer(
      'GATEWAY_RATE_LIMIT_ANONYMOUS_POINTS',
      rateDefaults.anonymousPoints,
      1,
      10_000_000,
      'operations per window for each anonymous client',
    ),
    windowSeconds: integer(
      'GATEWAY_RATE_LIMIT_WINDOW_SECONDS',
      rateDefaults.windowSeconds,
      1,
      86_400,
      'a number of seconds from 1 to 86400',
    ),
    mongoUri,
    database: raw('GATEWAY_RATE_LIMIT_DATABASE') ?? rateDefaults.database,
  };
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(rateLimit.database)) {
    problems.push('GATEWAY_RATE_LIMIT_DATABASE may hold only letters, digits, "_" and "-" (at most 63).');
  }
  const trustProxyHops = integer(
    'GATEWAY_TRUST_PROXY_HOPS',
    GATEWAY_DEFAULTS.trustProxyHops,
    0,
    10,
    'the number of proxies in front of the gateway, 0 to 10',
  );
  const corsOrigins = parseOrigins(env.GATEWAY_CORS_ORIGINS, problems);

  const trustedDir = raw('GATEWAY_TRUSTED_DOCUMENTS_DIR');
  const trustedDocuments: TrustedDocumentsConfig = {
    enabled: onOff(
      'GATEWAY_TRUSTED_DOCUMENTS',
      GATEWAY_DEFAULTS.trustedDocuments.enabled,
      'trusted documents (only the listed operations are accepted)',
    ),
    dir: trustedDir ? path.resolve(trustedDir) : GATEWAY_DEFAULTS.trustedDocuments.dir,
  };

  if (problems.length > 0) {
    throw new GatewayConfigError(`Invalid gateway configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const { limits: givenLimits, rateLimit: givenRateLimit, trustedDocuments: givenTrusted, ...rest } = given;
  return {
    port,
    supergraphPath,
    subgraphTimeoutMs,
    subgraphTimeoutsMs,
    subgraphMaxConnections,
    subgraphMaxResponseBytes,
    subgraphMaxResponseBytesByName,
    documentCacheMiB,
    queryPlanCacheMiB,
    subgraphUrls,
    ide,
    introspection,
    auth,
    maxTokenLifetimeSeconds,
    identityKeyPem,
    maxBodyBytes,
    maxBatchSize,
    trustProxyHops,
    corsOrigins,
    ...definedOnly(rest),
    limits: { ...limits, ...definedOnly(givenLimits ?? {}) },
    rateLimit: { ...rateLimit, ...definedOnly(givenRateLimit ?? {}) },
    trustedDocuments: { ...trustedDocuments, ...definedOnly(givenTrusted ?? {}) },
  };
}

function parseAuth(raw: (name: string) => string | undefined, problems: string[]): TokenAuthConfig {
  const jwksSource = raw('AUTH_JWKS');
  const issuer = raw('AUTH_ISSUER');
  const audience = raw('AUTH_AUDIENCE');
  const missing = [
    jwksSource ? undefined : "AUTH_JWKS (a JWKS file path or https URL of the token issuer's public keys)",
    issuer ? undefined : 'AUTH_ISSUER (the "iss" of valid tokens)',
    audience ? undefined : 'AUTH_AUDIENCE (the "aud" of valid tokens)',
  ].filter((item): item is string => item !== undefined);
  if (missing.length > 0) {
    problems.push(
      `Callers' tokens cannot be checked: set ${missing.join(', ')}. ` +
        '`npm start` and `npm run start:gateway` set development ones.',
    );
  }
  let jwks: string | JSONWebKeySet = jwksSource ?? '';
  if (jwksSource && /^https?:\/\//i.test(jwksSource)) {
    if (!isAcceptableJwksUrl(jwksSource)) {
      problems.push(
        `AUTH_JWKS=${JSON.stringify(jwksSource)} is not acceptable: keys are fetched over https (plain http only from localhost).`,
      );
    }
  } else if (jwksSource) {
    try {
      jwks = readJwksFile(jwksSource);
    } catch (error) {
      problems.push(`AUTH_JWKS=${JSON.stringify(jwksSource)}: ${(error as Error).message}`);
    }
  }
  return { jwks, issuer: issuer ?? '', audience: audience ?? '' };
}

/** Reads a JWKS file, or explains what is wrong with it. */
export function readJwksFile(file: string): JSONWebKeySet {
  let text: string;
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new Error(`cannot read the key set (${(error as { code?: string }).code ?? String(error)}).`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the file is not JSON: it must hold a JWKS, {"keys": [...]}.');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new Error('the file holds no keys: it must hold a JWKS, {"keys": [...]} with at least one key.');
  }
  return parsed as JSONWebKeySet;
}

function readIdentityKey(file: string | undefined, problems: string[]): string {
  if (!file) {
    problems.push(
      'GATEWAY_IDENTITY_KEY_FILE is not set: set it to the EC P-256 private key (PKCS #8 PEM) that signs ' +
        'the identity forwarded to subgraphs (`npm start` and `npm run start:gateway` create a development one).',
    );
    return '';
  }
  let pem: string;
  try {
    pem = readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    problems.push(
      `GATEWAY_IDENTITY_KEY_FILE=${JSON.stringify(file)} cannot be read (${(error as { code?: string }).code ?? String(error)}).`,
    );
    return '';
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`it is a ${key.asymmetricKeyType ?? 'secret'} key`);
    }
  } catch (error) {
    problems.push(
      `GATEWAY_IDENTITY_KEY_FILE=${JSON.stringify(file)} does not hold an EC P-256 private key in PKCS #8 PEM (${(error as Error).message}).`,
    );
  }
  return pem;
}

function parseOrigins(value: string | undefined, problems: string[]): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    if (!/^https?:\/\/[A-Za-z0-9.-]+(:(\d{1,5}|\*))?$/.test(origin)) {
      problems.push(
        `GATEWAY_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin: write scheme://host[:port] without a path, ` +
          'e.g. https://app.example.org or http://localhost:*, comma-separated.',
      );
    }
  }
  return origins;
}

function isAcceptableJwksUrl(value: string): boolean {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return true;
    return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** The object without its undefined properties, so that `{ port: undefined }` does not erase a setting. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}

let memo: GatewayConfig | undefined;

/** The configuration from `process.env`, read and validated on first call (main.ts). */
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

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
