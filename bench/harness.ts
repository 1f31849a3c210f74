/**
 * `npm run bench` (issue 6): the hub's gateway against Hive Gateway on the same supergraph, on the
 * embedded database seeded at a scale. See README "Performance" and bench/run.ts for the CLI.
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
import { devGatewayEnv, devSubgraphEnv, ensureDevKeys } from '@clusterpolisee/infra/local/dev-keys';
import { resolveDatabase, type ResolvedDatabase } from '@clusterpolisee/infra/ferretdb';
import { loadLocalSubgraphs } from '@clusterpolisee/infra/seed';
import {
  spawnService,
  stopService,
  waitUntilReady,
  type ServiceProcess,
} from '@clusterpolisee/infra/local/processes';
import { gatewayService, localSubgraphs, ROOT } from '@clusterpolisee/infra/local/services';
import { startTestHub } from '../test/support/hub';
import { W1_QUERY, W2_QUERY } from './queries';

export interface BenchOptions {
  scale: number;
  /** Seconds per measured round of W1 and W3. */
  duration: number;
  /** Seconds per measured round of W2 (three targets). */
  w2Duration: number;
  /** Seconds of warm-up before each target's rounds of a workload. */
  warmup: number;
  rounds: number;
  connections: number;
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

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  options: Omit<BenchOptions, 'log' | 'verbose'>;
  identicalResponses: { W1: boolean; W2: boolean };
  workloads: {
    W1: { hub: TargetResult; hive: TargetResult };
    W2: { hub: TargetResult; hive: TargetResult; direct: TargetResult };
    W3: { rate: number; hub: TargetResult; hive: TargetResult };
  };
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
    byScale: Record<string, { W1: number; W2: number }>;
  };
  ceiling: { requestsPerSecond: number; p50: number; p99: number };
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const medianOrNull = (xs: Array<number | null>): number | null =>
  xs.some((x) => x === null) ? null : median(xs as number[]);

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const round2 = (x: number) => Math.round(x * 100) / 100;

async function freePort(): Promise<number> {
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

function rssKb(pid: number | undefined): number | null {
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

/** One autocannon run; latencies from every response (autocannon's own summary has no p95). */
async function load(
  target: Target,
  query: string,
  opts: { duration: number; connections: number; rate?: number },
): Promise<RunStats & { peakRssKb: number | null }> {
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
  const cpuBefore = cpuMs(target.pid);
  const backendBefore = target.backendPids ? cpuMsOf(target.backendPids) : null;
  const instance = autocannon(
    {
      url: target.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
      connections: opts.connections,
      duration: opts.duration,
      ...(opts.rate ? { overallRate: opts.rate } : {}),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await done;
  clearInterval(sampler);
  // Counted up to the end of the requests in flight: their CPU belongs to this run, not the next.
  await settle([...(target.pid ? [target.pid] : []), ...(target.backendPids ?? [])]);
  const cpuAfter = cpuMs(target.pid);
  const backendAfter = target.backendPids ? cpuMsOf(target.backendPids) : null;
  latencies.sort((a, b) => a - b);
  const requests = result.requests.total;
  // The CPU up to the settle served every request sent, the unanswered ones cut off at the end too.
  const sent = Math.max(requests, result.requests.sent);
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null || sent === 0 ? null : round2((after - before) / sent);
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
  targets: Record<K, Target>,
  query: string,
  options: BenchOptions,
  opts: { duration: number; rate?: number },
): Promise<Record<K, TargetResult>> {
  const keys = Object.keys(targets) as K[];
  const runs = Object.fromEntries(keys.map((k) => [k, [] as Array<RunStats & { peakRssKb: number | null }>]));
  if (options.warmup > 0)
    for (const k of keys)
      await load(targets[k], query, { ...opts, duration: options.warmup, connections: options.connections });
  for (let r = 0; r < options.rounds; r++) {
    const order = keys.map((_, i) => keys[(i + r) % keys.length]!);
    for (const k of order) {
      const run = await load(targets[k], query, { ...opts, connections: options.connections });
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
): Promise<{ W1: number; W2: number }> {
  const previous = process.env.MONGODB_URI;
  process.env.MONGODB_URI = mongoUri;
  const hub = await startTestHub({ scale });
  try {
    const count = async (query: string) => {
      const first = await hub.query(query); // caches, connections and plans are warm afterwards
      if (first.errors?.length) throw new Error(`db count query failed: ${JSON.stringify(first.errors)}`);
      hub.resetCommandCounts();
      for (let i = 0; i < requests; i++) await hub.query(query);
      return round2(hub.commandCount() / requests);
    };
    return { W1: await count(W1_QUERY), W2: await count(W2_QUERY) };
  } finally {
    await hub.close();
    if (previous === undefined) delete process.env.MONGODB_URI;
    else process.env.MONGODB_URI = previous;
  }
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const { log } = options;
  const started: ServiceProcess[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'hub-bench-'));
  const runId = Math.random().toString(16).slice(2, 8);
  let database: ResolvedDatabase | undefined;
  const databases: string[] = [];
  const quiet = (env: NodeJS.ProcessEnv) => env; // children's logs go through spawnService's prefixes
  try {
    database = await resolveDatabase({ dataDir: join(tmp, 'db'), log: (line) => log(`[database] ${line}`) });
    // Keys of this run only: the gateways sign the caller's identity with one, the subgraphs trust it.
    const keys = await ensureDevKeys(join(tmp, 'keys'), () => undefined);
    const identityKey = await identitySigningKey(readFileSync(keys.identityKeyFile, 'utf8'));
    log(`[bench] database: ${database.embedded ? `embedded FerretDB at ${database.uri}` : 'MONGODB_URI'}`);

    // Seed into databases of the bench's own (dropped afterwards), so that a MONGODB_URI server's
    // data is never touched.
    const seedStart = Date.now();
    // The routing URLs' own ports (no HUB_BASE_PORT...): the supergraph rewrite below looks for them.
    const subgraphs = localSubgraphs({ env: {} });
    const dbNames: Record<string, string> = {};
    for (const { subgraph, seed } of await loadLocalSubgraphs()) {
      const databaseName = `bench_${defaultDatabaseName(subgraph.name)}_${runId}`;
      dbNames[subgraph.name] = databaseName;
      databases.push(databaseName);
      const orm = await openDatabase({ mongoUri: database.uri, databaseName, entities: subgraph.entities });
      try {
        await seed?.(orm.em.fork(), { scale: options.scale });
      } finally {
        await orm.close(true);
      }
    }
    log(`[bench] seeded at scale ${options.scale} in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    // Subgraphs on free ports; the hub's gateway gets SUBGRAPH_URL_<NAME>, Hive a rewritten supergraph.
    let supergraph = readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8');
    const subgraphUrls: Record<string, string> = {};
    const subgraphProcesses: ServiceProcess[] = [];
    for (const [i, service] of subgraphs.entries()) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      subgraphUrls[service.name] = url;
      supergraph = supergraph.replace(`url: "http://127.0.0.1:${service.port}/graphql"`, `url: "${url}"`);
      const p = spawnService(
        { ...service, port },
        i,
        quiet({
          MONGODB_URI: database.uri,
          MONGODB_DATABASE: dbNames[service.name],
          PORT: String(port),
          HOST: '127.0.0.1',
          ...devSubgraphEnv(keys, {}),
        }),
      );
      started.push(p);
      subgraphProcesses.push(p);
    }
    await Promise.all(subgraphProcesses.map((p) => waitUntilReady(p)));
    const supergraphPath = join(tmp, 'supergraph.graphql');
    writeFileSync(supergraphPath, supergraph);

    const hubPort = await freePort();
    const hub = spawnService(
      { ...gatewayService, port: hubPort },
      4,
      quiet({
        GATEWAY_PORT: String(hubPort),
        GATEWAY_IDE: 'off',
        // The bench is one client sending thousands of requests a second: the limit would be the result.
        GATEWAY_RATE_LIMIT: 'off',
        NODE_ENV: 'production',
        ...devGatewayEnv(keys, {}),
        ...Object.fromEntries(
          subgraphs.map((s) => [`SUBGRAPH_URL_${subgraphEnvKey(s.name)}`, subgraphUrls[s.name]]),
        ),
      }),
    );
    started.push(hub);
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

    const subgraphPids = subgraphProcesses.map((p) => p.child.pid!);
    const backendPids = database.pid ? [...subgraphPids, database.pid] : subgraphPids;
    const partnersPid = subgraphProcesses[subgraphs.findIndex((s) => s.name === 'partners')]?.child.pid;
    const targets = {
      hub: { url: `http://127.0.0.1:${hubPort}/graphql`, pid: hub.child.pid, backendPids },
      hive: { url: `http://127.0.0.1:${hivePort}/graphql`, pid: hive.child.pid, backendPids },
      direct: {
        url: subgraphUrls.partners!,
        pid: partnersPid,
        // Of the direct calls, the other three subgraphs and the database do the partners' reads only.
        backendPids: database.pid ? [database.pid] : [],
        // Signed as the gateway signs an anonymous caller, valid for the run (60 s at most).
        headers: async () => ({
          [IDENTITY_HEADER]: await signForwardedIdentity(ANONYMOUS, identityKey, 'partners', 'bench'),
        }),
      },
      ceiling: { url: `http://127.0.0.1:${ceilingPort}/`, pid: ceilingProcess.child.pid },
    };
    await waitUntilReady(hub);
    await waitForGraphQL(targets.hive.url, hive.child);
    await waitForGraphQL(targets.ceiling.url, ceilingProcess.child);
    log('[bench] all processes ready');

    // Both gateways must give the same answer before any timing.
    const identical = async (query: string, name: string) => {
      const [a, b] = await Promise.all([postJson(targets.hub.url, query), postJson(targets.hive.url, query)]);
      const same = isDeepStrictEqual(a, b);
      const errors = (a as { errors?: unknown }).errors;
      if (errors) throw new Error(`${name} failed on the hub's gateway: ${JSON.stringify(errors)}`);
      if (!same) {
        writeFileSync(
          join(ROOT, `bench/results/${name}-mismatch.tmp`),
          JSON.stringify({ hub: a, hive: b }, null, 2),
        );
        throw new Error(`${name}: the gateways answer differently (see bench/results/${name}-mismatch.tmp)`);
      }
      return same;
    };
    const identicalResponses = { W1: await identical(W1_QUERY, 'W1'), W2: await identical(W2_QUERY, 'W2') };
    log('[bench] both gateways return identical responses to W1 and W2');

    const { duration, w2Duration } = options;
    const W1 = await workload('W1', { hub: targets.hub, hive: targets.hive }, W1_QUERY, options, {
      duration,
    });
    const W2 = await workload(
      'W2',
      { hub: targets.hub, hive: targets.hive, direct: targets.direct },
      W2_QUERY,
      options,
      {
        duration: w2Duration,
      },
    );
    const rate = Math.max(1, Math.round(0.6 * Math.min(W1.hub.requestsPerSecond, W1.hive.requestsPerSecond)));
    log(`[bench] W3 at a fixed ${rate} req/s (60 % of the slower gateway's W1)`);
    const W3 = await workload('W3', { hub: targets.hub, hive: targets.hive }, W1_QUERY, options, {
      duration,
      rate,
    });
    const ceilingRun = await load(targets.ceiling, W2_QUERY, {
      duration: options.ceilingDuration,
      connections: options.connections,
    });
    log(`[bench] ceiling: ${ceilingRun.requestsPerSecond} req/s`);

    for (const p of started.splice(0).reverse()) await stopService(p);

    const byScale: Record<string, { W1: number; W2: number }> = {};
    for (const scale of options.dbScales) {
      byScale[String(scale)] = await dbCommandsPerRequest(database.uri, scale, options.dbRequests);
      log(
        `[bench] db commands/request at scale ${scale}: W1 ${byScale[String(scale)]!.W1}, W2 ${byScale[String(scale)]!.W2}`,
      );
    }

    const ratio = (a: number, b: number) => (b > 0 ? round2(a / b) : 0);
    const ratios = {
      W1RequestsHubOverHive: ratio(W1.hub.requestsPerSecond, W1.hive.requestsPerSecond),
      W3RequestsHubOverHive: ratio(W3.hub.requestsPerSecond, W3.hive.requestsPerSecond),
      W3P95HubOverHive: ratio(W3.hub.p95, W3.hive.p95),
      W3P99HubOverHive: ratio(W3.hub.p99, W3.hive.p99),
      W2GatewayTaxHub: ratio(W2.hub.requestsPerSecond, W2.direct.requestsPerSecond),
      W2GatewayTaxHive: ratio(W2.hive.requestsPerSecond, W2.direct.requestsPerSecond),
    };
    const scales = Object.values(byScale);
    const dbEqual =
      scales.length >= 2 ? scales.every((s) => s.W1 === scales[0]!.W1 && s.W2 === scales[0]!.W2) : null;
    const hubPeak = Math.max(W1.hub.peakRssMb ?? 0, W2.hub.peakRssMb ?? 0, W3.hub.peakRssMb ?? 0) || null;
    const cpus = (await import('node:os')).cpus();
    const totalmem = (await import('node:os')).totalmem();
    return {
      generatedAt: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGb: round2(totalmem / 2 ** 30),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      options: (({ log: _l, verbose: _v, ...rest }) => rest)(options),
      identicalResponses,
      workloads: { W1, W2, W3: { rate, ...W3 } },
      ratios,
      dbCommandsPerRequest: {
        method:
          'in-process hub (test/support/hub.ts) on fresh databases at each scale; MongoDB driver command monitoring; getMore/killCursors and handshakes excluded; one warm request first',
        byScale,
      },
      ceiling: { requestsPerSecond: ceilingRun.requestsPerSecond, p50: ceilingRun.p50, p99: ceilingRun.p99 },
      targets: {
        W1HubOverHive: {
          target: '>= 1.5',
          value: ratios.W1RequestsHubOverHive,
          met: ratios.W1RequestsHubOverHive >= 1.5,
        },
        W2GatewayTaxHub: {
          target: '>= 0.5',
          value: ratios.W2GatewayTaxHub,
          met: ratios.W2GatewayTaxHub >= 0.5,
        },
        dbCommandsEqualAcrossScales: { target: 'equal at every scale', value: null, met: dbEqual },
        hubPeakRssMb: { target: '<= 150', value: hubPeak, met: hubPeak === null ? null : hubPeak <= 150 },
      },
    };
  } finally {
    for (const p of started.reverse()) await stopService(p);
    if (database) {
      if (!database.embedded) {
        const client = await MongoClient.connect(database.uri);
        try {
          for (const name of databases) await client.db(name).dropDatabase();
        } finally {
          await client.close();
        }
      }
      await database.stop();
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}
