// Runs the gateway as a process: the configuration from the environment (see config.ts), a
// graceful stop on SIGINT / SIGTERM, and start-up problems told in one line.
import { GatewayConfigError, gatewayConfig } from './config';
import { startGateway } from './server';

/** How long running requests may take to finish after a stop signal before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunOptions {
  /** Runs after the gateway stopped on a signal, e.g. to stop a development database. */
  afterStop?: () => Promise<void>;
}

/** Starts the gateway from `process.env` and stops it on a signal; sets the exit code on failure. */
export function runGateway(options: RunOptions = {}): Promise<void> {
  return run(options).catch((error: unknown) => {
    // Configuration and start-up problems carry a message saying what to do; a stack would bury it.
    if (error instanceof GatewayConfigError) console.error(error.message);
    else console.error(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}

async function run(options: RunOptions): Promise<void> {
  const config = gatewayConfig();
  const gateway = await startGateway(config);
  console.log(`gateway ready at http://localhost:${gateway.port}/graphql`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.log(`${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${signal}: stopping the gateway (again to force)...`);
    setTimeout(() => {
      console.error(`still not stopped after ${SHUTDOWN_GRACE_MS} ms: exiting.`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    gateway
      .close()
      .then(
        () => console.log('gateway stopped.'),
        (error: unknown) => {
          console.error('gateway did not stop cleanly:', error);
          process.exitCode = 1;
        },
      )
      .then(() => options.afterStop?.());
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
