/**
 * `npm run bench` (issues 6 and 13): the hub's gateway against Hive Gateway on the same supergraph,
 * W1 to W4 at each seed scale of one run on the embedded default engine, and hub W1 on the other
 * engine. See README "Performance" and bench/run.ts for the CLI.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { MongoClient } from 'mongodb';
import { defaultDatabaseName, openDatabase } from '@clusterpolisee/kit';
import { subgraphEnvKey } from '@clusterpolisee/gateway/config';
import {
  ANONYMOUS,
  IDENTITY_HEADER,
  identitySigningKey,
  signForwardedIdentity,
} from '@clusterpolisee/kit/auth';
import { tokenIssuerFromKey } from '@clusterpolisee/gateway/auth';
import {
  devGatewayEnv,
  devSubgraphEnv,
  ensureDevKeys,
  type DevKeys,
} from '@clusterpolisee/infra/local/dev-keys';
import { ENGINES, resolveDatabase, type EngineName } from '@clusterpolisee/infra/database';
import { loadLocalSubgraphs } from '@clusterpolisee/infra/seed';
import {
  spawnService,
  stopService,
  waitUntilReady,
  type ServiceProcess,
} from '@clusterpolisee/infra/local/processes';
import { builtGatewayService, localSubgraphs, ROOT } from '@clusterpolisee/infra/local/services';
import { ensureGatewayBuild } from '@clusterpolisee/gateway/build';
import { ensureSubgraphBuilds } from '@clusterpolisee/infra/build/subgraphs';
import { startTestHub, type HubCaller } from '../test/support/hub';
import { W1_QUERY, W2_QUERY, W4_CALLER, W4_QUERY } from './queries';

export interface BenchOptions {
  /**
   * Seed scales, each measured in this run on the primary engine; the first is the primary scale,
   * where Hive Gateway and the plain HTTP ceiling are measured too and whose figures are also
   * the results' top-level `workloads`.
   */
  scales: number[];
  /**
   * Scales at which the other embedded engine (FerretDB beside mongo-java-server, or the other way
   * round) runs W1 through the hub's gateway; none with MONGODB_URI, which is the only server then.
   */
  otherEngineScales: number[];
  /** Seconds per measured round of W1, W3 and W4. */
  duration: number;
  /** Seconds per measured round of W2 (three targets). */
  w2Duration: number;
  /** Seconds of warm-up before each target's rounds of a workload. */
  warmup: number;
  rounds: number;
  connections: number;
  /**
   * Connections of W4. Finance officers and analysts are a few people at a time, and a W4 request
   * is slow where the engine has no index for it (3 to 4 s alone at scale 100 on
   * mongo-java-server, which indexes only `_id` and unique keys): behind 50 others it would not
   * finish within a round. Its req/s is then about 1 / latency; its CPU per request is what to read.
   */
  w4Connections: number;
  /** Requests per workload for the database-commands count, at each of `dbScales`. */
  dbRequests: number;
  dbScales: number[];
  /** Seconds for the plain HTTP ceiling. */
  ceilingDuration: number;
  log: (line: string) => void;
  /** Print the children's logs (default: only their errors). */
  verbose?: boolean;
}

export interface RunStats {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  requests: number;
  /** CPU time of the process serving (the gateway, or the subgraph called directly) per request. */
  cpuMsPerRequest: number | null;
  /**
   * CPU time of what it calls per request: the four subgraphs and the embedded database (not
   * counted with MONGODB_URI). The gateways share these, and the machine's cores.
   */
  backendCpuMsPerRequest: number | null;
}

export interface TargetResult extends RunStats {
  /** Peak resident memory of the process serving, in MB, sampled during the measured rounds. */
  peakRssMb: number | null;
  rounds: RunStats[];
}

/** The workloads measured at one scale; Hive only at the primary scale. */
export interface ScaleWorkloads {
  W1: { hub: TargetResult; hive?: TargetResult };
  W2: { hub: TargetResult; direct: TargetResult; hive?: TargetResult };
  W3: { rate: number; hub: TargetResult; hive?: TargetResult };
  W4: { hub: TargetResult };
}

export interface ScaleResults {
  seedSeconds: number;
  workloads: ScaleWorkloads;
}

/** One database engine's hub W1, at each scale it ran. */
export interface EngineResults {
  embedded: boolean;
  /** At the primary scale, or the first this engine ran. */
  W1: TargetResult;
  scales: Record<string, { seedSeconds: number; W1: TargetResult }>;
}

export interface BenchTarget {
  target: string;
  value: number | null;
  met: boolean | null;
}

export interface BenchResults {
  generatedAt: string;
  /** Wall time of the whole run. */
  totalSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  options: Omit<BenchOptions, 'log' | 'verbose'>;
  /** The engine every workload ran on: an embedded engine's name, or `MONGODB_URI`. */
  engine: string;
  primaryScale: number;
  identicalResponses: { W1: boolean; W2: boolean };
  /** The primary scale's workloads (the same as `scales[primaryScale].workloads`). */
  workloads: ScaleWorkloads & { W1: { hive: TargetResult }; W2: { hive: TargetResult } };
  scales: Record<string, ScaleResults>;
  engines: Record<string, EngineResults>;
  ratios: {
    /** hub / Hive req/s on W1. */
    W1RequestsHubOverHive: number;
    /** hub / Hive req/s on W3 (both should meet the fixed rate; ~1.0 when they do). */
    W3RequestsHubOverHive: number;
    W3P95HubOverHive: number;
    W3P99HubOverHive: number;
    /** Gateway tax on W2: req/s through the gateway / req/s sent to the subgraph directly. */
    W2GatewayTaxHub: number;
    W2GatewayTaxHive: number;
  };
  /** Database commands per request (driver command monitoring, getMore/killCursors excluded). */
  dbCommandsPerRequest: {
    method: string;
    byScale: Record<string, { W1: number; W2: number; W4: number }>;
  };
  ceiling: { requestsPerSecond: number; p50: number; p99: number };
  targets: Record<string, BenchTarget>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const medianOrNull = (xs: Array<number | null>): number | null =>
  xs.some((x) => x === null) ? null : median(xs as number[]);

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export const round2 = (x: number) => Math.round(x * 100) / 100;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ), 100 on every Linux the bench runs on. */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of a process so far, in ms; null where /proc is not available. */
function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // The command name, in parentheses, may hold spaces: the fields counted are after it.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function cpuMsOf(pids: number[]): number | null {
  if (pids.length === 0) return null;
  const each = pids.map(cpuMs);
  return each.some((x) => x === null) ? null : each.reduce<number>((sum, x) => sum + x!, 0);
}

/**
 * Waits until the processes are idle again. When a run ends, the load generator drops its
 * connections, but the requests in flight (up to one per connection, each seconds long when the
 * backend is saturated) are still being worked on by the gateway, the subgraphs and the
 * database; measured next, the other gateway would pay for them. Idle: together under 8 % of a
 * core over a quarter of a second. Gives up after `maxMs`.
 */
async function settle(pids: number[], maxMs = 15_000): Promise<number> {
  const started = Date.now();
  let before = cpuMsOf(pids);
  if (before === null) return 0;
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = cpuMsOf(pids);
    if (now === null) return Date.now() - started;
    if (now - before <= 20) return Date.now() - started;
    before = now;
  }
  return Date.now() - started;
}

export function rssKb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null; // not Linux, or gone
  }
}

async function postJson(url: string, query: string, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}: ${await response.text()}`);
  return response.json();
}

async function waitForGraphQL(
  url: string,
  child: ServiceProcess['child'],
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with code ${child.exitCode}`);
    try {
      await postJson(url, '{ __typename }');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

interface Target {
  url: string;
  pid: number | undefined;
  /** The processes it calls, whose CPU time per request is reported beside its own. */
  backendPids?: number[];
  /** Headers for one run, made fresh before it (a subgraph called directly needs the gateway's signature). */
  headers?: () => Promise<Record<string, string>>;
}

/**
 * One autocannon run; latencies from every response (autocannon's own summary has no p95).
 *
 * The first `leadIn` seconds are not measured. Every connection sends its first request at
 * once, so for about one request's time under load nothing completes: a round about as short as
 * that would count almost nothing (FerretDB at scale 10, W4 at scale 100). Requests, latencies and
 * CPU time are those of the `duration` seconds after it, the steady state; the requests still in
 * flight at the end are waited for before the next run, so that it does not pay for them.
 */
async function load(
  target: Target,
  query: string,
  opts: { duration: number; connections: number; rate?: number; leadIn?: number },
): Promise<RunStats & { peakRssKb: number | null }> {
  const leadIn = opts.leadIn ?? 0;
  const latencies: number[] = [];
  let peak = rssKb(target.pid);
  const sampler = setInterval(() => {
    const now = rssKb(target.pid);
    if (now !== null && (peak === null || now > peak)) peak = now;
  }, 100);
  let finish!: (r: autocannon.Result) => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<autocannon.Result>((res, rej) => ((finish = res), (fail = rej)));
  const headers = (await target.headers?.()) ?? {};
  let measuring = false;
  let cpuBefore: number | null = null;
  let backendBefore: number | null = null;
  const startMeasuring = () => {
    measuring = true;
    cpuBefore = cpuMs(target.pid);
    backendBefore = target.backendPids ? cpuMsOf(target.backendPids) : null;
  };
  if (leadIn === 0) startMeasuring();
  const leadInTimer = leadIn > 0 ? setTimeout(startMeasuring, leadIn * 1000) : undefined;
  const instance = autocannon(
    {
      url: target.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
      connections: opts.connections,
      duration: leadIn + opts.duration,
      ...(opts.rate ? { overallRate: opts.rate } : {}),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    if (measuring) latencies.push(responseTime);
  });
  const result = await done;
  clearTimeout(leadInTimer);
  const cpuAfter = cpuMs(target.pid);
  const backendAfter = target.backendPids ? cpuMsOf(target.backendPids) : null;
  clearInterval(sampler);
  await settle([...(target.pid ? [target.pid] : []), ...(target.backendPids ?? [])]);
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null || requests === 0 ? null : round2((after - before) / requests);
  return {
    cpuMsPerRequest: perRequest(cpuBefore, cpuAfter),
    backendCpuMsPerRequest: perRequest(backendBefore, backendAfter),
    requestsPerSecond: round2(requests / opts.duration),
    p50: round2(percentile(latencies, 50)),
    p95: round2(percentile(latencies, 95)),
    p99: round2(percentile(latencies, 99)),
    errors: result.errors + result.timeouts + result.non2xx,
    requests,
    peakRssKb: peak,
  };
}

/** Warm-up, then `rounds` measured rounds per target, in rotating order; medians per target. */
async function workload<K extends string>(
  name: string,
  /** A target left undefined (Hive beyond the primary scale) is skipped and absent from the result. */
  targets: Record<K, Target | undefined>,
  query: string,
  options: BenchOptions,
  opts: { duration: number; rate?: number; connections?: number },
): Promise<Record<K, TargetResult>> {
  const keys = (Object.keys(targets) as K[]).filter((k) => targets[k] !== undefined);
  const runs = Object.fromEntries(keys.map((k) => [k, [] as Array<RunStats & { peakRssKb: number | null }>]));
  // Each target's lead-in (see load): one request's time under load, as the warm-up saw it.
  const leadIn = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  if (options.warmup > 0)
    for (const k of keys) {
      const warm = await load(targets[k]!, query, {
        ...opts,
        duration: options.warmup,
        connections: opts.connections ?? options.connections,
      });
      leadIn[k] =
        warm.requests === 0
          ? opts.duration
          : Math.min(opts.duration, Math.max(1, Math.ceil(warm.p99 / 1000)));
    }
  for (let r = 0; r < options.rounds; r++) {
    const order = keys.map((_, i) => keys[(i + r) % keys.length]!);
    for (const k of order) {
      const run = await load(targets[k]!, query, {
        ...opts,
        connections: opts.connections ?? options.connections,
        leadIn: leadIn[k],
      });
      runs[k]!.push(run);
      options.log(
        `[bench] ${name} round ${r + 1}/${options.rounds} ${k}: ${run.requestsPerSecond} req/s, p95 ${run.p95} ms, errors ${run.errors}`,
      );
    }
  }
  return Object.fromEntries(
    keys.map((k) => {
      const rs = runs[k]!;
      const peaks = rs.map((x) => x.peakRssKb).filter((x): x is number => x !== null);
      const result: TargetResult = {
        requestsPerSecond: median(rs.map((x) => x.requestsPerSecond)),
        p50: median(rs.map((x) => x.p50)),
        p95: median(rs.map((x) => x.p95)),
        p99: median(rs.map((x) => x.p99)),
        cpuMsPerRequest: medianOrNull(rs.map((x) => x.cpuMsPerRequest)),
        backendCpuMsPerRequest: medianOrNull(rs.map((x) => x.backendCpuMsPerRequest)),
        errors: rs.reduce((s, x) => s + x.errors, 0),
        requests: rs.reduce((s, x) => s + x.requests, 0),
        peakRssMb: peaks.length ? round2(Math.max(...peaks) / 1024) : null,
        rounds: rs.map(({ peakRssKb: _p, ...x }) => x),
      };
      return [k, result];
    }),
  ) as Record<K, TargetResult>;
}

/**
 * Commands per request, counted in this process: the subgraph children cannot be watched from
 * here, so the same subgraphs and gateway run in-process (test/support/hub.ts) on fresh
 * databases seeded at the scale, and the driver's command monitoring counts what N requests cost.
 */
async function dbCommandsPerRequest(
  mongoUri: string,
  scale: number,
  requests: number,
): Promise<{ W1: number; W2: number; W4: number }> {
  const previous = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongoUri;
  const hub = await startTestHub({ scale });
  try {
    const count = async (query: string, as?: HubCaller) => {
      const first = await hub.query(query, undefined, as); // caches, connections and plans are warm afterwards
      if (first.errors?.length) throw new Error(`db count query failed: ${JSON.stringify(first.errors)}`);
      hub.resetCommandCounts();
      for (let i = 0; i < requests; i++) await hub.query(query, undefined, as);
      return round2(hub.commandCount() / requests);
    };
    return { W1: await count(W1_QUERY), W2: await count(W2_QUERY), W4: await count(W4_QUERY, W4_CALLER) };
  } finally {
    await hub.close();
    if (previous === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previous;
  }
}

/** What every stack of a run shares: the keys its gateways and subgraphs trust, a scratch folder. */
interface RunContext {
  options: BenchOptions;
  tmp: string;
  runId: string;
  keys: DevKeys;
  identityKey: Awaited<ReturnType<typeof identitySigningKey>>;
  /** The finance officer's token for W4, from the development issuer the hub's gateway trusts. */
  w4Token: string;
}

/** A database server of the run: the primary engine's, the other engine's, or MONGODB_URI's. */
interface BenchDatabase {
  name: string;
  uri: string;
  embedded: boolean;
  pid?: number;
}

interface Stack {
  seedSeconds: number;
  hub: Target;
  /** The hub's gateway with W4's finance officer as the caller. */
  hubAsFinanceOfficer: Target;
  direct: Target;
  hive?: Target;
  ceiling?: Target;
  stop(): Promise<void>;
}

/**
 * The services' LOG_LEVEL: `warn` unless the bench's own environment sets one. At `info` every
 * request writes an access line: thousands a second would flood the bench's output and count in
 * what it measures. `LOG_LEVEL=info npm run bench` measures with them.
 */
const SERVICE_LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';

/**
 * The four subgraphs on databases of their own seeded at `scale` (dropped by stop(), so that a
 * MONGODB_URI server's data is never touched and the next scale starts from an empty server),
 * the hub's gateway in front, and with `peers` Hive Gateway and the plain HTTP ceiling.
 */
async function startStack(
  ctx: RunContext,
  database: BenchDatabase,
  scale: number,
  peers: boolean,
): Promise<Stack> {
  const { options, keys, tmp } = ctx;
  const { log } = options;
  const started: ServiceProcess[] = [];
  const databases: string[] = [];
  const stop = async () => {
    for (const p of started.splice(0).reverse()) await stopService(p);
    if (databases.length === 0) return;
    const client = await MongoClient.connect(database.uri);
    try {
      for (const name of databases.splice(0)) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  };
  try {
    const seedStart = Date.now();
    // The routing URLs' own ports (no HUB_BASE_PORT...): the supergraph rewrite below looks for them.
    const subgraphs = localSubgraphs({ env: {} });
    const dbNames: Record<string, string> = {};
    for (const { subgraph, seed } of await loadLocalSubgraphs()) {
      const databaseName = `bench_${defaultDatabaseName(subgraph.name)}_${ctx.runId}_${scale}`;
      dbNames[subgraph.name] = databaseName;
      databases.push(databaseName);
      const orm = await openDatabase({ mongoUri: database.uri, databaseName, entities: subgraph.entities });
      try {
        await seed?.(orm.em.fork(), { scale });
      } finally {
        await orm.close(true);
      }
    }
    const seedSeconds = round2((Date.now() - seedStart) / 1000);
    log(`[bench] ${database.name}: seeded at scale ${scale} in ${seedSeconds} s`);

    // Subgraphs on free ports; the hub's gateway gets SUBGRAPH_URL_<NAME>, Hive a rewritten supergraph.
    let supergraph = readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8');
    const subgraphUrls: Record<string, string> = {};
    const subgraphProcesses: ServiceProcess[] = [];
    // As production runs them: their bundles (infra/build/subgraphs.ts), rebuilt when stale.
    for (const [i, service] of (await ensureSubgraphBuilds(subgraphs, { log })).entries()) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      subgraphUrls[service.name] = url;
      supergraph = supergraph.replace(`url: "http://127.0.0.1:${service.port}/graphql"`, `url: "${url}"`);
      const p = spawnService({ ...service, port }, i, {
        MONGODB_URI: database.uri,
        MONGODB_DATABASE: dbNames[service.name],
        PORT: String(port),
        HOST: '127.0.0.1',
        // As production runs them: graphql-js skips its development-only checks (about 2 % of a
        // subgraph's CPU per request in a profile).
        NODE_ENV: 'production',
        LOG_LEVEL: SERVICE_LOG_LEVEL,
        ...devSubgraphEnv(keys, {}),
      });
      started.push(p);
      subgraphProcesses.push(p);
    }
    await Promise.all(subgraphProcesses.map((p) => waitUntilReady(p)));

    const hubPort = await freePort();
    // The hub's gateway as production runs it: the bundle (gateway/build.ts), rebuilt when stale.
    await ensureGatewayBuild({ log });
    const hub = spawnService({ ...builtGatewayService, port: hubPort }, 4, {
      GATEWAY_PORT: String(hubPort),
      GATEWAY_IDE: 'off',
      // The bench is one client sending thousands of requests a second: the limit would be the result.
      GATEWAY_RATE_LIMIT: 'off',
      NODE_ENV: 'production',
      LOG_LEVEL: SERVICE_LOG_LEVEL,
      ...devGatewayEnv(keys, {}),
      ...Object.fromEntries(
        subgraphs.map((s) => [`SUBGRAPH_URL_${subgraphEnvKey(s.name)}`, subgraphUrls[s.name]]),
      ),
    });
    started.push(hub);

    const subgraphPids = subgraphProcesses.map((p) => p.child.pid!);
    const backendPids = database.pid ? [...subgraphPids, database.pid] : subgraphPids;
    const partnersPid = subgraphProcesses[subgraphs.findIndex((s) => s.name === 'partners')]?.child.pid;
    const hubTarget: Target = { url: `http://127.0.0.1:${hubPort}/graphql`, pid: hub.child.pid, backendPids };
    const stack: Stack = {
      seedSeconds,
      hub: hubTarget,
      hubAsFinanceOfficer: {
        ...hubTarget,
        headers: async () => ({ authorization: `Bearer ${ctx.w4Token}` }),
      },
      direct: {
        url: subgraphUrls.partners!,
        pid: partnersPid,
        // Of the direct calls, the other three subgraphs and the database do the partners' reads only.
        backendPids: database.pid ? [database.pid] : [],
        // Signed as the gateway signs an anonymous caller, valid for the run (60 s at most).
        headers: async () => ({
          [IDENTITY_HEADER]: await signForwardedIdentity(ANONYMOUS, ctx.identityKey, 'partners', 'bench'),
        }),
      },
      stop,
    };

    if (peers) {
      const supergraphPath = join(tmp, `supergraph-${scale}.graphql`);
      writeFileSync(supergraphPath, supergraph);
      const hivePort = await freePort();
      const hive = spawnService({ name: 'hive', port: hivePort, entry: join(__dirname, 'peer/hive.ts') }, 5, {
        HIVE_PORT: String(hivePort),
        SUPERGRAPH_PATH: supergraphPath,
        HIVE_IDENTITY_KEY_FILE: keys.identityKeyFile,
        HIVE_SUBGRAPH_NAMES: JSON.stringify(
          Object.fromEntries(subgraphs.map((s) => [subgraphUrls[s.name], s.name])),
        ),
        NODE_ENV: 'production',
      });
      started.push(hive);
      const ceilingPort = await freePort();
      const ceilingProcess = spawnService(
        { name: 'ceiling', port: ceilingPort, entry: join(__dirname, 'peer/ceiling.ts') },
        6,
        { CEILING_PORT: String(ceilingPort) },
      );
      started.push(ceilingProcess);
      stack.hive = { url: `http://127.0.0.1:${hivePort}/graphql`, pid: hive.child.pid, backendPids };
      stack.ceiling = { url: `http://127.0.0.1:${ceilingPort}/`, pid: ceilingProcess.child.pid };
      await waitForGraphQL(stack.hive.url, hive.child);
      await waitForGraphQL(stack.ceiling.url, ceilingProcess.child);
    }
    await waitUntilReady(hub);
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A query's answer from a target, refused when it carries errors or `check` finds it wrong. */
async function answer(
  target: Target,
  query: string,
  name: string,
  check?: (data: unknown) => string | undefined,
) {
  const body = (await postJson(target.url, query, (await target.headers?.()) ?? {})) as {
    data?: unknown;
    errors?: unknown;
  };
  if (body.errors) throw new Error(`${name} failed at ${target.url}: ${JSON.stringify(body.errors)}`);
  const problem = check?.(body.data);
  if (problem) throw new Error(`${name} at ${target.url}: ${problem}`);
  return body;
}

const w4Check = (data: unknown) => {
  const d = data as { claims?: { totalCount: number; nodes: unknown[] }; absorption?: unknown[] };
  if (!d.claims?.nodes.length || !d.claims.totalCount) return 'the finance officer sees no claims';
  if (!d.absorption?.length) return 'absorption by country has no rows';
  return undefined;
};

/** W1 to W4 on one stack; with peers, Hive beside the hub on W1 to W3, and the ceiling. */
async function measureScale(
  stack: Stack,
  options: BenchOptions,
): Promise<{ workloads: ScaleWorkloads; identical?: { W1: boolean; W2: boolean }; ceiling?: RunStats }> {
  const { duration, w2Duration } = options;
  let identical: { W1: boolean; W2: boolean } | undefined;
  const hive = stack.hive;
  if (hive) {
    // Both gateways must give the same answer before any timing.
    const same = async (query: string, name: string) => {
      const [a, b] = await Promise.all([answer(stack.hub, query, name), postJson(hive.url, query)]);
      if (isDeepStrictEqual(a, b)) return true;
      writeFileSync(
        join(ROOT, `bench/results/${name}-mismatch.tmp`),
        JSON.stringify({ hub: a, hive: b }, null, 2),
      );
      throw new Error(`${name}: the gateways answer differently (see bench/results/${name}-mismatch.tmp)`);
    };
    identical = { W1: await same(W1_QUERY, 'W1'), W2: await same(W2_QUERY, 'W2') };
    options.log('[bench] both gateways return identical responses to W1 and W2');
  } else {
    await answer(stack.hub, W1_QUERY, 'W1');
    await answer(stack.hub, W2_QUERY, 'W2');
  }
  await answer(stack.hubAsFinanceOfficer, W4_QUERY, 'W4', w4Check);

  const gateways = { hub: stack.hub, hive };
  const W1 = await workload('W1', gateways, W1_QUERY, options, { duration });
  const W2 = await workload('W2', { ...gateways, direct: stack.direct }, W2_QUERY, options, {
    duration: w2Duration,
  });
  const rate = Math.max(
    1,
    Math.round(0.6 * Math.min(W1.hub.requestsPerSecond, W1.hive?.requestsPerSecond ?? Infinity)),
  );
  options.log(`[bench] W3 at a fixed ${rate} req/s (60 % of the slower gateway's W1)`);
  const W3 = await workload('W3', gateways, W1_QUERY, options, { duration, rate });
  const W4 = await workload('W4', { hub: stack.hubAsFinanceOfficer }, W4_QUERY, options, {
    duration,
    connections: options.w4Connections,
  });
  let ceiling: RunStats | undefined;
  if (stack.ceiling) {
    ceiling = await load(stack.ceiling, W2_QUERY, {
      duration: options.ceilingDuration,
      connections: options.connections,
    });
    options.log(`[bench] ceiling: ${ceiling.requestsPerSecond} req/s`);
  }
  return { workloads: { W1, W2, W3: { rate, ...W3 }, W4 }, identical, ceiling };
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const runStarted = Date.now();
  const { log } = options;
  if (options.scales.length === 0) throw new Error('scales: name at least one seed scale');
  const primaryScale = options.scales[0]!;
  const tmp = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    // Keys of this run only: the gateways sign the caller's identity with one, the subgraphs trust it.
    const keys = await ensureDevKeys(join(tmp, 'keys'), () => undefined);
    const ctx: RunContext = {
      options,
      tmp,
      runId: Math.random().toString(16).slice(2, 8),
      keys,
      identityKey: await identitySigningKey(readFileSync(keys.identityKeyFile, 'utf8')),
      w4Token: await tokenIssuerFromKey(readFileSync(keys.tokenIssuerKeyFile, 'utf8'), keys).mint({
        ...W4_CALLER,
        expiresIn: '12h',
      }),
    };
    const open = async (engine?: EngineName): Promise<BenchDatabase> => {
      const dataDir = join(tmp, `db-${engine ?? 'default'}`);
      const db = await resolveDatabase({ dataDir, engine, log: (line) => log(`[database] ${line}`) });
      stops.push(() => db.stop());
      const name = db.embedded ? db.engine! : 'MONGODB_URI';
      log(`[bench] database: ${db.embedded ? `embedded ${name} at ${db.uri}` : 'MONGODB_URI'}`);
      return { name, uri: db.uri, embedded: db.embedded, pid: db.pid };
    };
    const stackOn = async (database: BenchDatabase, scale: number, peers: boolean) => {
      const stack = await startStack(ctx, database, scale, peers);
      stops.push(stack.stop);
      return stack;
    };

    // The primary engine: every workload at every scale, Hive and the ceiling at the primary one.
    const primary = await open();
    const scales: Record<string, ScaleResults> = {};
    let identicalResponses: { W1: boolean; W2: boolean } | undefined;
    let ceilingRun: RunStats | undefined;
    for (const scale of options.scales) {
      const peers = scale === primaryScale;
      const stack = await stackOn(primary, scale, peers);
      log(`[bench] scale ${scale}: all processes ready`);
      const measured = await measureScale(stack, options);
      await stack.stop();
      scales[String(scale)] = { seedSeconds: stack.seedSeconds, workloads: measured.workloads };
      if (peers) ({ identical: identicalResponses, ceiling: ceilingRun } = measured);
    }
    const byScale: BenchResults['dbCommandsPerRequest']['byScale'] = {};
    for (const scale of options.dbScales) {
      const counts = await dbCommandsPerRequest(primary.uri, scale, options.dbRequests);
      byScale[String(scale)] = counts;
      log(`[bench] db commands/request at scale ${scale}: W1 ${counts.W1}, W2 ${counts.W2}, W4 ${counts.W4}`);
    }
    await stops
      .splice(0)
      .reverse()
      .reduce((p, stop) => p.then(stop), Promise.resolve());

    const engines: Record<string, EngineResults> = {
      [primary.name]: {
        embedded: primary.embedded,
        W1: scales[String(primaryScale)]!.workloads.W1.hub,
        scales: Object.fromEntries(
          Object.entries(scales).map(([scale, r]) => [
            scale,
            { seedSeconds: r.seedSeconds, W1: r.workloads.W1.hub },
          ]),
        ),
      },
    };
    // The other engine, hub W1 only, so that the two compare in one run on one machine.
    if (primary.embedded) {
      for (const engine of ENGINES.filter((e) => e !== primary.name)) {
        if (options.otherEngineScales.length === 0) break;
        const other = await open(engine);
        const runs: EngineResults['scales'] = {};
        for (const scale of options.otherEngineScales) {
          const stack = await stackOn(other, scale, false);
          await answer(stack.hub, W1_QUERY, 'W1');
          const { hub } = await workload(
            `W1 ${engine} scale ${scale}`,
            { hub: stack.hub },
            W1_QUERY,
            options,
            {
              duration: options.duration,
            },
          );
          await stack.stop();
          runs[String(scale)] = { seedSeconds: stack.seedSeconds, W1: hub };
        }
        await stops
          .splice(0)
          .reverse()
          .reduce((p, stop) => p.then(stop), Promise.resolve());
        engines[engine] = {
          embedded: true,
          W1: (runs[String(primaryScale)] ?? Object.values(runs)[0]!).W1,
          scales: runs,
        };
      }
    }

    const workloads = scales[String(primaryScale)]!.workloads as BenchResults['workloads'];
    const cpus = (await import('node:os')).cpus();
    const totalmem = (await import('node:os')).totalmem();
    const results: Omit<BenchResults, 'ratios' | 'targets'> = {
      generatedAt: new Date().toISOString(),
      totalSeconds: round2((Date.now() - runStarted) / 1000),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGb: round2(totalmem / 2 ** 30),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      options: (({ log: _l, verbose: _v, ...rest }) => rest)(options),
      engine: primary.name,
      primaryScale,
      identicalResponses: identicalResponses!,
      workloads,
      scales,
      engines,
      dbCommandsPerRequest: {
        method:
          'in-process hub (test/support/hub.ts) on fresh databases at each scale; MongoDB driver command monitoring; getMore/killCursors and handshakes excluded; one warm request first',
        byScale,
      },
      ceiling: {
        requestsPerSecond: ceilingRun!.requestsPerSecond,
        p50: ceilingRun!.p50,
        p99: ceilingRun!.p99,
      },
    };
    const ratios = ratiosOf(workloads);
    return { ...results, ratios, targets: targetsOf({ ...results, ratios }) };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}

const ratio = (a: number, b: number) => (b > 0 ? round2(a / b) : 0);

function ratiosOf(w: BenchResults['workloads']): BenchResults['ratios'] {
  return {
    W1RequestsHubOverHive: ratio(w.W1.hub.requestsPerSecond, w.W1.hive.requestsPerSecond),
    W3RequestsHubOverHive: ratio(w.W3.hub.requestsPerSecond, w.W3.hive!.requestsPerSecond),
    W3P95HubOverHive: ratio(w.W3.hub.p95, w.W3.hive!.p95),
    W3P99HubOverHive: ratio(w.W3.hub.p99, w.W3.hive!.p99),
    W2GatewayTaxHub: ratio(w.W2.hub.requestsPerSecond, w.W2.direct.requestsPerSecond),
    W2GatewayTaxHive: ratio(w.W2.hive.requestsPerSecond, w.W2.direct.requestsPerSecond),
  };
}

/**
 * The issue's targets, from this run alone: a ratio between runs of one engine or of two, a
 * figure against its bound. `met` is null when the run did not measure what a target compares
 * (a scale or an engine left out).
 */
export function targetsOf(r: Omit<BenchResults, 'targets'>): Record<string, BenchTarget> {
  const check = (
    target: string,
    value: number | null | undefined,
    ok: (v: number) => boolean,
  ): BenchTarget => {
    const v = value === undefined || value === null || !Number.isFinite(value) ? null : round2(value);
    return { target, value: v, met: v === null ? null : ok(v) };
  };
  const w1 = (scale: number) => r.scales[String(scale)]?.workloads.W1.hub;
  const perScale = (scale: number, base = 1) => {
    const [a, b] = [w1(scale), w1(base)];
    return a && b && b.requestsPerSecond > 0 ? a.requestsPerSecond / b.requestsPerSecond : null;
  };
  const engineRatio = (scale: number) => {
    const fast = r.engines['mongo-java-server']?.scales[String(scale)]?.W1.requestsPerSecond;
    const slow = r.engines.ferretdb?.scales[String(scale)]?.W1.requestsPerSecond;
    return fast !== undefined && slow ? fast / slow : null;
  };
  const hubRuns = Object.values(r.scales).flatMap(({ workloads: w }) => [
    w.W1.hub,
    w.W2.hub,
    w.W3.hub,
    w.W4.hub,
  ]);
  const peaks = hubRuns.map((t) => t.peakRssMb).filter((x): x is number => x !== null);
  const counts = Object.values(r.dbCommandsPerRequest.byScale);
  const w3p95 = (scale: number) => r.scales[String(scale)]?.workloads.W3.hub.p95;
  const [p95At1, p95At10] = [w3p95(1), w3p95(10)];
  return {
    W1MongoJavaServerOverFerretdbScale1: check(
      'hub W1 req/s, mongo-java-server / FerretDB, scale 1: >= 3',
      engineRatio(1),
      (v) => v >= 3,
    ),
    W1MongoJavaServerOverFerretdbScale10: check(
      'hub W1 req/s, mongo-java-server / FerretDB, scale 10: >= 7',
      engineRatio(10),
      (v) => v >= 7,
    ),
    W1Scale10OverScale1: check('hub W1 req/s, scale 10 / scale 1: >= 0.85', perScale(10), (v) => v >= 0.85),
    W1Scale100OverScale1: check('hub W1 req/s, scale 100 / scale 1: >= 0.5', perScale(100), (v) => v >= 0.5),
    W4AtEachScale: {
      target: 'scales with W4 measured: every scale of the run',
      value: Object.values(r.scales).filter((s) => s.workloads.W4.hub.requestsPerSecond > 0).length,
      met: Object.values(r.scales).every((s) => s.workloads.W4.hub.requestsPerSecond > 0),
    },
    W1BackendCpuMsScale1: check(
      'backend CPU ms per hub W1 request, scale 1: <= 6',
      w1(1)?.backendCpuMsPerRequest,
      (v) => v <= 6,
    ),
    W1HubOverHive: check(
      'W1 req/s, hub / Hive Gateway, primary scale: >= 1.5',
      r.ratios.W1RequestsHubOverHive,
      (v) => v >= 1.5,
    ),
    hubPeakRssMb: check(
      'hub gateway peak RSS MB, every workload and scale: <= 150',
      peaks.length ? Math.max(...peaks) : null,
      (v) => v <= 150,
    ),
    W2GatewayTaxHub: check(
      'W2 req/s through the hub / direct to the subgraph: >= 0.5',
      r.ratios.W2GatewayTaxHub,
      (v) => v >= 0.5,
    ),
    W3P95Scale10OverScale1Hub: check(
      'hub W3 p95, scale 10 / scale 1: <= 1.5',
      p95At1 && p95At10 !== undefined ? p95At10 / p95At1 : null,
      (v) => v <= 1.5,
    ),
    dbCommandsEqualAcrossScales: {
      target: 'database commands per request (W1, W2, W4): equal at every scale',
      value: null,
      met:
        counts.length >= 2
          ? counts.every((c) => c.W1 === counts[0]!.W1 && c.W2 === counts[0]!.W2 && c.W4 === counts[0]!.W4)
          : null,
    },
  };
}
