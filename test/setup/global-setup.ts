// Starts one database for the whole jest run: the server at MONGODB_URI if set, else an embedded
// FerretDB on a throw-away folder. Workers are spawned after this runs, so they inherit the env.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveDatabase } from '@clusterpolisee/infra/ferretdb';

export interface TestDatabaseHandle {
  dataDir: string;
  stop(): Promise<void>;
}

// globalSetup and globalTeardown run in the same process and share globalThis (and nothing else).
export const HANDLE_KEY = '__hubTestDatabase';

// Unit tests need no database: a run limited to them should not build or start one.
const PROJECTS_NEEDING_DB = ['integration', 'e2e'];

export default async function globalSetup(globalConfig: { selectProjects?: string[] }): Promise<void> {
  const selected = globalConfig.selectProjects;
  if (selected?.length && !selected.some((name) => PROJECTS_NEEDING_DB.includes(name))) return;

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
  const handle: TestDatabaseHandle = { dataDir, stop: db.stop };
  (globalThis as Record<string, unknown>)[HANDLE_KEY] = handle;
}
