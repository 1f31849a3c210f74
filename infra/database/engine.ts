// What the launcher needs from each engine folder (infra/<engine>/engine.ts).
import type { Log } from './build-cache';
import type { EngineCommand } from './launch';

export type EngineName = 'mongo-java-server' | 'ferretdb';

export interface Engine {
  name: EngineName;
  /**
   * What is missing on this machine to build and run the engine, as a message saying what to
   * install or set instead; undefined when nothing is.
   */
  missingTools(): Promise<string | undefined>;
  /** Builds the engine if no build of its sources is cached, and says how to run its server. */
  command(opts: { dataDir: string; port: number; log: Log; logLevel?: string }): Promise<EngineCommand>;
}

/** The alternatives a message about a missing tool offers, the same for every engine. */
export const INSTEAD =
  'or set MONGODB_URI to a MongoDB server to use instead, or choose the other engine with HUB_EMBEDDED_DB';
