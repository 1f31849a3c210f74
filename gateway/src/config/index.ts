// The gateway's configuration, by concern: what it is (types, defaults), how a configuration given
// in code is completed (complete), how the environment and key files are read (from-env, key-files)
// and the per-subgraph settings (subgraph-overrides).
export type {
  GatewayConfig,
  GatewayOptions,
  OperationLimits,
  RateLimitConfig,
  RegistryConfig,
  SubgraphBreakerConfig,
  SubgraphBreakerSettings,
  TokenAuthConfig,
  TrustedDocumentsConfig,
} from './types';
export { GATEWAY_DEFAULTS } from './defaults';
export { GatewayConfigError } from './error';
export { completeGatewayConfig } from './complete';
export { parseGatewayConfig } from './from-env';
export { readJwksFile } from './key-files';
export { subgraphBreakerFor } from './breaker';
export {
  subgraphEnvKey,
  subgraphUrlFor,
  subgraphTimeoutFor,
  subgraphMaxResponseBytesFor,
  type SubgraphTimeout,
  type SubgraphMaxResponse,
} from './subgraph-overrides';
