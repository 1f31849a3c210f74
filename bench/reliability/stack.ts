/**
 * The hub the reliability scenarios run against, every part a process of its own so that any one
 * can be killed: the embedded database (owned here, over a data folder of this run, so that it can
 * be killed and started again on the same folder and port), the four subgraphs' production
 * bundles on databases seeded at scale 1, and the gateway's bundle, all on free loopback ports,
 * trusting keys made for this run only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { defaultDatabaseName, openDatabase } from '@clusterpolisee/kit';
import {
  generateIdentityKeyPem,
  identitySigningKey,
  type IdentitySigningKey,
} from '@clusterpolisee/kit/auth';
import { subgraphEnvKey } from '@clusterpolisee/gateway/config';
import { tokenIssuerFromKey, type MintOptions, type TokenIssuer } from '@clusterpolisee/gateway/auth';
import { ensureGatewayBuild } from '@clusterpolisee/gateway/build';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '@clusterpolisee/infra/database';
import { waitUntilGone } from '../../infra/database/process-state';
import { ensureSubgraphBuilds } from '@clusterpolisee/infra/build/subgraphs';
import {
  devGatewayEnv,
  devSubgraphEnv,
  ensureDevKeys,
  type DevKeys,
} from '@clusterpolisee/infra/local/dev-keys';
import {
  spawnService,
  stopService,
  waitUntilReady,
  type ServiceProcess,
} from '@clusterpolisee/infra/local/processes';
import { builtGatewayService, localSubgraphs, type LocalService } from '@clusterpolisee/infra/local/services';
import { loadLocalSubgraphs } from '@clusterpolisee/infra/seed';
import { freePort, rssKb } from '../harness';

export type Caller = Pick<MintOptions, 'role' | 'org' | 'sub'>;

export interface StackOptions {
  log: (line: string) => void;
  /** The children's LOG_LEVEL (pino); their lines are printed prefixed with their name. */
  childLogLevel: string;
}

interface Subgraph {
  name: string;
  service: LocalService;
  env: NodeJS.ProcessEnv;
  process: ServiceProcess;
  url: string;
  databaseName: string;
}

export interface ReliabilityStack {
  gatewayUrl: string;
  subgraphs: Record<string, { url: string; databaseName: string }>;
  /** The database's URI: the same after a restart (same port). */
  databaseUri: string;
  /** The development issuer of this run, which the gateway trusts. */
  tokens: TokenIssuer;
  /** A token of the trusted issuer, cached per caller (valid for the run). */
  token(caller: Caller): Promise<string>;
  /** Keys of this run, for the forged-token scenario (which signs with others). */
  keys: DevKeys;
  /** The gateway's identity key, to sign what only the gateway may sign. */
  identityKey: IdentitySigningKey;
  /** A key the subgraphs do not trust. */
  strangerIdentityKey: IdentitySigningKey;
  /** Resident memory of every process, in MB, by name; null where it cannot be read. */
  rssMb(): Record<string, number | null>;
  /** SIGKILL, and wait until the process is gone. */
  killSubgraph(name: string): Promise<void>;
  /** Starts it again, same port and database; resolves when /ready answers. */
  restartSubgraph(name: string): Promise<void>;
  killDatabase(): Promise<void>;
  /** On the same folder and port, so that the subgraphs' drivers find it by themselves. */
  restartDatabase(): Promise<void>;
  /** A client of the database, for reading back what the hub stored. */
  mongo(): Promise<MongoClient>;
  stop(): Promise<void>;
}

const SEED_SCALE = 1;

export async function startReliabilityStack(options: StackOptions): Promise<ReliabilityStack> {
  const { log } = options;
  const tmp = mkdtempSync(join(tmpdir(), 'hub-reliability-'));
  const dataDir = join(tmp, 'db');
  const quiet = () => undefined;
  const started: ServiceProcess[] = [];
  let database: EmbeddedDatabase | undefined;
  let client: MongoClient | undefined;
  const stop = async () => {
    for (const p of started.splice(0).reverse()) await stopService(p);
    await client?.close().catch(() => undefined);
    await database?.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    database = await startEmbeddedDatabase({ dataDir, log: quiet });
    const databaseUri = database.uri;
    const dbPort = Number(new URL(databaseUri).port);
    log(`[reliability] database ${database.engine} at ${databaseUri}`);
    const keys = await ensureDevKeys(join(tmp, 'keys'), quiet);
    const tokens = tokenIssuerFromKey(readFileSync(keys.tokenIssuerKeyFile, 'utf8'), keys);
    const identityKey = await identitySigningKey(readFileSync(keys.identityKeyFile, 'utf8'));
    const strangerIdentityKey = await identitySigningKey(generateIdentityKeyPem());

    const databaseNames: Record<string, string> = {};
    for (const { subgraph, seed } of await loadLocalSubgraphs()) {
      const databaseName = `reliability_${defaultDatabaseName(subgraph.name)}`;
      databaseNames[subgraph.name] = databaseName;
      const orm = await openDatabase({ mongoUri: databaseUri, databaseName, entities: subgraph.entities });
      try {
        await seed?.(orm.em.fork(), { scale: SEED_SCALE });
      } finally {
        await orm.close(true);
      }
    }

    const subgraphs: Subgraph[] = [];
    for (const [i, built] of (await ensureSubgraphBuilds(localSubgraphs({ env: {} }), { log })).entries()) {
      const port = await freePort();
      const service = { ...built, port };
      const env: NodeJS.ProcessEnv = {
        MONGODB_URI: databaseUri,
        MONGODB_DATABASE: databaseNames[service.name],
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: options.childLogLevel,
        ...devSubgraphEnv(keys, {}),
      };
      const p = spawnService(service, i, env);
      started.push(p);
      subgraphs.push({
        name: service.name,
        service,
        env,
        process: p,
        url: `http://127.0.0.1:${port}/graphql`,
        databaseName: databaseNames[service.name]!,
      });
    }
    await Promise.all(subgraphs.map((s) => waitUntilReady(s.process)));

    await ensureGatewayBuild({ log });
    const gatewayPort = await freePort();
    const gateway = spawnService({ ...builtGatewayService, port: gatewayPort }, 4, {
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_IDE: 'off',
      // One client sending thousands of requests a second: the limit would be what is measured.
      GATEWAY_RATE_LIMIT: 'off',
      NODE_ENV: 'production',
      LOG_LEVEL: options.childLogLevel,
      ...devGatewayEnv(keys, {}),
      ...Object.fromEntries(subgraphs.map((s) => [`SUBGRAPH_URL_${subgraphEnvKey(s.name)}`, s.url])),
    });
    started.push(gateway);
    await waitUntilReady(gateway);
    log(`[reliability] hub ready: gateway at http://127.0.0.1:${gatewayPort}/graphql`);

    const byName = (name: string) => {
      const s = subgraphs.find((x) => x.name === name);
      if (!s) throw new Error(`no subgraph "${name}" (there are ${subgraphs.map((x) => x.name).join(', ')})`);
      return s;
    };
    const tokenCache = new Map<string, Promise<string>>();
    return {
      gatewayUrl: `http://127.0.0.1:${gatewayPort}/graphql`,
      subgraphs: Object.fromEntries(
        subgraphs.map((s) => [s.name, { url: s.url, databaseName: s.databaseName }]),
      ),
      databaseUri,
      tokens,
      keys,
      identityKey,
      strangerIdentityKey,
      token(caller) {
        const key = JSON.stringify([caller.role, caller.org, caller.sub]);
        let token = tokenCache.get(key);
        if (!token) {
          token = tokens.mint({ ...caller, expiresIn: '12h' });
          tokenCache.set(key, token);
        }
        return token;
      },
      rssMb() {
        const mb = (pid: number | undefined) => {
          const kb = rssKb(pid);
          return kb === null ? null : Math.round(kb / 102.4) / 10;
        };
        return {
          gateway: mb(gateway.child.pid),
          ...Object.fromEntries(subgraphs.map((s) => [s.name, mb(s.process.child.pid)])),
          database: mb(database?.pid),
        };
      },
      async killSubgraph(name) {
        const s = byName(name);
        const pid = s.process.child.pid!;
        process.kill(pid, 'SIGKILL');
        if (!(await waitUntilGone(pid, 10_000))) throw new Error(`${name} (pid ${pid}) outlived SIGKILL`);
      },
      async restartSubgraph(name) {
        const s = byName(name);
        const index = subgraphs.indexOf(s);
        started.splice(started.indexOf(s.process), 1);
        s.process = spawnService(s.service, index, s.env);
        started.unshift(s.process);
        await waitUntilReady(s.process);
      },
      async killDatabase() {
        const pid = database!.pid;
        process.kill(pid, 'SIGKILL');
        if (!(await waitUntilGone(pid, 10_000)))
          throw new Error(`the database (pid ${pid}) outlived SIGKILL`);
      },
      async restartDatabase() {
        database = await startEmbeddedDatabase({ dataDir, port: dbPort, log: quiet });
      },
      async mongo() {
        client ??= await MongoClient.connect(databaseUri, { directConnection: true });
        return client;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
