// One way to run a hub service as a process, shared by the gateway and every subgraph, so that
// they fail and stop alike: what cannot start is told in one line with exit code 1, and
// SIGINT / SIGTERM stop it gracefully.
import { ConfigError } from './env/config-error';

/** What a service's start gives the runner. */
export interface StartedService {
  url: string;
  /** Stops taking requests, lets running ones finish and releases what the service holds. */
  close(): Promise<void>;
}

export interface RunServiceOptions {
  /** Runs after the service stopped on a signal, e.g. to stop a development database. */
  afterStop?: () => Promise<void>;
  /** How long running requests may take to finish after a stop signal; default 10000 ms. */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 10_000;

/**
 * Starts `name` with `start` and stops it on SIGINT or SIGTERM (a second signal exits at once).
 * Never rejects: a start that fails prints one line (a ConfigError's problems all on it, no stack,
 * which would bury what to set) and leaves exit code 1, so the process ends by itself with nothing
 * left running. Resolves with the running service, or undefined when it did not start.
 */
export async function runService<T extends StartedService>(
  name: string,
  start: () => Promise<T>,
  options: RunServiceOptions = {},
): Promise<T | undefined> {
  let service: T;
  try {
    service = await start();
  } catch (error) {
    console.error(`[${name}] ${startFailure(error)}`);
    process.exitCode = 1;
    return undefined;
  }
  console.log(`[${name}] ready at ${service.url}`);
  stopOnSignals(name, service, options);
  return service;
}

/** The one line that says why a service did not start. */
export function startFailure(error: unknown): string {
  if (error instanceof ConfigError) return `cannot start: ${error.oneLine()}`;
  const message = error instanceof Error ? error.message : String(error);
  return `failed to start: ${message.replace(/\s*\n\s*/g, ' ')}`;
}

function stopOnSignals(name: string, service: StartedService, options: RunServiceOptions): void {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.log(`[${name}] ${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`[${name}] ${signal}: stopping (again to force)...`);
    // Unref'd: a clean stop must not wait for it.
    setTimeout(() => {
      console.error(`[${name}] still not stopped after ${graceMs} ms: exiting.`);
      process.exit(1);
    }, graceMs).unref();
    service
      .close()
      .then(
        () => console.log(`[${name}] stopped.`),
        (error: unknown) => {
          console.error(
            `[${name}] did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`,
          );
          process.exitCode = 1;
        },
      )
      .then(() => options.afterStop?.())
      .catch((error: unknown) => {
        console.error(`[${name}] ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      })
      // A client library's idle timer or socket must not keep a stopped service alive until the
      // orchestrator kills it.
      .finally(() => process.exit());
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
