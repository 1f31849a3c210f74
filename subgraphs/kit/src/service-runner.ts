// One way to run a hub service as a process, shared by the gateway and every subgraph, so that
// they fail and stop alike: what cannot start is told in one line with exit code 1, and
// SIGINT / SIGTERM stop it gracefully: readiness fails first, the service keeps serving for
// SHUTDOWN_DRAIN_MS while load balancers take it out, then it stops accepting and lets the
// requests under way finish. Its lines are JSON log lines like the service's own (same
// `service`, same LOG_LEVEL), so that a log collector reads a service's life and its requests alike.
import { ConfigError } from './env/config-error';
import { readEnv, type Env } from './env';
import { LOG_LEVELS, TELEMETRY_DEFAULTS, type LogLevel } from './telemetry/config';
import { createLogger, type Logger } from './telemetry/logger';

/** What a service's start gives the runner. */
export interface StartedService {
  url: string;
  /**
   * From now on `/ready` answers 503 and keep-alive callers are told to hang up after their
   * answer, while requests are still served. Optional: a service without it only closes.
   */
  drain?(): void;
  /** Stops taking requests, lets running ones finish and releases what the service holds. */
  close(): Promise<void>;
}

export interface RunServiceOptions {
  /** Runs after the service stopped on a signal, e.g. to stop a development database. */
  afterStop?: () => Promise<void>;
  /** How long running requests may take to finish once the service closes; default 10000 ms. */
  graceMs?: number;
  /** Where SHUTDOWN_DRAIN_MS and LOG_LEVEL are read; default `process.env`. */
  env?: Env;
}

const DEFAULT_GRACE_MS = 10_000;

/**
 * `SHUTDOWN_DRAIN_MS`, default 5000 (0 to 300000): after SIGTERM or SIGINT, how long the service
 * keeps serving with `/ready` failing before it stops accepting connections. A load balancer or
 * Kubernetes takes an instance out of rotation some seconds after it is told to stop (a probe
 * period, an endpoint update); requests it sends meanwhile still find the service listening. The
 * default covers a readiness probe every few seconds; `npm start` and the tests use 0, where no
 * balancer sits in front. Kubernetes' terminationGracePeriodSeconds must exceed the drain plus the
 * longest request.
 */
export const DEFAULT_SHUTDOWN_DRAIN_MS = 5_000;
const MAX_SHUTDOWN_DRAIN_MS = 300_000;

export interface ShutdownConfig {
  drainMs: number;
}

/** The stop settings, validated; throws a ConfigError that says what to set. */
export function parseShutdownConfig(env: Env = process.env): ShutdownConfig {
  const reader = readEnv(env);
  const drainMs = reader.integer('SHUTDOWN_DRAIN_MS', {
    fallback: DEFAULT_SHUTDOWN_DRAIN_MS,
    min: 0,
    max: MAX_SHUTDOWN_DRAIN_MS,
    what: `a whole number of milliseconds from 0 to ${MAX_SHUTDOWN_DRAIN_MS}`,
  });
  reader.check('Invalid shutdown configuration');
  return { drainMs };
}

/**
 * Starts `name` with `start` and stops it on SIGINT or SIGTERM (a second signal exits at once).
 * Never rejects: a start that fails writes one log line at level `fatal` and leaves exit code 1,
 * so the process ends by itself with nothing left running. Resolves with the running service, or
 * undefined when it did not start.
 */
export async function runService<T extends StartedService>(
  name: string,
  start: () => Promise<T>,
  options: RunServiceOptions = {},
): Promise<T | undefined> {
  const log = runnerLogger(name, options.env ?? process.env);
  let service: T;
  let shutdown: ShutdownConfig;
  try {
    // Before the start, so that a wrong value costs no database connection.
    shutdown = parseShutdownConfig(options.env);
    service = await start();
  } catch (error) {
    const failure = startFailure(error);
    // A ConfigError's problems all go in the message and no stack, which would bury what to set;
    // any other error's stack is worth having, in its one field.
    if (error instanceof ConfigError) log.fatal(failure);
    else log.fatal({ err: error }, failure);
    process.exitCode = 1;
    return undefined;
  }
  // Before the line that says it is ready: whoever reads it may signal at once.
  stopOnSignals(log, service, options, shutdown.drainMs);
  log.info({ url: service.url }, `ready at ${service.url}`);
  return service;
}

/** The message that says why a service did not start, on one line. */
export function startFailure(error: unknown): string {
  if (error instanceof ConfigError) return `cannot start: ${error.oneLine()}`;
  return `failed to start: ${oneLine(error)}`;
}

/**
 * The runner's logger, at the service's LOG_LEVEL. A LOG_LEVEL that is not a level is the
 * service's configuration to refuse (with the rest of what is wrong): until then, `info`.
 */
function runnerLogger(name: string, env: Env): Logger {
  const wanted = env.LOG_LEVEL?.trim().toLowerCase();
  const level = LOG_LEVELS.find((known): known is LogLevel => known === wanted);
  return createLogger({ service: name, level: level ?? TELEMETRY_DEFAULTS.logLevel });
}

function stopOnSignals(
  log: Logger,
  service: StartedService,
  options: RunServiceOptions,
  drainMs: number,
): void {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, `${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    service.drain?.();
    if (drainMs > 0) {
      log.info(
        { signal, drainMs },
        `${signal}: not ready any more; serving ${drainMs} ms longer (SHUTDOWN_DRAIN_MS), then stopping (again to force)...`,
      );
    } else log.info({ signal }, `${signal}: stopping (again to force)...`);
    // Unref'd: a clean stop must not wait for it.
    setTimeout(() => {
      log.error(`still not stopped after ${drainMs + graceMs} ms: exiting.`);
      process.exit(1);
    }, drainMs + graceMs).unref();
    // Not unref'd: the drain is what keeps an otherwise idle service alive until it closes.
    new Promise<void>((resolve) => setTimeout(resolve, drainMs))
      .then(() => service.close())
      .then(
        () => log.info('stopped.'),
        (error: unknown) => {
          log.error({ err: error }, `did not stop cleanly: ${oneLine(error)}`);
          process.exitCode = 1;
        },
      )
      .then(() => options.afterStop?.())
      .catch((error: unknown) => {
        log.error({ err: error }, `after the stop: ${oneLine(error)}`);
        process.exitCode = 1;
      })
      // A client library's idle timer or socket must not keep a stopped service alive until the
      // orchestrator kills it.
      .finally(() => process.exit());
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}
