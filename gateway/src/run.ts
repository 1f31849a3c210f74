// Runs the gateway as a process with the kit's service runner, as every subgraph runs: the
// configuration read once from the environment (see config/from-env.ts), a graceful stop on
// SIGINT / SIGTERM, and start-up problems told in one line with exit code 1.
import type { Env } from '@clusterpolisee/kit/env';
import { runService } from '@clusterpolisee/kit/runner';
import { parseGatewayConfig } from './config';
import { startGateway, type RunningGateway } from './server';

export interface RunOptions {
  /** Runs after the gateway stopped on a signal, e.g. to stop a development database. */
  afterStop?: () => Promise<void>;
  /** Where the settings come from; default `process.env`. */
  env?: Env;
}

/** Starts the gateway from the environment and stops it on a signal; never rejects (see runService). */
export function runGateway(options: RunOptions = {}): Promise<RunningGateway | undefined> {
  return runService('gateway', () => startGateway(parseGatewayConfig(options.env ?? process.env)), {
    afterStop: options.afterStop,
    env: options.env,
  });
}
