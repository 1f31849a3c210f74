// Which service a process of the image runs, and where it listens: shared by the image's entry
// (hub-entry.ts) and its health check (healthcheck.ts). No imports but node's own: both are bundled
// into files that plain `node` runs, with the list of services fixed at build time (hub.ts).
import path from 'node:path';

/** Set by infra/build/hub.ts when bundling: service name -> its main.js, relative to the root. */
declare const HUB_SERVICE_MAINS: Record<string, string> | undefined;

/** The folder the image's files are laid out from (/app): gateway/, subgraphs/, schema/, infra/. */
export const ROOT_DIR = path.resolve(__dirname, '../..');
export const DEFAULT_GATEWAY_PORT = 4000;

export class ServiceChoiceError extends Error {
  override name = 'ServiceChoiceError';
}

/** Service name -> absolute path of its built main.js. */
export function serviceMains(): Record<string, string> {
  if (typeof HUB_SERVICE_MAINS === 'undefined') {
    throw new ServiceChoiceError('the service list is fixed when bundling: run the built infra/dist/hub.js');
  }
  return Object.fromEntries(
    Object.entries(HUB_SERVICE_MAINS).map(([name, main]) => [name, path.join(ROOT_DIR, main)]),
  );
}

/**
 * The service chosen by `HUB_SERVICE` or by the first argument (a container's command); the two
 * may both be given only when they agree. Throws with what to set when none or an unknown one is.
 */
export function chooseService(
  env: NodeJS.ProcessEnv,
  args: readonly string[],
  known: readonly string[],
): string {
  const fromEnv = env.HUB_SERVICE?.trim() || undefined;
  const fromArgs = args[0]?.trim() || undefined;
  const choices = known.join(' | ');
  if (fromEnv && fromArgs && fromEnv !== fromArgs) {
    throw new ServiceChoiceError(
      `HUB_SERVICE=${fromEnv} and the argument "${fromArgs}" name different services: give one of them.`,
    );
  }
  const chosen = fromEnv ?? fromArgs;
  if (!chosen) {
    throw new ServiceChoiceError(
      `no service chosen: set HUB_SERVICE (or give as argument) one of ${choices}.`,
    );
  }
  if (!known.includes(chosen)) {
    throw new ServiceChoiceError(
      `no service "${chosen}" in this build: set HUB_SERVICE to one of ${choices}.`,
    );
  }
  return chosen;
}

/**
 * The ports to ask for /health: the chosen service's; or, when the service was chosen by argument
 * (which a health check does not see), the gateway's and a subgraph's, one of which it listens on.
 */
export function healthPorts(env: NodeJS.ProcessEnv): number[] {
  const gateway = Number(env.GATEWAY_PORT?.trim() || DEFAULT_GATEWAY_PORT);
  const subgraph = env.PORT?.trim() ? Number(env.PORT) : undefined;
  const service = env.HUB_SERVICE?.trim();
  if (service === 'gateway') return [gateway];
  if (service) return subgraph === undefined ? [] : [subgraph];
  return subgraph === undefined ? [gateway] : [gateway, subgraph];
}
