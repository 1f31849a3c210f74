// Starts one database for the whole jest run: the server at MONGODB_URI if set, else the embedded
// engine HUB_EMBEDDED_DB chooses (mongo-java-server by default, or ferretdb) on a throw-away folder.
// Workers are spawned after this runs, so they inherit the env.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveDatabase } from '@clusterpolisee/infra/database';

export interface TestDatabaseHandle {
  dataDir: string;
  stop(): Promise<void>;
  // The env as it was before setup: in watch mode setup runs again in this same process, and must
  // not mistake the previous run's stopped database for a configured MONGODB_URI.
  previousEnv: Record<'MONGODB_URI' | 'HUB_TEST_DB_EMBEDDED', string | undefined>;
}

// globalSetup and globalTeardown run in the same process and share globalThis (and nothing else).
export const HANDLE_KEY = '__hubTestDatabase';

export default async function globalSetup(): Promise<void> {
  const previousEnv = {
    MONGODB_URI: process.env.MONGODB_URI,
    HUB_TEST_DB_EMBEDDED: process.env.HUB_TEST_DB_EMBEDDED,
  };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hub-test-db-'));
  let db;
  try {
    db = await resolveDatabase({ dataDir });
  } catch (err) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  process.env.MONGODB_URI = db.uri;
  if (db.embedded) process.env.HUB_TEST_DB_EMBEDDED = '1';
  else delete process.env.HUB_TEST_DB_EMBEDDED;
  const handle: TestDatabaseHandle = { dataDir, stop: db.stop, previousEnv };
  (globalThis as Record<string, unknown>)[HANDLE_KEY] = handle;
}
