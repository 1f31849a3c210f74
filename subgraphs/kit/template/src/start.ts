// `npm start`: serves the subgraph on PORT. Without MONGODB_URI it starts the hub's embedded
// database under .data/db (built with Java and Maven on first use); without GATEWAY_IDENTITY_JWKS it trusts the
// gateway of a hub running on this machine (`npm start` in the hub).
import { join } from 'node:path';
import { resolveDatabase } from '@clusterpolisee/kit/database';
import { subgraph } from './index';

const LOCAL_HUB_JWKS = 'http://127.0.0.1:4000/.well-known/hub-identity-jwks.json';

async function main(): Promise<void> {
  if (!process.env.GATEWAY_IDENTITY_JWKS) {
    process.env.GATEWAY_IDENTITY_JWKS = LOCAL_HUB_JWKS;
    console.log(
      `[${subgraph.name}] GATEWAY_IDENTITY_JWKS unset: trusting the local hub's gateway (${LOCAL_HUB_JWKS})`,
    );
  }
  const database = await resolveDatabase({
    dataDir: join(__dirname, '..', '.data', 'db'),
    log: (line) => console.log(`[database] ${line}`),
  });
  process.env.MONGODB_URI = database.uri;
  // run() stops on SIGINT/SIGTERM; an embedded database stops with this process.
  await subgraph.run();
}

main().catch((error: unknown) => {
  console.error(`[${subgraph.name}] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
