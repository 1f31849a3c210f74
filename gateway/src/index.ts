export { startGateway, IDENTITY_JWKS_PATH, type RunningGateway } from './server';
export {
  parseGatewayConfig,
  completeGatewayConfig,
  GatewayConfigError,
  GATEWAY_DEFAULTS,
  type GatewayConfig,
  type GatewayOptions,
  type OperationLimits,
  type RateLimitConfig,
  type TokenAuthConfig,
  type TrustedDocumentsConfig,
} from './config';
export type { GatewayContext } from './context';
