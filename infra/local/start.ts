/**
 * `npm start`: the whole hub on one machine. Starts the database (the embedded engine
 * HUB_EMBEDDED_DB chooses, mongo-java-server by default, unless MONGODB_URI is set), seeds the
 * ClusterPoliSEE facts into empty databases, then each local subgraph of schema/supergraph.yaml
 * and the gateway as separate processes, the way they run in production. Subgraphs listed there
 * without a folder here run elsewhere: nothing starts them. Partners' subgraphs published into the
 * schema registry run elsewhere too: the gateway serves them at their registered URLs, and one that
 * is down is reported here, never fatal.
 * Ports: see planHub (services.ts). Ctrl-C stops all.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDatabase, type ResolvedDatabase } from '@clusterpolisee/infra/database';
import { seedHub } from '../seed';
import { devGatewayEnv, devSubgraphEnv, ensureDevKeys } from './dev-keys';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from './processes';
import { checkSupergraphFile } from '../../schema/composition';
import { SUPERGRAPH_YAML } from '../../schema/subgraphs';
import { DATA_DIR, planHub, ROOT } from './services';
import { HUB_MONGODB_URI_FILE } from '../../schema/registry/database';
import { reportRegisteredSubgraphs } from './registered';

async function main(): Promise<void> {
  const running: ServiceProcess[] = [];
  let database: ResolvedDatabase | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('[hub] stopping...');
    await Promise.all(running.map((p) => stopService(p)));
    if (database?.embedded) rmSync(HUB_MONGODB_URI_FILE, { force: true });
    await database?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    // Before anything starts, so that a wrong port setting costs nothing to fix.
    const plan = planHub();
    for (const { name, routingUrl } of plan.remote) {
      console.log(`[hub] ${name} runs elsewhere (${routingUrl}): not started here`);
    }
    // An entry added to supergraph.yaml reaches the gateway only through a new composition.
    if (!process.env.SUPERGRAPH_PATH?.trim()) {
      const supergraph = checkSupergraphFile(SUPERGRAPH_YAML, join(ROOT, 'schema/supergraph.graphql'));
      if (supergraph.status !== 'current') {
        console.warn(
          '[hub] schema/supergraph.graphql is not the composition of schema/supergraph.yaml: run `npm run compose` ' +
            '(the gateway serves the file as it is)',
        );
      }
    }
    const keys = await ensureDevKeys(undefined, (line) => console.log(`[hub] ${line}`));
    const dataDir = join(DATA_DIR, 'db');
    mkdirSync(dataDir, { recursive: true });
    database = await resolveDatabase({ dataDir, log: (line) => console.log(`[database] ${line}`) });
    console.log(
      `[database] ${database.embedded ? `embedded ${database.engine} at ${database.uri} (data in .data/db)` : 'using MONGODB_URI'}`,
    );

    // The embedded database's port is chosen at start: `npm run subgraph` finds it here.
    if (database.embedded) writeFileSync(HUB_MONGODB_URI_FILE, `${database.uri}\n`);

    await seedHub({ mongoUri: database.uri, onlyIfEmpty: true });

    const subgraphs = plan.subgraphs;
    const env = { MONGODB_URI: database.uri, ...devSubgraphEnv(keys) };
    subgraphs.forEach((service, i) =>
      running.push(spawnService(service, i, { ...env, PORT: String(service.port) })),
    );
    await Promise.all(running.map((p) => waitUntilReady(p)));

    // The rate-limit counters live in the same database server, in a database of their own.
    const gateway = spawnService(plan.gateway, subgraphs.length, {
      GATEWAY_PORT: String(plan.gateway.port),
      ...plan.gatewayEnv,
      MONGODB_URI: database.uri,
      ...devGatewayEnv(keys),
    });
    running.push(gateway);
    await waitUntilReady(gateway);
    await reportRegisteredSubgraphs(database.uri, (line) => console.log(`[hub] ${line}`));

    for (const p of running) {
      p.child.once('exit', (code, signal) => {
        if (stopping) return;
        console.error(
          `[hub] ${p.service.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the hub`,
        );
        void stopAll(1);
      });
    }
    console.log(
      `\nClusterPoliSEE hub ready: http://localhost:${plan.gateway.port}/graphql  (Ctrl-C stops it)\n` +
        'A development token for a role: npm run token -- --role analyst  (or --role partner-member --org <id>)\n' +
        "Partner subgraphs: npm run subgraph -- list  (the schema registry, in this hub's database)\n",
    );
  } catch (error) {
    console.error(`[hub] could not start: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}

void main();
