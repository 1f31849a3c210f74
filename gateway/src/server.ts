// Assembles the gateway: ApolloGateway (query planning over the supergraph) inside Apollo Server,
// served on node:http by the kit, with health routes, the analysts' IDE for browsers, and the
// security around it (tokens, limits, rate limits, CORS, trusted documents, signed identities).
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { identitySigningKey, type IdentitySigningKey } from '@clusterpolisee/kit/auth';
import { sendJson, serveApollo, type RunningHttpService } from '@clusterpolisee/kit/http';
import type { DocumentNode } from 'graphql';
import { MongoClient } from 'mongodb';
import { apiSchemaEndpoint } from './api-schema-endpoint';
import { keepApolloTelemetryOff } from './apollo-telemetry';
import { AuthDirectiveRegistry } from './auth/supergraph-directives';
import { createTokenVerifier } from './auth/tokens';
import {
  completeGatewayConfig,
  subgraphEnvKey,
  subgraphMaxResponseBytesFor,
  subgraphBreakerFor,
  subgraphTimeoutFor,
  subgraphUrlFor,
  type GatewayConfig,
  type GatewayOptions,
} from './config';
import { gatewayContext, type GatewayContext } from './context';
import { corsHandler } from './cors';
import { publishedSdls, startDriftWatch } from './drift-watch';
import { withEntrance } from './entrance';
import { SubgraphBreakers } from './circuit-breaker';
import { createSubgraphAgent, createSubgraphFetcher } from './fetcher';
import { identityForwarder } from './forward-identity';
import { createIdeHandler } from './ide';
import { operationLimits } from './limits/operation-limits';
import { CostDirectiveRegistry } from './limits/query-cost';
import { createRateLimiter, type GatewayRateLimiter } from './limits/rate-limit';
import { suggestionMasking } from './limits/suggestions';
import { gatewayPlugins } from './plugins';
import {
  countedQueryPlanCache,
  gatewayTelemetryPlugin,
  startGatewayTelemetry,
  subgraphCallObserver,
  subgraphErrorLog,
  traceSubgraphRequests,
} from './plugins/telemetry';
import { enforceAuthDirectives } from './plugins/enforce-auth-directives';
import { maskSubgraphErrors, subgraphErrorHooks } from './plugins/mask-subgraph-errors';
import { gatewayReadiness } from './readiness';
import { registryRoutes } from './registry-endpoints';
import { supergraphFromFile } from './supergraph';
import { openRegistry } from './supergraph-registry';
import { loadTrustedDocuments } from './trusted-documents';
import { usageRoutes } from './usage/endpoint';
import { usagePlugin } from './usage/plugin';
import { UsageRecorder } from './usage/recorder';

/** Where partners' subgraphs fetch the public keys of the gateway's forwarded-identity signatures. */
export const IDENTITY_JWKS_PATH = '/.well-known/hub-identity-jwks.json';

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  /** The public keys subgraphs verify `x-hub-identity` with (also served at IDENTITY_JWKS_PATH). */
  identityJwks: IdentitySigningKey['jwks'];
  /** `/ready` answers 503 from now on while requests are still served (see the kit's service runner). */
  drain(): void;
  /** Stops taking requests, lets running ones finish, then stops the gateway, its file watcher and its connections. */
  close(): Promise<void>;
}

/**
 * Starts the gateway on `options` alone: a whole configuration (`parseGatewayConfig(process.env)`
 * in main.ts) or a part of one completed from the defaults (see config/ for every setting). It
 * reads no environment variable and no key file: what it needs is in `options`, so gateways with
 * different configurations run side by side in one process. The files it does read are what it
 * serves, not settings: the supergraph (watched for new versions) and, when on, the trusted
 * documents; and an `auth.jwks` given as a file path rather than a key set. Rejects, having
 * released what it opened, when the configuration is incomplete, the supergraph cannot be loaded
 * or the port is taken.
 */
export async function startGateway(options: GatewayConfig | GatewayOptions): Promise<RunningGateway> {
  const config: GatewayConfig = completeGatewayConfig(options);
  const identityKey = await identitySigningKey(config.identityKeyPem).catch((error: unknown) => {
    throw new Error(
      `The gateway's identity key is unusable (${(error as Error).message}): set GATEWAY_IDENTITY_KEY_FILE ` +
        'to an EC P-256 private key in PKCS #8 PEM.',
      { cause: error },
    );
  });
  const forwardIdentity = identityForwarder({ key: identityKey });
  const trusted = config.trustedDocuments.enabled
    ? loadTrustedDocuments({ dir: config.trustedDocuments.dir, maxTokens: config.limits.maxTokens })
    : undefined;
  // The API schema the gateway validates against carries no directives: the cost estimate reads
  // `@listSize` from the supergraph text at every (re)load.
  const costDirectives = new CostDirectiveRegistry();
  // So are `@authenticated` and `@requiresScopes`, which the gateway enforces for every subgraph.
  const authDirectives = new AuthDirectiveRegistry();
  const limits = operationLimits({
    limits: config.limits,
    blockFieldSuggestions: !config.introspection,
    costDirectives: costDirectives.for,
  });

  const agent = createSubgraphAgent({ maxConnections: config.subgraphMaxConnections });
  const subgraphsSeen = new Set<string>();

  keepApolloTelemetryOff();
  // JSON logs, /metrics and traces (LOG_LEVEL, METRICS_PORT, OTEL_EXPORTER_OTLP_ENDPOINT).
  const telemetry = await startGatewayTelemetry(config.telemetry);
  const verifyToken = createTokenVerifier({
    ...config.auth,
    maxTokenLifetimeSeconds: config.maxTokenLifetimeSeconds,
    log: telemetry.log,
  });
  // Kept across supergraph reloads: a reload must not forget that a subgraph is down.
  const breakers = new SubgraphBreakers({ log: telemetry.log });
  const fileSupergraph = supergraphFromFile({ path: config.supergraphPath, logger: telemetry.log });
  const registry = config.registry.enabled
    ? openRegistry(config.registry, fileSupergraph, telemetry.log)
    : undefined;
  // Usage is kept beside the supergraph versions, which the usage-aware checks read it with.
  const usage = registry
    ? new UsageRecorder({
        maxEntries: config.registry.usageMaxEntries,
        flushSeconds: config.registry.usageFlushSeconds,
        db: () => registry.store.database(),
        log: telemetry.log,
      })
    : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: registry?.supergraphSdl ?? fileSupergraph,
    // Check a supergraph completely before switching to it, in production too.
    validateSupergraph: true,
    // GATEWAY_QUERY_PLAN_CACHE_MIB of plans, as Apollo would size them, with hits and misses counted.
    queryPlannerConfig: { cache: countedQueryPlanCache(telemetry, config.queryPlanCacheMiB) },
    buildService: ({ name, url }) => {
      subgraphsSeen.add(subgraphEnvKey(name));
      const routingUrl = subgraphUrlFor(config, name, url);
      if (!routingUrl) {
        throw new Error(`Subgraph "${name}" has no routing URL: set SUBGRAPH_URL_${subgraphEnvKey(name)}.`);
      }
      const { timeoutMs, variable } = subgraphTimeoutFor(config, name);
      const maxResponse = subgraphMaxResponseBytesFor(config, name);
      return new RemoteGraphQLDataSource<GatewayContext>({
        url: routingUrl,
        fetcher: breakers.wrap(
          name,
          subgraphBreakerFor(config, name),
          createSubgraphFetcher({
            subgraph: name,
            agent,
            timeoutMs,
            timeoutVariable: variable,
            maxResponseBytes: maxResponse.maxBytes,
            maxResponseBytesVariable: maxResponse.variable,
            observe: subgraphCallObserver(telemetry, name),
          }),
        ),
        honorSubgraphCacheControlHeader: false,
        willSendRequest: traceSubgraphRequests(forwardIdentity(name)),
        ...subgraphErrorHooks(name),
      });
    },
  });
  const drift =
    config.driftCheckMs > 0
      ? startDriftWatch({
          logger: telemetry.log,
          intervalMs: config.driftCheckMs,
          identityKey,
          route: (name, url) => ({
            url: subgraphUrlFor(config, name, url),
            timeoutMs: subgraphTimeoutFor(config, name).timeoutMs,
          }),
          published: publishedSdls({ store: registry?.store, supergraphPath: config.supergraphPath }),
        })
      : undefined;
  // GET /schema/api.graphql for signed-in callers, from the supergraph loaded last.
  const apiSchemaRoute = apiSchemaEndpoint({ verifyToken });
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    apiSchemaRoute.update(apiSchema);
    costDirectives.update(coreSupergraphSdl, apiSchema);
    authDirectives.update(coreSupergraphSdl, apiSchema);
    drift?.supergraphLoaded(coreSupergraphSdl);
    readiness.supergraphLoaded(coreSupergraphSdl);
  });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    plugins: [
      ...gatewayPlugins({ ide: config.ide }),
      gatewayTelemetryPlugin(),
      // No stack, internal URL or body of a subgraph reaches a client; the log gets them.
      maskSubgraphErrors(subgraphErrorLog(telemetry)),
      // Suggestions would reveal what introspection hides; with it on they reveal nothing new.
      ...(config.introspection ? [] : [suggestionMasking()]),
      ...limits.plugins,
      ...(usage ? [usagePlugin(usage)] : []),
      // Last: it replaces the operation, and plugins before it see the one the client sent.
      enforceAuthDirectives(authDirectives.for),
    ],
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: config.documentCacheMiB * 2 ** 20 }),
    // Apollo's own cache holds the texts of automatically persisted queries, which any caller can
    // add: 30 MiB unless given, a fifth of the gateway's memory budget. The texts of the operations
    // whose parsed forms the document store keeps get the same bound.
    cache: new InMemoryLRUCache<string>({ maxSize: config.documentCacheMiB * 2 ** 20 }),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    // Explicit, so that NODE_ENV does not decide it (Apollo's default is off in production).
    introspection: config.introspection,
    // Stack traces tell callers about the gateway's code; NODE_ENV must not switch them on either.
    includeStacktraceInErrorResponses: false,
    // Refuses simple (form-like) requests that a foreign page could send without a preflight.
    csrfPrevention: true,
    allowBatchedHttpRequests: config.maxBatchSize > 0,
    // main.ts owns the signals and closes the HTTP server first.
    stopOnTerminationSignals: false,
  });

  // Connects on first use: the gateway starts, and limits per replica, while MongoDB is away.
  const mongo = config.rateLimit.enabled
    ? new MongoClient(config.rateLimit.mongoUri, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 })
    : undefined;
  const rateLimiter: GatewayRateLimiter | undefined = mongo
    ? createRateLimiter({
        mongo,
        database: config.rateLimit.database,
        points: config.rateLimit.points,
        anonymousPoints: config.rateLimit.anonymousPoints,
        windowSeconds: config.rateLimit.windowSeconds,
        logger: { info: (line) => telemetry.log.info(line), warn: (line) => telemetry.log.warn(line) },
        onRefused: (caller) => telemetry.metrics.rateLimitRefusals.inc({ caller }),
      })
    : undefined;
  // Each subgraph's and the database's state in /ready (see readiness.ts).
  const readiness = gatewayReadiness({
    supergraphPath: config.supergraphPath,
    requireSubgraphs: config.readyRequiresSubgraphs,
    route: (name, url) => subgraphUrlFor(config, name, url),
    pingDatabase:
      mongo || registry
        ? async () => {
            await (mongo?.db('admin') ?? registry!.store.database()).command({ ping: 1 });
          }
        : undefined,
    // Per-subgraph state kept elsewhere (a circuit breaker's) joins each subgraph's entry here.
    subgraphExtras: () => breakers.readinessExtras(),
    details: drift && (() => ({ drift: drift.states() })),
  });
  const releaseStores = async () => {
    drift?.close();
    await usage?.close();
    rateLimiter?.close();
    await mongo?.close().catch(() => undefined);
    await registry?.store.close().catch(() => undefined);
  };

  const cors = corsHandler({ origins: config.corsOrigins });
  const ide = config.ide
    ? createIdeHandler({ introspection: config.introspection, log: telemetry.log })
    : undefined;

  let http: RunningHttpService;
  try {
    await apollo.start();
    const entrance = withEntrance(apollo, {
      maxBatchSize: config.maxBatchSize,
      resolveDocument: trusted?.resolve,
      admit: async (context, operations) => {
        await rateLimiter?.consume(context.identity, context.clientAddress, Math.max(1, operations.length));
        trusted?.check(context.identity, operations);
      },
    });
    http = await serveApollo(entrance, {
      port: config.port,
      maxBodyBytes: config.maxBodyBytes,
      telemetry,
      context: (req) => gatewayContext(req, { verifyToken, trustProxyHops: config.trustProxyHops }),
      before: (req, res) => cors(req, res) || (ide?.(req, res) ?? false),
      routes: {
        ...readiness.routes(),
        ...apiSchemaRoute.routes(),
        ...(registry &&
          registryRoutes({
            store: registry.store,
            verifyToken,
            maxBodyBytes: config.maxBodyBytes,
            identityKey,
            usageWindowDays: config.registry.usageWindowDays,
          })),
        ...(registry && usageRoutes({ db: () => registry.store.database(), verifyToken })),
        [IDENTITY_JWKS_PATH]: (_req, res) => {
          // Partners' subgraphs may cache it for five minutes: a new key reaches them within that.
          res.setHeader('cache-control', 'public, max-age=300');
          sendJson(res, 200, identityKey.jwks);
        },
      },
    });
  } catch (error) {
    await apollo.stop().catch(() => undefined);
    await agent.close();
    breakers.close();
    await releaseStores();
    await telemetry.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`Port ${config.port} is already in use: stop what runs there or set GATEWAY_PORT.`, {
        cause: error,
      });
    }
    throw error;
  }

  for (const [prefix, settings] of [
    ['SUBGRAPH_URL_', config.subgraphUrls],
    ['SUBGRAPH_TIMEOUT_MS_', config.subgraphTimeoutsMs],
    ['SUBGRAPH_MAX_RESPONSE_BYTES_', config.subgraphMaxResponseBytesByName],
    ['SUBGRAPH_BREAKER_<SETTING>_', config.subgraphBreakerByName],
  ] as const) {
    for (const name of Object.keys(settings)) {
      if (!subgraphsSeen.has(subgraphEnvKey(name))) {
        telemetry.log.warn(
          `${prefix}${subgraphEnvKey(name)} is set but the supergraph has no such subgraph.`,
        );
      }
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    identityJwks: identityKey.jwks,
    drain: () => {
      readiness.drain();
      http.drain();
    },
    close: () =>
      (closing ??= (async () => {
        readiness.drain(); // /ready fails while requests finish
        await http.close();
        await apollo.stop();
        await agent.close();
        breakers.close();
        await releaseStores();
        await telemetry.close();
      })()),
  };
}
