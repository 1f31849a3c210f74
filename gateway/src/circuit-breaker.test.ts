import { createLogger } from '@clusterpolisee/kit/telemetry';
import { GraphQLError } from 'graphql';
import { Response } from 'undici';
import { SubgraphBreakers } from './circuit-breaker';
import type { SubgraphFetcher } from './fetcher';

// What counts as the subgraph's failure, told apart without a network: the fetcher here stands
// for the real one's outcomes (an answer with a status, or its GraphQL errors). The whole path
// with a real gateway and subgraph is test/e2e/circuit-breaker.e2e.test.ts.
const settings = { errorPercent: 50, volume: 3, windowMs: 10_000, cooldownMs: 60_000 };
const variables = {
  errorPercent: 'SUBGRAPH_BREAKER_ERROR_PERCENT',
  volume: 'SUBGRAPH_BREAKER_VOLUME',
  windowMs: 'SUBGRAPH_BREAKER_WINDOW_MS',
  cooldownMs: 'SUBGRAPH_BREAKER_COOLDOWN_MS_PARTNERS',
};
const URL = 'http://127.0.0.1:1/graphql';

let breakers: SubgraphBreakers;
/** The gateway's log lines, as written: one JSON object each. */
let logged: string[];
beforeEach(() => {
  logged = [];
  const log = createLogger({
    service: 'gateway',
    destination: { write: (line: string) => logged.push(line) },
  });
  breakers = new SubgraphBreakers({ log });
});
afterEach(() => breakers.close());

const answering = (status: number): SubgraphFetcher =>
  (async () => new Response('{"data":null}', { status })) as unknown as SubgraphFetcher;
const failing =
  (code: string): SubgraphFetcher =>
  async () => {
    throw new GraphQLError(`Subgraph "partners" failed: ${code}`, {
      extensions: { code, subgraph: 'partners' },
    });
  };
const codeOf = (error: unknown) => (error as GraphQLError).extensions?.code;

async function callsOf(fetcher: SubgraphFetcher, n: number, init: RequestInit = {}): Promise<unknown[]> {
  const guarded = breakers.wrap('partners', { enabled: true, settings, variables }, fetcher);
  const outcomes: unknown[] = [];
  for (let i = 0; i < n; i++) {
    outcomes.push(
      await guarded(URL, init as never).then(
        (response) => response.status,
        (error: unknown) => codeOf(error),
      ),
    );
  }
  return outcomes;
}

test('HTTP 5xx answers count as failures, and reach the caller until the breaker opens', async () => {
  expect(await callsOf(answering(503), 5)).toEqual([
    503,
    503,
    503,
    'SUBGRAPH_UNAVAILABLE',
    'SUBGRAPH_UNAVAILABLE',
  ]);
  expect(breakers.states().partners).toMatchObject({ state: 'open', calls: 3, failures: 3, refused: 2 });
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatch(/^\{.*\}\n$/);
  expect(JSON.parse(logged[0]!)).toMatchObject({
    level: 'warn',
    service: 'gateway',
    event: 'subgraph_breaker',
    subgraph: 'partners',
    state: 'open',
    calls: 3,
    failures: 3,
    retryAt: expect.stringMatching(/Z$/),
    msg: 'circuit breaker of subgraph "partners": open',
  });
});

test('timeouts open it; the refusal names the subgraph, the settings and when it is tried again', async () => {
  const guarded = breakers.wrap(
    'partners',
    { enabled: true, settings, variables },
    failing('SUBGRAPH_TIMEOUT'),
  );
  for (let i = 0; i < 3; i++)
    await expect(guarded(URL, {})).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_TIMEOUT' } });
  const refusal = (await guarded(URL, {}).catch((error: unknown) => error)) as GraphQLError;
  expect(refusal.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'partners' });
  expect(refusal.message).toMatch(
    /^Subgraph "partners" is unavailable: more than 50% of its recent calls failed \(SUBGRAPH_BREAKER_ERROR_PERCENT\), so the gateway stopped calling it for 60000 ms \(SUBGRAPH_BREAKER_COOLDOWN_MS_PARTNERS\); it will be tried again at \S+Z \(in 60 s\)\./,
  );
  expect(Date.parse(breakers.states().partners!.retryAt!)).toBeGreaterThan(Date.now() + 59_000);
});

test('answers too large for the operation and calls the caller gave up on are not the subgraph’s fault', async () => {
  expect(await callsOf(failing('SUBGRAPH_RESPONSE_TOO_LARGE'), 6)).toEqual(
    Array(6).fill('SUBGRAPH_RESPONSE_TOO_LARGE'),
  );
  const gone = new AbortController();
  gone.abort();
  expect(await callsOf(failing('SUBGRAPH_UNAVAILABLE'), 6, { signal: gone.signal })).toEqual(
    Array(6).fill('SUBGRAPH_UNAVAILABLE'),
  );
  expect(breakers.states().partners).toMatchObject({ state: 'closed', failures: 0, refused: 0 });
  expect(logged).toEqual([]);
});

test('4xx answers and successes keep it closed; switched off, it is not there at all', async () => {
  expect(await callsOf(answering(400), 6)).toEqual(Array(6).fill(400));
  expect(breakers.states().partners?.state).toBe('closed');
  const fetcher = failing('SUBGRAPH_TIMEOUT');
  expect(breakers.wrap('projects', { enabled: false, settings, variables }, fetcher)).toBe(fetcher);
  expect(breakers.states().projects).toBeUndefined();
});
