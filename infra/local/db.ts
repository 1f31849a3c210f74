/**
 * `npm run db [-- --port 27017]`: the embedded database of `npm start` alone (data in .data/db),
 * until Ctrl-C. It prints its MONGODB_URI, so that services started by hand, a seed
 * (`MONGODB_URI=... npm run seed`), a MongoDB shell or `MONGODB_URI=... npm start` can share it and
 * keep it across their restarts. Not at the same time as an `npm start` without MONGODB_URI, which
 * opens the same folder.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedDatabase } from '@clusterpolisee/infra/database';
import { DATA_DIR } from './services';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65_535) {
    throw new Error(`--port must be a port number from 0 (any free port) to 65535 (got "${values.port}")`);
  }
  const dataDir = join(DATA_DIR, 'db');
  mkdirSync(dataDir, { recursive: true });
  const database = await startEmbeddedDatabase({
    dataDir,
    port,
    log: (line) => console.error(`[database] ${line}`),
  });
  // As a line to paste before another command.
  console.log(`MONGODB_URI=${database.uri}`);
  console.error(`[database] embedded ${database.engine} ready (data in .data/db); Ctrl-C stops it`);
  // The database child does not hold the event loop open by itself (infra/database/launch.ts):
  // this timer does.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const stop = () => {
    clearInterval(keepAlive);
    void database.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
