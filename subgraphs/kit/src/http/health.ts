import type { Route } from './serve';
import { sendJson } from './serve';

/** Resolves when the service can do its work (database reachable, supergraph loaded...). */
export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  /**
   * The longest one readiness check may take before it counts as failed; default 1000 ms. A
   * database that went away does not refuse a ping: the driver waits for it to come back for its
   * whole server selection time (30 s), and `/ready` would say "ready" that long. A probe wants
   * an answer now; the check itself goes on, and its late answer is dropped.
   */
  checkTimeoutMs?: number;
  /**
   * True once the service is shutting down (see service-runner.ts): `/ready` then answers 503 at
   * once, without running the checks, so that load balancers stop sending requests while those
   * under way still finish. Default: never.
   */
  draining?: () => boolean;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 1_000;

/**
 * `/health` answers as long as the process serves HTTP (a liveness probe: restart me if not);
 * `/ready` runs the readiness checks (a readiness probe: send me traffic only if they pass).
 */
export function healthRoutes(
  service: string,
  checks: Record<string, ReadinessCheck>,
  /** Information for operators shown in `/ready` as `details`, read after the checks ran. */
  details?: () => Record<string, unknown>,
  options: HealthOptions = {},
): Record<string, Route> {
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return {
    '/health': (_req, res) => sendJson(res, 200, { status: 'ok', service }),
    '/ready': async (_req, res) => {
      if (options.draining?.()) {
        sendJson(res, 503, { status: 'draining', service, checks: { shutdown: 'shutting down' } });
        return;
      }
      const results: Record<string, string> = {};
      let ready = true;
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), timeoutMs, `no answer within ${timeoutMs} ms`);
            results[name] = 'ok';
          } catch (error) {
            ready = false;
            results[name] = error instanceof Error ? error.message : String(error);
          }
        }),
      );
      sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'not ready',
        service,
        checks: results,
        ...(details && { details: details() }),
      });
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  // The check's own failure after the timeout has nobody to tell.
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
