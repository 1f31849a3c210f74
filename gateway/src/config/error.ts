import { ConfigError } from '@clusterpolisee/kit/env';

/** A gateway configuration that cannot run; the message lists every setting to fix. */
export class GatewayConfigError extends ConfigError {
  override name = 'GatewayConfigError';

  constructor(problems: readonly string[]) {
    super(problems, 'Invalid gateway configuration');
  }
}
