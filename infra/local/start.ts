/**
 * `npm start`: the whole hub on one machine. Starts the database (the embedded engine
 * HUB_EMBEDDED_DB chooses, mongo-java-server by default, unless MONGODB_URI is set), seeds the
 * ClusterPoliSEE facts into empty databases, then each local subgraph of schema/supergraph.yaml
 * and the gateway as separate processes, the way they run in production. Subgraphs listed there
 * without a folder here run elsewhere: nothing starts them. Partners' subgraphs published into the
 * schema registry run elsewhere too: the gateway serves them at their registered URLs, and one that
 * is down is reported here, never fatal.
 * Once the hub is up, a subgraph, the gateway or the embedded database that stops on its own is
 * restarted (supervisor.ts): the database on the same port and data folder, so that the
 * subgraphs and the gateway reconnect to it without a restart of their own. A process that keeps
 * crashing stops the hub, saying which one.
 * Ports: see planHub (services.ts). Data: .data, or HUB_DATA_DIR. Ctrl-C stops all.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  resolveDatabase,
  startEmbeddedDatabase,
  type EngineName,
  type ResolvedDatabase,
} from '@clusterpolisee/infra/database';
import { isRunning } from '../database/process-state';
import { seedHub } from '../seed';
import { devGatewayEnv, devSubgraphEnv, ensureDevKeys } from './dev-keys';
import { spawnService, stopService, waitUntilReady, type ServiceProcess } from './processes';
import { checkSupergraphFile } from '../../schema/composition';
import { SUPERGRAPH_YAML } from '../../schema/subgraphs';
import { DATA_DIR, DEFAULT_DATA_DIR, planHub, ROOT } from './services';
import { supervise, type Supervised, type Supervisor } from './supervisor';
import { HUB_MONGODB_URI_FILE } from '../../schema/registry/database';
import { reportRegisteredSubgraphs } from './registered';

async function main(): Promise<void> {
  const running: ServiceProcess[] = [];
  let database: ResolvedDatabase | undefined;
  const supervisors: Supervisor[] = [];
  let databaseSupervisor: Supervisor | undefined;
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('[hub] stopping...');
    // The services first, the database after them: they must not see it vanish while they stop.
    if (supervisors.length > 0) await Promise.all(supervisors.map((s) => s.stop()));
    else await Promise.all(running.map((p) => stopService(p)));
    if (database?.embedded && DEFAULT_DATA_DIR) rmSync(HUB_MONGODB_URI_FILE, { force: true });
    await (databaseSupervisor?.stop() ?? database?.stop());
    process.exit(code);
  };
  const giveUp = (message: string) => {
    console.error(`[hub] ${message}; stopping the hub.`);
    void stopAll(1);
  };
  const log = (line: string) => console.log(`[hub] ${line}`);
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
      `[database] ${database.embedded ? `embedded ${database.engine} at ${database.uri} (data in ${dataDir})` : 'using MONGODB_URI'}`,
    );

    // The embedded database's port is chosen at start: `npm run subgraph` finds it here. A hub over
    // another data folder (HUB_DATA_DIR) leaves the checkout's hub its file.
    if (database.embedded && DEFAULT_DATA_DIR) writeFileSync(HUB_MONGODB_URI_FILE, `${database.uri}\n`);

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

    running.forEach((p, index) => {
      const restart = async (): Promise<Supervised> => {
        const next = spawnService(p.service, index, p.env);
        try {
          await waitUntilReady(next, 60_000, '/health');
        } catch (error) {
          await stopService(next);
          throw error;
        }
        return supervisedService(next);
      };
      supervisors.push(
        supervise({ name: p.service.name, first: supervisedService(p), restart, log, giveUp }),
      );
    });
    if (database.embedded && database.pid !== undefined) {
      databaseSupervisor = superviseDatabase(database, dataDir, log, giveUp);
    }
    log(
      `processes: ${[
        ...running.map((p) => `${p.service.name} pid ${p.child.pid}`),
        ...(database.pid !== undefined ? [`database pid ${database.pid}`] : []),
      ].join(', ')}; each is restarted if it stops`,
    );
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

function supervisedService(p: ServiceProcess): Supervised {
  const { child } = p;
  return {
    pid: child.pid,
    exited: new Promise((resolve) => {
      const describe = () => child.signalCode ?? `exit code ${child.exitCode}`;
      if (child.exitCode !== null || child.signalCode !== null) resolve(describe());
      else child.once('exit', () => resolve(describe()));
    }),
    stop: () => stopService(p),
  };
}

/**
 * The embedded database, restarted on the port it had and over the same folder: the subgraphs'
 * and the gateway's drivers find it again where they left it, and its data with it.
 */
function superviseDatabase(
  database: ResolvedDatabase,
  dataDir: string,
  log: (line: string) => void,
  giveUp: (message: string) => void,
): Supervisor {
  const port = Number(new URL(database.uri).port);
  const engine = database.engine as EngineName;
  const supervised = (pid: number, stop: () => Promise<void>): Supervised => ({
    pid,
    exited: processEnd(pid),
    stop,
  });
  return supervise({
    name: 'database',
    first: supervised(database.pid!, () => database.stop()),
    restart: async () => {
      const db = await startEmbeddedDatabase({
        dataDir,
        engine,
        port,
        log: (line) => console.log(`[database] ${line}`),
      });
      return supervised(db.pid, () => db.stop());
    },
    log,
    giveUp,
  });
}

// The launcher keeps the database's child process to itself; its pid is what the hub can watch.
const PROCESS_POLL_MS = 200;

function processEnd(pid: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (isRunning(pid)) return;
      clearInterval(timer);
      resolve(`its process ${pid} ended`);
    }, PROCESS_POLL_MS);
  });
}
