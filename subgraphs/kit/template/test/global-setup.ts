// One database for the whole test run: the server at MONGODB_URI if set, else the hub's embedded
// one on a throw-away folder. Workers start after this and inherit MONGODB_URI.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveDatabase } from '@clusterpolisee/kit/database';

export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'partner-test-db-'));
  const database = await resolveDatabase({ dataDir });
  const previousUri = process.env.MONGODB_URI;
  process.env.MONGODB_URI = database.uri;
  // Global setup and teardown share globalThis, and nothing else.
  (globalThis as Record<string, unknown>).__testDatabase = async () => {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
    if (previousUri === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previousUri;
  };
}
