// The gateway's defaults and the ranges its settings must stay in, shared by the environment
// reader and by configurations given in code.
import path from 'node:path';
import { TELEMETRY_DEFAULTS } from '@clusterpolisee/kit/telemetry';

export const GATEWAY_DEFAULTS = {
  port: 4000,
  supergraphPath: path.resolve(__dirname, '../../../schema/supergraph.graphql'),
  subgraphTimeoutMs: 10_000,
  subgraphMaxConnections: 64,
  subgraphMaxResponseBytes: 16 * 1024 * 1024,
  // Five calls in ten seconds, most of them failed: down. Five seconds later, one trial call.
  subgraphBreaker: { enabled: true, errorPercent: 50, volume: 5, windowMs: 10_000, cooldownMs: 5_000 },
  documentCacheMiB: 4,
  queryPlanCacheMiB: 4,
  ide: true,
  introspection: true,
  readyRequiresSubgraphs: true,
  maxTokenLifetimeSeconds: 86_400,
  limits: {
    maxDepth: 10,
    maxAliases: 15,
    maxCost: 100_000,
    defaultListSize: 50,
    maxTokens: 2_000,
    maxDirectives: 50,
    maxSearchLength: 200,
    maxArgumentLength: 2_000,
    maxInputLength: 100_000,
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
    dir: path.resolve(__dirname, '../../../schema/operations'),
  },
  // Off for configurations given in code: a gateway reads no database it was not pointed at.
  registry: {
    enabled: false,
    database: 'clusterpolisee_registry',
    pollMs: 2_000,
    usageFlushSeconds: 30,
    usageMaxEntries: 5_000,
    usageWindowDays: 30,
  },
  driftCheckMs: 60_000,
  telemetry: TELEMETRY_DEFAULTS,
} as const;

export const MAX_SUBGRAPH_TIMEOUT_MS = 600_000;
export const MIN_SUBGRAPH_RESPONSE_BYTES = 1_024;
export const MAX_SUBGRAPH_RESPONSE_BYTES = 1024 * 1024 * 1024;
/** 30 days: identity providers issue access tokens for minutes to hours; longer is a refresh token's job. */
export const MAX_TOKEN_LIFETIME_SECONDS = 2_592_000;
