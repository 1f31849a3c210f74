// Where the gateway's schema comes from when the schema registry is on: the newest version stored
// there, looked for every `pollMs` by every replica, so a publish reaches all of them without a
// restart; the committed supergraph file (watched as before) until the first publish.
import type { SupergraphSdlHook } from '@apollo/gateway';
import { RegistryStore } from '../../schema/registry/store';
import type { RegistryConfig } from './config';
import { withoutSecurityPurpose } from './security-features';
import type { SupergraphLogger } from './supergraph';

export interface SupergraphRegistryOptions {
  store: RegistryStore;
  pollMs: number;
  /** The file source (supergraphFromFile), in service while the registry holds no version. */
  fallback: SupergraphSdlHook;
  logger: SupergraphLogger;
}

/**
 * The `supergraphSdl` hook for ApolloGateway. `update()` validates a supergraph completely before
 * switching (a refused version is logged and not tried again) and swaps it for the operations that
 * start afterwards: those already running finish on the schema they began with, so a publish fails
 * no request in flight. A registry that cannot be read at start or later leaves the current schema
 * in service and is asked again at the next poll.
 */
export function supergraphFromRegistry(options: SupergraphRegistryOptions): SupergraphSdlHook {
  const { logger } = options;
  return async (hookOptions) => {
    let version = 0;
    let refused = 0;
    const file = await options.fallback({
      ...hookOptions,
      // The committed file is only the starting point: once a version is served, edits to it wait
      // for a publish.
      update: (sdl) => {
        if (version === 0) hookOptions.update(sdl);
      },
    });
    let supergraphSdl = file.supergraphSdl;
    try {
      const latest = await options.store.latest();
      if (latest) {
        supergraphSdl = withoutSecurityPurpose(latest.supergraphSdl);
        version = latest.version;
        logger.info(`supergraph version ${version} from the schema registry`);
      }
    } catch (error) {
      logger.warn(
        `the schema registry cannot be read (${describe(error)}): serving the supergraph file until it can.`,
      );
    }

    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async (): Promise<void> => {
      try {
        const newest = await options.store.latestVersion();
        if (newest === version || newest === refused) return;
        const stored = newest === 0 ? null : await options.store.get(newest);
        if (!stored || stopped) return;
        try {
          hookOptions.update(withoutSecurityPurpose(stored.supergraphSdl));
        } catch (error) {
          refused = newest;
          logger.error(
            `supergraph version ${newest} of the schema registry is invalid, keeping the current schema: ${describe(error)}`,
          );
          return;
        }
        version = newest;
        logger.info(`supergraph version ${version} loaded from the schema registry`);
      } catch (error) {
        logger.warn(`the schema registry cannot be read (${describe(error)}); asking again later.`);
      }
    };
    // A chain of timeouts rather than an interval: a slow read never overlaps the next one.
    const schedule = (): void => {
      if (stopped) return;
      timer = setTimeout(() => void poll().finally(schedule), options.pollMs);
      timer.unref();
    };
    schedule();

    return {
      supergraphSdl,
      cleanup: async () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        await file.cleanup?.();
      },
    };
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\s*\n\s*/g, ' ') : String(error);
}

/** The registry of `config` as the gateway uses it: its store and the supergraph source over it. */
export function openRegistry(
  config: RegistryConfig,
  fallback: SupergraphSdlHook,
  logger: SupergraphLogger,
): { store: RegistryStore; supergraphSdl: SupergraphSdlHook } {
  const store = RegistryStore.open({ mongoUri: config.mongoUri, database: config.database });
  return { store, supergraphSdl: supergraphFromRegistry({ store, pollMs: config.pollMs, fallback, logger }) };
}
