// A hub that heals, with real processes: `npm start`'s own entry on free ports over a temporary
// data folder, whose subgraph and embedded database are killed with SIGKILL; and a subgraph
// process stopped with SIGTERM while a request is under way.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import readline from 'node:readline';
import {
  ANONYMOUS,
  IDENTITY_HEADER,
  identitySigningKey,
  signForwardedIdentity,
} from '@clusterpolisee/kit/auth';
import { MongoClient } from 'mongodb';
import { devSubgraphEnv, ensureDevKeys } from '../../infra/local/dev-keys';
import { planHub, type HubPlan } from '../../infra/local/services';

jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');

/** `count` consecutive ports free on every interface, as the hub's services bind them. */
async function freePorts(count: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, '0.0.0.0', () => server.close(() => done(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    let all = true;
    for (let i = 0; i < count && all; i++) all = await free(base + i);
    if (all) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

async function readiness(port: number): Promise<{ status: number; body: ReadyBody } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/ready`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as ReadyBody };
  } catch {
    return undefined; // not listening (yet)
  }
}

interface ReadyBody {
  status: string;
  service: string;
  checks: Record<string, string>;
  details?: {
    subgraphs: Record<string, { status: string; required: boolean; checks?: Record<string, string> }>;
    database: { status: string; seenBy: Record<string, string> };
  };
}

/** Polls `port`'s /ready until `accept` holds; resolves with the answer and the ms since `since`. */
async function until(
  port: number,
  accept: (answer: { status: number; body: ReadyBody }) => boolean,
  since: number,
  timeoutMs: number,
): Promise<{ answer: { status: number; body: ReadyBody }; ms: number }> {
  let last: unknown;
  while (Date.now() - since < timeoutMs) {
    const answer = await readiness(port);
    last = answer;
    if (answer && accept(answer)) return { answer, ms: Date.now() - since };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `port ${port}: /ready not as expected within ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
  );
}

/** Output lines of a child process, with a way to wait for one. */
function collect(child: ChildProcess): {
  lines: string[];
  waitFor(pattern: RegExp, ms: number): Promise<string>;
} {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.pattern.test(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
    });
  }
  return {
    lines,
    waitFor: (pattern, ms) =>
      new Promise((resolveLine, reject) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen) return resolveLine(seen);
        const timer = setTimeout(
          () => reject(new Error(`no line matching ${pattern} within ${ms} ms:\n${lines.join('\n')}`)),
          ms,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolveLine(line);
          },
        });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(
            new Error(`exited (${signal ?? code}) before a line matching ${pattern}:\n${lines.join('\n')}`),
          );
        });
      }),
  };
}

function exited(child: ChildProcess): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.signalCode ?? child.exitCode);
  }
  return new Promise((done) => child.once('exit', (code, signal) => done(signal ?? code)));
}

async function graphql(port: number, query: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

describe('npm start', () => {
  let hub: ChildProcess;
  let output: ReturnType<typeof collect>;
  let plan: HubPlan;
  let dataDir: string;
  const pids: Record<string, number> = {};
  const portOf = (name: string) => plan.subgraphs.find((s) => s.name === name)!.port;

  beforeAll(async () => {
    const base = await freePorts(5);
    plan = planHub({ env: { HUB_BASE_PORT: String(base) } });
    dataDir = mkdtempSync(join(tmpdir(), 'hub-healing-'));
    // The hub's own embedded database, not the test run's server: that is what it must restart.
    const { MONGODB_URI: _testServer, SUPERGRAPH_PATH: _supergraph, ...env } = process.env;
    hub = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/local/start.ts')], {
      cwd: ROOT,
      env: { ...env, HUB_BASE_PORT: String(base), HUB_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    output = collect(hub);
    const processes = await output.waitFor(/\[hub\] processes: /, 200_000);
    for (const [, name, pid] of processes.matchAll(/(\w+) pid (\d+)/g)) pids[name!] = Number(pid);
    await output.waitFor(/ClusterPoliSEE hub ready/, 10_000);
  }, 240_000);

  afterAll(async () => {
    if (hub && hub.exitCode === null && hub.signalCode === null) {
      hub.kill('SIGTERM');
      await exited(hub);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts a subgraph killed with SIGKILL within 10 s, and the hub never stops', async () => {
    const port = portOf('knowledge');
    expect(pids.knowledge).toEqual(expect.any(Number));
    process.kill(pids.knowledge!, 'SIGKILL');
    const killedAt = Date.now();
    const back = await output.waitFor(/\[hub\] knowledge is back \(pid \d+\)/, 10_000);
    const { ms } = await until(
      port,
      (a) => a.status === 200 && a.body.service === 'knowledge',
      killedAt,
      10_000,
    );
    expect(ms).toBeLessThan(10_000);
    expect(Number(/pid (\d+)/.exec(back)![1])).not.toBe(pids.knowledge);
    expect(output.lines.join('\n')).toMatch(
      /\[hub\] knowledge stopped unexpectedly \(SIGKILL\); restarting it in \d+ ms/,
    );
    expect(hub.exitCode).toBeNull();
    expect(hub.signalCode).toBeNull();
    // The hub answers through it again.
    const result = await graphql(plan.gateway.port, '{ workingGroups { code } }');
    expect(result.errors).toBeUndefined();
    expect((result.data as { workingGroups: unknown[] }).workingGroups.length).toBeGreaterThan(0);
  });

  /** Subgraph's and gateway's /ready after the database went: both 503 within 2 s, saying why. */
  async function expectUnreadyWithin2s(since: number): Promise<void> {
    const [subgraph, gateway] = await Promise.all([
      until(portOf('partners'), (a) => a.status === 503, since, 10_000),
      until(
        plan.gateway.port,
        (a) => a.status === 503 && a.body.details?.subgraphs.partners?.status === 'not ready',
        since,
        10_000,
      ),
    ]);
    expect(subgraph.ms).toBeLessThan(2_000);
    expect(subgraph.answer.body.checks.database).not.toBe('ok');
    expect(gateway.ms).toBeLessThan(2_000);
    expect(gateway.answer.body.details!.subgraphs.partners).toMatchObject({ required: true });
    expect(gateway.answer.body.details!.database.status).not.toBe('up');
    expect(gateway.answer.body.checks.subgraphs).toMatch(/required subgraphs down: .*partners/);
  }

  async function expectAnsweringAgain(since: number): Promise<void> {
    const again = await until(plan.gateway.port, (a) => a.status === 200, since, 60_000);
    expect(again.answer.body.details!.database.status).toBe('up');
    const result = await graphql(plan.gateway.port, '{ workingGroups { code } }');
    expect(result.errors).toBeUndefined();
    expect((result.data as { workingGroups: unknown[] }).workingGroups.length).toBeGreaterThan(0);
  }

  it('fails readiness within 2 s of a database that hangs, and is ready again when it answers', async () => {
    await until(plan.gateway.port, (a) => a.status === 200, Date.now(), 15_000);
    // A stopped process keeps its connections open and answers nothing: only a time limit on the
    // check tells it from a slow one.
    process.kill(pids.database!, 'SIGSTOP');
    const stoppedAt = Date.now();
    try {
      await expectUnreadyWithin2s(stoppedAt);
      // Still unready a while later: not one failed ping, then a check that waits.
      await new Promise((r) => setTimeout(r, 2_000));
      const later = Date.now();
      await until(portOf('partners'), (a) => a.status === 503, later, 1_500);
    } finally {
      process.kill(pids.database!, 'SIGCONT');
    }
    await expectAnsweringAgain(Date.now());
  });

  it('fails readiness within 2 s of losing the database, restarts it, and answers again', async () => {
    await until(plan.gateway.port, (a) => a.status === 200, Date.now(), 15_000);
    expect(pids.database).toEqual(expect.any(Number));
    const linesBefore = output.lines.length;
    process.kill(pids.database!, 'SIGKILL');
    const killedAt = Date.now();
    const backAt = output.waitFor(/\[hub\] database is back \(pid \d+\)/, 60_000).then(
      () => Date.now(),
      () => undefined,
    );
    try {
      await expectUnreadyWithin2s(killedAt);
    } catch (notSeen) {
      // FerretDB is back within half a second of its restart, and a readiness check waits up to its
      // 1 s limit for the driver to find a server: a database back that soon was never down for
      // the services, so readiness rightly stays up. Any later return must have been seen.
      const back = await Promise.race([backAt, Promise.resolve(undefined)]);
      if (back === undefined || back - killedAt > 1_500) throw notSeen;
    }

    await output.waitFor(/\[hub\] database is back \(pid \d+\)/, 60_000);
    expect(output.lines.join('\n')).toMatch(/\[hub\] database stopped unexpectedly/);
    // The subgraphs reconnect by themselves: same port, same data, no restart of theirs.
    await expectAnsweringAgain(killedAt);
    expect(output.lines.slice(linesBefore).join('\n')).not.toMatch(
      /\[hub\] (partners|knowledge|projects|communications) stopped/,
    );
    expect(hub.exitCode).toBeNull();
  });
});

describe('SIGTERM', () => {
  const DRAIN_MS = 1_500;
  let dir: string;
  let database: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-drain-'));
    database = `drain_test_${randomUUID().slice(0, 8)}`;
  });
  afterAll(async () => {
    const client = new MongoClient(process.env.MONGODB_URI!);
    await client
      .db(database)
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails readiness at once, serves for SHUTDOWN_DRAIN_MS, then lets a slow request finish', async () => {
    const keys = await ensureDevKeys(dir);
    const port = await freePorts(1);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'subgraphs/partners/src/index.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          ...devSubgraphEnv(keys, {}),
          PORT: String(port),
          MONGODB_DATABASE: database,
          SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const output = collect(child);
    await output.waitFor(/ready at http/, 60_000);
    await until(port, (a) => a.status === 200, Date.now(), 10_000);

    // A request whose body arrives slowly: under way from its headers on.
    const key = await identitySigningKey(readFileSync(keys.identityKeyFile, 'utf8'));
    const body = JSON.stringify({ query: '{ __typename }' });
    const slow: ClientRequest = request({
      host: '127.0.0.1',
      port,
      path: '/graphql',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        [IDENTITY_HEADER]: await signForwardedIdentity(ANONYMOUS, key, 'partners', randomUUID()),
      },
    });
    const answered = new Promise<{ status: number; text: string }>((done, fail) => {
      slow.on('response', (response: IncomingMessage) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => done({ status: response.statusCode ?? 0, text }));
      });
      slow.on('error', fail);
    });
    slow.flushHeaders();
    slow.write(body.slice(0, 5));
    await new Promise((r) => setTimeout(r, 200));

    child.kill('SIGTERM');
    const signalled = Date.now();
    // Not ready at once, yet still serving: a load balancer takes it out while nothing is refused.
    const draining = await until(port, (a) => a.status === 503, signalled, DRAIN_MS);
    expect(draining.ms).toBeLessThan(500);
    expect(draining.answer.body.status).toBe('draining');
    await new Promise((r) => setTimeout(r, DRAIN_MS - 200 - (Date.now() - signalled)));
    expect((await readiness(port))?.status).toBe(503);

    // Past the drain: no new connection is accepted, and the slow request still finishes.
    await new Promise((r) => setTimeout(r, Math.max(0, DRAIN_MS + 700 - (Date.now() - signalled))));
    expect(await readiness(port)).toBeUndefined();
    slow.end(body.slice(5));
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ data: { __typename: 'Query' } });
    expect(await exited(child)).toBe(0);
    expect(output.lines.join('\n')).toMatch(/SIGTERM: not ready any more; serving 1500 ms longer/);
  });

  it('does the same for the gateway: draining at once, answering queries until the drain is over', async () => {
    const port = await freePorts(1);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'infra/local/start-gateway.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        HUB_DATA_DIR: dir,
        GATEWAY_PORT: String(port),
        GATEWAY_RATE_LIMIT: 'off',
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child);
    await output.waitFor(/ready at http/, 60_000);

    child.kill('SIGTERM');
    const signalled = Date.now();
    const draining = await until(port, (a) => a.body.status === 'draining', signalled, DRAIN_MS);
    expect(draining.ms).toBeLessThan(500);
    expect(draining.answer.status).toBe(503);
    expect(await graphql(port, '{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    expect(Date.now() - signalled).toBeLessThan(DRAIN_MS);
    expect(await exited(child)).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(DRAIN_MS);
  });
});
