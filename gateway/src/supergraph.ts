// Where the gateway's schema comes from: the composed supergraph file, watched for changes.
import { watch, readFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@clusterpolisee/kit/telemetry';
import { GraphQLError, parse } from 'graphql';
import { withoutSecurityPurpose } from './security-features';

/** The gateway's logger (its telemetry's), where schema changes and problems are written. */
export type SupergraphLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface SupergraphFileOptions {
  /** The composed supergraph (`npm run compose` writes schema/supergraph.graphql). */
  path: string;
  /** Quiet time after the last change event before reloading. Default 150 ms. */
  debounceMs?: number;
  logger: SupergraphLogger;
}

/**
 * The `supergraphSdl` function form for ApolloGateway: loads the file (a missing or unreadable file
 * fails start-up with a message saying what to do), then watches its folder (editors and
 * `npm run compose` replace files, which a watch on the file itself would lose) and, after a short
 * debounce, hands a changed, valid supergraph to the gateway. A file that does not parse or that
 * the gateway refuses is logged and the previous schema stays in service. Operations already
 * running finish on the schema they started with; the swap only affects operations that start
 * after it.
 */
export function supergraphFromFile(options: SupergraphFileOptions): SupergraphSdlHook {
  const file = path.resolve(options.path);
  const debounceMs = options.debounceMs ?? 150;
  const { logger } = options;

  return async ({ update }) => {
    let current = readInitial(file);
    let timer: NodeJS.Timeout | undefined;

    const reload = (): void => {
      timer = undefined;
      let sdl: string;
      try {
        sdl = withoutSecurityPurpose(readFileSync(file, 'utf8'));
      } catch (error) {
        logger.warn(`cannot read the supergraph ${file} (${describe(error)}); keeping the current schema.`);
        return;
      }
      if (sdl === current) return;
      try {
        parse(sdl); // syntax errors, with their line and column
        update(sdl); // the gateway validates the supergraph and throws before switching if it is invalid
      } catch (error) {
        logger.error(`the supergraph ${file} is invalid, keeping the current schema: ${describe(error)}`);
        return;
      }
      current = sdl;
      logger.info(`supergraph reloaded from ${file}`);
    };

    const watcher: FSWatcher = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
      // `changed` can be null on some platforms: then any change in the folder may be ours.
      if (changed !== null && changed !== path.basename(file)) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(reload, debounceMs);
      timer.unref();
    });
    watcher.on('error', (error) =>
      logger.error({ err: error }, `watching ${file} failed, reloads stop: ${describe(error)}`),
    );

    return {
      supergraphSdl: current,
      cleanup: async () => {
        if (timer) clearTimeout(timer);
        watcher.close();
      },
    };
  };
}

function readInitial(file: string): string {
  try {
    return withoutSecurityPurpose(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `Cannot read the supergraph at ${file} (${describe(error)}): run \`npm run compose\` to create it, ` +
        'or set SUPERGRAPH_PATH to a composed supergraph file.',
    );
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = error instanceof GraphQLError && error.locations?.[0];
  const where = at ? ` (line ${at.line}, column ${at.column})` : '';
  return error.message.replace(/\s*\n\s*/g, ' ') + where;
}
