import { join, resolve } from 'node:path';
import { GATEWAY_BUILD_MAIN, GATEWAY_NODE_ARGS } from '@clusterpolisee/gateway/build';
import { readSubgraphs, SUPERGRAPH_YAML, subgraphEnvKey } from '../../schema/subgraphs';

export const ROOT = resolve(__dirname, '../..');
/**
 * Where `npm start` and its siblings keep the database's files and the development keys: `.data`
 * in the checkout, or HUB_DATA_DIR (tests run a whole hub over a temporary folder with it).
 */
export const DATA_DIR = process.env.HUB_DATA_DIR?.trim()
  ? resolve(process.env.HUB_DATA_DIR.trim())
  : join(ROOT, '.data');
/** True when DATA_DIR is the checkout's own `.data`, the one other commands look into. */
export const DEFAULT_DATA_DIR = DATA_DIR === join(ROOT, '.data');

export interface LocalService {
  name: string;
  port: number;
  entry: string;
  /** `entry` is built JavaScript, run by plain `node`; otherwise TypeScript, run with tsx. */
  built?: boolean;
  /** Options for `node` itself, before the entry (heap sizes...). */
  nodeArgs?: readonly string[];
}

/** A subgraph of supergraph.yaml with no folder here: it runs elsewhere, and nothing starts it. */
export interface RemoteSubgraph {
  name: string;
  routingUrl: string;
}

/** What `npm start` runs: the processes to start, and the subgraphs it leaves to others. */
export interface HubPlan {
  gateway: LocalService;
  /** The local subgraphs, in the order of supergraph.yaml. */
  subgraphs: LocalService[];
  remote: RemoteSubgraph[];
  /**
   * `SUBGRAPH_URL_<NAME>` for the gateway, for each local subgraph moved off the port of its
   * routing URL (the committed supergraph still names that one).
   */
  gatewayEnv: Record<string, string>;
}

export interface PlanOptions {
  /** Default schema/supergraph.yaml. */
  yamlPath?: string;
  env?: NodeJS.ProcessEnv;
  /** Plan this one subgraph alone (`npm run start:subgraph`), where `PORT` is its port. */
  only?: string;
}

export class PlanError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PlanError';
  }
}

export const DEFAULT_GATEWAY_PORT = 4000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0']);

/**
 * Where each service listens. A local subgraph takes, first found: `PORT` (only when planned
 * alone), `PORT_<NAME>`, `HUB_BASE_PORT` + its position in supergraph.yaml (1 for the first), the
 * port of its routing URL. The gateway: `GATEWAY_PORT`, `HUB_BASE_PORT`, 4000. Reads only the
 * yaml; throws a PlanError listing every problem.
 */
export function planHub(options: PlanOptions = {}): HubPlan {
  const env = options.env ?? process.env;
  const entries = readSubgraphs(options.yamlPath ?? SUPERGRAPH_YAML);
  const problems: string[] = [];
  const base = portSetting(env, 'HUB_BASE_PORT', problems);
  if (base === 0) problems.push('HUB_BASE_PORT must be a port number from 1 to 65535 (got "0").');
  if (options.only === undefined && env.PORT?.trim()) {
    problems.push(
      'PORT is the port of one service, and `npm start` runs several: set HUB_BASE_PORT=<n> (the gateway ' +
        'on n, the k-th subgraph of schema/supergraph.yaml on n+k), PORT_<NAME> for one subgraph, or GATEWAY_PORT.',
    );
  }
  if (options.only !== undefined && !entries.some((entry) => entry.name === options.only)) {
    problems.push(
      `no subgraph "${options.only}" in schema/supergraph.yaml (it lists ${entries.map((e) => e.name).join(', ')})`,
    );
  }

  const subgraphs: LocalService[] = [];
  const remote: RemoteSubgraph[] = [];
  const gatewayEnv: Record<string, string> = {};
  entries.forEach((entry, index) => {
    if (options.only !== undefined && entry.name !== options.only) return;
    if (!entry.local) {
      remote.push({ name: entry.name, routingUrl: entry.routingUrl });
      return;
    }
    const key = subgraphEnvKey(entry.name);
    const routing = new URL(entry.routingUrl);
    const routingPort =
      LOOPBACK_HOSTS.has(routing.hostname) && routing.port ? Number(routing.port) : undefined;
    const port =
      (options.only === entry.name ? portSetting(env, 'PORT', problems) : undefined) ??
      portSetting(env, `PORT_${key}`, problems) ??
      (base === undefined ? undefined : base + 1 + index) ??
      routingPort;
    if (port === undefined) {
      problems.push(
        `subgraph "${entry.name}": its routing_url ${entry.routingUrl} names no local port: set PORT_${key} or HUB_BASE_PORT.`,
      );
      return;
    }
    if (port > 65_535) {
      problems.push(
        `HUB_BASE_PORT=${base} puts subgraph "${entry.name}" on ${port}, past 65535: choose a lower base.`,
      );
      return;
    }
    subgraphs.push({ name: entry.name, port, entry: entry.local.entry });
    if (port !== routingPort) {
      gatewayEnv[`SUBGRAPH_URL_${key}`] = `http://127.0.0.1:${port}${routing.pathname}`;
    }
  });

  const gateway: LocalService = {
    ...gatewayService,
    port: portSetting(env, 'GATEWAY_PORT', problems) ?? base ?? DEFAULT_GATEWAY_PORT,
  };
  const taken = new Map<number, string>();
  for (const service of options.only === undefined ? [gateway, ...subgraphs] : subgraphs) {
    const other = taken.get(service.port);
    if (other && service.port !== 0) {
      problems.push(`${other} and ${service.name} would both listen on port ${service.port}: move one.`);
    }
    taken.set(service.port, service.name);
  }
  if (problems.length > 0) throw new PlanError(problems);
  return { gateway, subgraphs, remote, gatewayEnv };
}

/** The local subgraphs with their ports (see planHub). */
export function localSubgraphs(options: PlanOptions = {}): LocalService[] {
  return planHub(options).subgraphs;
}

/** The gateway's entry; its port is planHub's. */
export const gatewayService: LocalService = {
  name: 'gateway',
  port: DEFAULT_GATEWAY_PORT,
  entry: join(ROOT, 'gateway/src/main.ts'),
};

/**
 * The gateway's production build (gateway/build.ts: `npm run build`), with the heap settings it is
 * measured with; build it first with ensureGatewayBuild().
 */
export const builtGatewayService: LocalService = {
  name: 'gateway',
  port: DEFAULT_GATEWAY_PORT,
  entry: GATEWAY_BUILD_MAIN,
  built: true,
  nodeArgs: GATEWAY_NODE_ARGS,
};

function portSetting(env: NodeJS.ProcessEnv, variable: string, problems: string[]): number | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65_535)) {
    problems.push(`${variable} must be a port number from 0 to 65535 (got "${env[variable]}").`);
    return undefined;
  }
  return port;
}
