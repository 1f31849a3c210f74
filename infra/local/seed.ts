/**
 * `npm run seed [-- --scale N]`: inserts the ClusterPoliSEE facts, and at scale N synthetic
 * partners, claims and content for load tests, into MONGODB_URI or the embedded database of
 * `npm start` (.data/db). Only missing records are inserted: running it again changes nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDatabase } from '@clusterpolisee/infra/database';
import { seedHub } from '../seed';
import { DATA_DIR } from './services';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
  const scale = Number(values.scale);
  if (!Number.isInteger(scale) || scale < 1 || scale > 1000) {
    throw new Error(`--scale must be a whole number from 1 to 1000 (got "${values.scale}")`);
  }
  const dataDir = join(DATA_DIR, 'db');
  mkdirSync(dataDir, { recursive: true });
  const database = await resolveDatabase({ dataDir, log: (line) => console.log(`[database] ${line}`) });
  try {
    await seedHub({ mongoUri: database.uri, scale });
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
