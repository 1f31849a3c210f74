/**
 * `npm run start:subgraph -- <name>`: one subgraph alone, the way a partner institution runs its
 * own. Uses MONGODB_URI, or an embedded database of its own under .data/<name>, seeded when empty.
 * It trusts the identities signed by the gateway key of GATEWAY_IDENTITY_JWKS, by default the
 * development key (.data/keys) that `npm run start:gateway` signs with; a partner's deployment
 * sets it to the hub gateway's /.well-known/hub-identity-jwks.json.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDatabase } from '@clusterpolisee/infra/database';
import { readSubgraphs } from '../../schema/subgraphs';
import { loadLocalSubgraphs, seedHub } from '../seed';
import { devSubgraphEnv, ensureDevKeys } from './dev-keys';
import { DATA_DIR, planHub } from './services';

async function main(): Promise<void> {
  const name = process.argv[2];
  const local = readSubgraphs().filter((entry) => entry.local);
  if (!name || !local.some((entry) => entry.name === name)) {
    console.error(`Usage: npm run start:subgraph -- <${local.map((entry) => entry.name).join('|')}>`);
    process.exit(2);
  }
  // Its port as under `npm start`, or PORT.
  const [service] = planHub({ only: name }).subgraphs;
  const [loaded] = await loadLocalSubgraphs({ only: [name] });
  Object.assign(process.env, devSubgraphEnv(await ensureDevKeys()));
  // Run by hand, with no load balancer to drain from: a stop need not wait (SHUTDOWN_DRAIN_MS).
  process.env.SHUTDOWN_DRAIN_MS ??= '0';
  const dataDir = join(DATA_DIR, `${name}-db`);
  mkdirSync(dataDir, { recursive: true });
  const database = await resolveDatabase({ dataDir, log: (line) => console.log(`[database] ${line}`) });
  await seedHub({ mongoUri: database.uri, onlyIfEmpty: true, subgraphs: [name] });
  process.env.MONGODB_URI = database.uri;
  process.env.PORT = String(service!.port);
  // run() stops on SIGINT/SIGTERM; the embedded database stops with this process.
  await loaded!.subgraph.run();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
