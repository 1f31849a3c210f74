/**
 * `npm run start:gateway`: the gateway alone, with the development keys (.data/keys) for every
 * security setting the environment leaves unset, and for its rate limits MONGODB_URI or an
 * embedded database of its own under .data/gateway-db. Production runs gateway/src/main.ts, which
 * requires every setting.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runGateway } from '@clusterpolisee/gateway/run';
import { resolveDatabase, type ResolvedDatabase } from '@clusterpolisee/infra/database';
import { devGatewayEnv, ensureDevKeys } from './dev-keys';
import { DATA_DIR } from './services';

async function main(): Promise<void> {
  const keys = await ensureDevKeys();
  // Run by hand, with no load balancer to drain from: a stop need not wait (SHUTDOWN_DRAIN_MS).
  process.env.SHUTDOWN_DRAIN_MS ??= '0';
  Object.assign(process.env, devGatewayEnv(keys));
  let database: ResolvedDatabase | undefined;
  if (process.env.GATEWAY_RATE_LIMIT?.trim().toLowerCase() !== 'off') {
    const dataDir = join(DATA_DIR, 'gateway-db');
    mkdirSync(dataDir, { recursive: true });
    database = await resolveDatabase({ dataDir, log: (line) => console.log(`[database] ${line}`) });
    process.env.MONGODB_URI = database.uri;
  }
  await runGateway({ afterStop: async () => database?.stop() });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
