import { startGateway, type RunningGateway } from '@clusterpolisee/gateway';
import { postGraphQL, type GraphQLResponse } from '@clusterpolisee/kit/testing';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The real hub, with the projects subgraph behind a proxy that can make it hang: every call then
 * waits for the gateway's timeout, as when its database went away. The gateway's breaker for
 * projects must open after a few such calls, refuse the next ones at once, and close again
 * through a trial call once projects answers. Defaults throughout (5 calls, more than 50 %
 * failed), but a 1.5 s timeout and 4 s cool-down for projects so that the test takes seconds.
 */
let hub: TestHub;
let proxy: FaultProxy;
let gateway: RunningGateway;
/** The gateway's JSON log lines. */
const logged: string[] = [];

const TIMEOUT_MS = 1_500;
const COOLDOWN_MS = 4_000;
const NEEDS_PROJECTS = `{ projects(first: 1) { nodes { acronym } } }`;
const MIXED = `{ organisations(filter: { country: "IT" }) { nodes { name budgets { total { amount } } } } }`;
const OTHERS = [
  `{ organisations(filter: { country: "IT" }) { nodes { name workingGroups { code } } } }`,
  `{ countries { code } }`,
  `{ news(first: 3) { nodes { title } } }`,
];

beforeAll(async () => {
  hub = await startTestHub();
  // A cold subgraph's first answer can take longer than the short timeout below.
  expect((await hub.query(NEEDS_PROJECTS)).errors).toBeUndefined();
  proxy = await startFaultProxy(hub.subgraphs.projects!.url);
  gateway = await startGateway({
    ...hub.gatewaySettings,
    subgraphUrls: { ...hub.gatewaySettings.subgraphUrls, PROJECTS: proxy.url },
    subgraphTimeoutsMs: { PROJECTS: TIMEOUT_MS },
    subgraphBreakerByName: { PROJECTS: { cooldownMs: COOLDOWN_MS } },
    driftCheckMs: 0,
    // The breaker writes its state changes to the gateway's log (closing at info), kept here to be read.
    telemetry: { logLevel: 'info', logDestination: { write: (line: string) => logged.push(line) } },
  });
}, 120_000);
afterAll(async () => {
  await gateway?.close();
  await proxy?.close();
  await hub?.close();
});

/** The breaker's state changes for projects, as logged. */
const breakerLines = () =>
  logged
    .map((line) => JSON.parse(line) as { event?: string; subgraph?: string; state?: string; level: string })
    .filter((line) => line.event === 'subgraph_breaker' && line.subgraph === 'projects');

async function timed<T>(query: string): Promise<{ ms: number; result: GraphQLResponse<T> }> {
  const started = performance.now();
  const result = await postGraphQL<T>(gateway.url, query);
  return { ms: performance.now() - started, result };
}

const codes = (result: GraphQLResponse<unknown>) => result.errors?.map((e) => e.extensions?.code);

async function breakerOfProjects(): Promise<{ state: string; retryAt?: string }> {
  const ready = (await (await fetch(new URL('/ready', gateway.url))).json()) as {
    details: { subgraphs: Record<string, { breaker?: { state: string; retryAt?: string } }> };
  };
  return ready.details.subgraphs.projects!.breaker!;
}

test('with projects hanging, the tenth request needing it fails in under 50 ms and the others all succeed', async () => {
  // Healthy first: plans are cached and the breaker is closed.
  expect((await timed(NEEDS_PROJECTS)).result.errors).toBeUndefined();
  expect(await breakerOfProjects()).toMatchObject({ state: 'closed' });

  proxy.hang();
  const needing: { ms: number; codes: unknown[] | undefined }[] = [];
  const others: GraphQLResponse<unknown>[] = [];
  for (let i = 1; i <= 10; i++) {
    const { ms, result } = await timed(NEEDS_PROJECTS);
    needing.push({ ms, codes: codes(result) });
    // Between two of them, every query that does not need projects is answered in full, at once.
    others.push(...(await Promise.all(OTHERS.map((q) => postGraphQL(gateway.url, q)))));
  }

  // Five calls in the window (the healthy one and four timeouts), 80 % failed: the breaker opened,
  // and from the fifth request on it refused at once.
  for (const call of needing.slice(0, 4)) {
    expect(call.codes).toEqual(['SUBGRAPH_TIMEOUT']);
    expect(call.ms).toBeGreaterThanOrEqual(TIMEOUT_MS * 0.9);
  }
  for (const call of needing.slice(4)) expect(call.codes).toEqual(['SUBGRAPH_UNAVAILABLE']);
  expect(needing[9]!.ms).toBeLessThan(50);
  expect(others).toHaveLength(30);
  for (const result of others) {
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
  }

  // The refusal says which subgraph, why, and when it is tried again; the rest of an answer stays.
  const mixed = await timed<{ organisations: { nodes: { name: string; budgets: unknown }[] } }>(MIXED);
  expect(mixed.ms).toBeLessThan(TIMEOUT_MS / 2);
  expect(mixed.result.data?.organisations.nodes).toHaveLength(4);
  expect(mixed.result.data?.organisations.nodes.every((o) => o.name && o.budgets === null)).toBe(true);
  const refusal = mixed.result.errors?.[0];
  expect(refusal?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'projects' });
  expect(refusal?.message).toMatch(
    /^Subgraph "projects" is unavailable: .* it will be tried again at \d{4}-\d\d-\d\dT[\d:.]+Z \(in \d+ s\)\./,
  );

  const open = await breakerOfProjects();
  expect(open.state).toBe('open');
  expect(Date.parse(open.retryAt!)).toBeGreaterThan(Date.now() - 1_000);
  expect(breakerLines()).toContainEqual(
    expect.objectContaining({ state: 'open', level: 'warn', service: 'gateway' }),
  );
}, 60_000);

test('after projects is back, a half-open trial call closes the breaker', async () => {
  proxy.restore();
  // Still open until the cool-down ends: refused without a call.
  expect(codes((await timed(NEEDS_PROJECTS)).result)).toEqual(['SUBGRAPH_UNAVAILABLE']);
  await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 200));
  expect(await breakerOfProjects()).toMatchObject({ state: 'half-open' });

  const trial = await timed<{ projects: { nodes: { acronym: string }[] } }>(NEEDS_PROJECTS);
  expect(trial.result.errors).toBeUndefined();
  expect(trial.result.data?.projects.nodes).toHaveLength(1);
  expect(await breakerOfProjects()).toMatchObject({ state: 'closed' });
  expect(
    breakerLines()
      .map((line) => line.state)
      .slice(-3),
  ).toEqual(['open', 'half-open', 'closed']);

  const mixed = await timed<{ organisations: { nodes: { budgets: unknown }[] } }>(MIXED);
  expect(mixed.result.errors).toBeUndefined();
  expect(mixed.result.data?.organisations.nodes.every((o) => o.budgets !== null)).toBe(true);
}, 30_000);
