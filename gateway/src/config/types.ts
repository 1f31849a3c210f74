// What the gateway runs with, as data: every setting with the variable that sets it in
// production. `startGateway` takes these; only from-env.ts reads the environment.
import type { TelemetryOptions } from '@clusterpolisee/kit/telemetry';
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
  /** The circuit breaker in front of every subgraph (gateway/src/circuit-breaker.ts). */
  subgraphBreaker: SubgraphBreakerConfig;
  /**
   * `SUBGRAPH_BREAKER_ERROR_PERCENT_<NAME>`, `SUBGRAPH_BREAKER_VOLUME_<NAME>`,
   * `SUBGRAPH_BREAKER_COOLDOWN_MS_<NAME>`: a subgraph's own breaker settings, replacing the shared
   * ones for it, keyed like `subgraphUrls`. Use `subgraphBreakerFor`.
   */
  subgraphBreakerByName: Record<string, Partial<SubgraphBreakerSettings>>;
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
  /**
   * `GATEWAY_READY_REQUIRES_SUBGRAPHS`, `on` (default) or `off`: whether `/ready` fails while a
   * subgraph of the supergraph file it started with is down. `off` still reports every subgraph in
   * `/ready`'s details: for orchestrators that probe each subgraph themselves, where taking every
   * gateway replica out of service for one subgraph's outage would turn partial answers into none.
   */
  readyRequiresSubgraphs: boolean;
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
  registry: RegistryConfig;
  /**
   * `GATEWAY_DRIFT_CHECK_MS`, default 60000, 0 for off: how often the gateway reads each
   * subgraph's served SDL (`_service { sdl }`) and compares it with the published one (drift-watch.ts);
   * drift is logged and shown in `/ready`, never making the gateway unready.
   */
  driftCheckMs: number;
  /**
   * Logs, metrics and traces: `LOG_LEVEL` (default info), `METRICS_PORT` (default: `/metrics` on
   * GATEWAY_PORT), `OTEL_EXPORTER_OTLP_ENDPOINT` (default: no trace sent), `MONGODB_COMMAND_METRICS`.
   * See the kit's telemetry/config.ts. In code, span exporters and a log destination too.
   */
  telemetry: TelemetryOptions;
}

/**
 * When a subgraph's breaker opens and for how long. A subgraph whose calls keep failing is then
 * refused at once (SUBGRAPH_UNAVAILABLE) instead of costing every request its timeout; after the
 * cool-down one trial call decides whether it closes again.
 */
export interface SubgraphBreakerSettings {
  /**
   * `SUBGRAPH_BREAKER_ERROR_PERCENT`, default 50: the breaker opens when more than this share of
   * the calls in the window failed. A failure is a timeout, an unreachable subgraph or an HTTP 5xx
   * answer; an answer too large for the operation, or a call its caller gave up on, is none.
   */
  errorPercent: number;
  /** `SUBGRAPH_BREAKER_VOLUME`, default 5: calls in the window before the share counts, so one unlucky call opens nothing. */
  volume: number;
  /** `SUBGRAPH_BREAKER_WINDOW_MS`, default 10000: the rolling window calls and failures are counted over. */
  windowMs: number;
  /** `SUBGRAPH_BREAKER_COOLDOWN_MS`, default 5000: how long an open breaker refuses calls before one trial call. */
  cooldownMs: number;
}

export interface SubgraphBreakerConfig extends SubgraphBreakerSettings {
  /** `SUBGRAPH_BREAKER`, `on` (default) or `off`. */
  enabled: boolean;
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
  /**
   * `GATEWAY_MAX_SEARCH_LENGTH`, default 200: characters of an argument or input field named
   * `search` (the lists' name searches match from the start of a name; names are at most 300).
   */
  maxSearchLength: number;
  /**
   * `GATEWAY_MAX_ARGUMENT_LENGTH`, default 2000: characters of any other string in the arguments of
   * a query field (filters, ids, languages, cursors: the longest cursor, a 300-character
   * Cyrillic title and an id, is about 1200).
   */
  maxArgumentLength: number;
  /**
   * `GATEWAY_MAX_INPUT_LENGTH`, default 100000: characters of any string in the arguments of a
   * mutation field, the longest text a subgraph stores (a news item's body); each subgraph checks
   * its own fields more tightly.
   */
  maxInputLength: number;
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
 * The schema registry (schema/registry/): while on, the gateway serves the newest supergraph
 * version stored there (the file at `supergraphPath` until the first publish) and the
 * /registry/check and /registry/publish endpoints for partners' CI.
 */
export interface RegistryConfig {
  /** `GATEWAY_REGISTRY`, `on` or `off`; default on when MONGODB_URI is set. */
  enabled: boolean;
  /** `MONGODB_URI`: the registry's MongoDB server, shared by all gateway replicas. Required while enabled. */
  mongoUri: string;
  /** `GATEWAY_REGISTRY_DATABASE`, default `clusterpolisee_registry`. */
  database: string;
  /**
   * `GATEWAY_REGISTRY_POLL_MS`, default 2000: how often each replica asks the registry for a newer
   * version (one small indexed read), so a publish reaches every replica within this time.
   */
  pollMs: number;
  /**
   * `GATEWAY_USAGE_FLUSH_SECONDS`, default 30: how often each replica writes the usage it recorded
   * (gateway/src/usage/) to the registry's database; it also writes at close.
   */
  usageFlushSeconds: number;
  /**
   * `GATEWAY_USAGE_MAX_ENTRIES`, default 5000: distinct (operation, client) pairs held between two
   * flushes; beyond it, operations are counted in one overflow entry with their coordinates.
   */
  usageMaxEntries: number;
  /** `GATEWAY_USAGE_WINDOW_DAYS`, default 30: how far back the registry's checks look at usage. */
  usageWindowDays: number;
}

/**
 * A configuration in part: what `startGateway` accepts (completed from GATEWAY_DEFAULTS, never from
 * the environment) and what `parseGatewayConfig` takes over the environment's. The nested groups
 * may be given in part.
 */
export type GatewayOptions = Partial<
  Omit<GatewayConfig, 'limits' | 'rateLimit' | 'trustedDocuments' | 'registry' | 'subgraphBreaker'>
> & {
  subgraphBreaker?: Partial<SubgraphBreakerConfig>;
  limits?: Partial<OperationLimits>;
  rateLimit?: Partial<RateLimitConfig>;
  trustedDocuments?: Partial<TrustedDocumentsConfig>;
  registry?: Partial<RegistryConfig>;
};
