export { startGateway, type RunningGateway } from './server';
export {
  parseGatewayConfig,
  gatewayConfig,
  GatewayConfigError,
  GATEWAY_DEFAULTS,
  type GatewayConfig,
} from './config';
export type { GatewayContext } from './context';
