// The hub's database for one machine: the server named by MONGODB_URI when there is one, else an
// embedded engine started as a child process over a data folder. One setting, HUB_EMBEDDED_DB,
// chooses the engine:
// - mongo-java-server (default): fast enough for the bench at every scale; permissive (it accepts
//   some things MongoDB refuses), so it is never the only engine the suites run on;
// - ferretdb: FerretDB 1.24 on SQLite, strict and slow; CI runs the integration and end-to-end
//   suites on it too, so that nothing the hub does relies on what only one engine accepts.
import { ferretdb } from '../ferretdb/engine';
import { mongoJavaServer } from '../mongo-java-server/engine';
import type { Log } from './build-cache';
import type { Engine, EngineName } from './engine';
import { runServer } from './launch';

export type { EngineName } from './engine';
export type { Log } from './build-cache';

const BY_NAME: Record<EngineName, Engine> = {
  'mongo-java-server': mongoJavaServer,
  ferretdb,
};

export const ENGINES: readonly EngineName[] = ['mongo-java-server', 'ferretdb'];
export const DEFAULT_ENGINE: EngineName = 'mongo-java-server';

export interface EmbeddedDatabase {
  engine: EngineName;
  uri: string;
  /** The server's process (the bench counts its CPU time; the durability test kills it). */
  pid: number;
  stop(): Promise<void>;
}

export interface ResolvedDatabase {
  uri: string;
  embedded: boolean;
  /** Which engine, when embedded; none for MONGODB_URI. */
  engine?: EngineName;
  /** The embedded database's process; none for MONGODB_URI. */
  pid?: number;
  stop(): Promise<void>;
}

const defaultLog: Log = (line) => process.stderr.write(`${line}\n`);

/** HUB_EMBEDDED_DB, validated; DEFAULT_ENGINE when unset or empty. */
export function embeddedEngineFromEnv(env: NodeJS.ProcessEnv = process.env): EngineName {
  const value = env.HUB_EMBEDDED_DB?.trim();
  if (!value) return DEFAULT_ENGINE;
  if (!isEngineName(value)) {
    throw new Error(
      `HUB_EMBEDDED_DB must be one of ${ENGINES.join(', ')} (or unset for ${DEFAULT_ENGINE}); got "${value}"`,
    );
  }
  return value;
}

function isEngineName(value: string): value is EngineName {
  return (ENGINES as readonly string[]).includes(value);
}

/** What this machine lacks to build and run `engine`, as a message; undefined when nothing. */
export function missingTools(engine: EngineName): Promise<string | undefined> {
  return BY_NAME[engine].missingTools();
}

/**
 * Builds the engine once (cached under .cache/<engine>/<hash>), starts it on loopback on a free
 * port (or opts.port) over opts.dataDir, and resolves once it answers ping.
 */
export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  engine?: EngineName;
  port?: number;
  log?: Log;
  /** The engine's own log level; by default only what helps to see why it failed to start. */
  logLevel?: string;
}): Promise<EmbeddedDatabase> {
  const engine = opts.engine ?? embeddedEngineFromEnv();
  const log = opts.log ?? defaultLog;
  const command = await BY_NAME[engine].command({
    dataDir: opts.dataDir,
    port: opts.port ?? 0,
    log,
    logLevel: opts.logLevel,
  });
  const server = await runServer(engine, command, log);
  return { engine, ...server };
}

/** MONGODB_URI when set, else startEmbeddedDatabase with opts.engine ?? embeddedEngineFromEnv(). */
export async function resolveDatabase(opts: {
  dataDir: string;
  engine?: EngineName;
  log?: Log;
}): Promise<ResolvedDatabase> {
  // Read even when MONGODB_URI wins, so that a mistyped engine fails now rather than on the day
  // MONGODB_URI is unset.
  const engine = opts.engine ?? embeddedEngineFromEnv();
  const configured = process.env.MONGODB_URI?.trim();
  if (configured) return { uri: configured, embedded: false, stop: async () => {} };
  const db = await startEmbeddedDatabase({ ...opts, engine });
  return { uri: db.uri, embedded: true, engine: db.engine, pid: db.pid, stop: () => db.stop() };
}
