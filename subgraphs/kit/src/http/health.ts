import type { Route } from './serve';
import { sendJson } from './serve';

/** Resolves when the service can do its work (database reachable, supergraph loaded...). */
export type ReadinessCheck = () => Promise<void>;

/**
 * `/health` answers as long as the process serves HTTP (a liveness probe: restart me if not);
 * `/ready` runs the readiness checks (a readiness probe: send me traffic only if they pass).
 */
export function healthRoutes(
  service: string,
  checks: Record<string, ReadinessCheck>,
  /** Information for operators shown in `/ready` as `details`, never deciding readiness (warnings). */
  details?: () => Record<string, unknown>,
): Record<string, Route> {
  return {
    '/health': (_req, res) => sendJson(res, 200, { status: 'ok', service }),
    '/ready': async (_req, res) => {
      const results: Record<string, string> = {};
      let ready = true;
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await check();
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
