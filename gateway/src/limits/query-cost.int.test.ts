// The cost estimate in the running gateway, on the hub's own supergraph (schema/supergraph.graphql,
// with the @listSize bounds of the four SDLs). Every subgraph URL leads to one HTTP server that
// counts what it receives: an operation over the cost limit must be refused before any call.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateIdentityKeyPem } from '@clusterpolisee/kit/auth';
import { createTokenIssuer } from '../auth';
import { GATEWAY_DEFAULTS } from '../config';
import { startGateway, type RunningGateway } from '../server';

jest.setTimeout(30_000);

let subgraphCalls: string[] = [];
let subgraphs: Server;
let gateway: RunningGateway;

beforeAll(async () => {
  subgraphs = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      subgraphCalls.push(body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { workingGroups: [{ code: 'WG1' }] } }));
    });
  });
  await new Promise<void>((resolve) => subgraphs.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(subgraphs.address() as AddressInfo).port}/graphql`;
  const issuer = createTokenIssuer({ issuer: 'https://idp.cost.test', audience: 'cost' });
  gateway = await startGateway({
    port: 0,
    ide: false,
    supergraphPath: GATEWAY_DEFAULTS.supergraphPath,
    subgraphUrls: { PARTNERS: url, KNOWLEDGE: url, PROJECTS: url, COMMUNICATIONS: url },
    identityKeyPem: generateIdentityKeyPem(),
    auth: { jwks: issuer.jwks, issuer: 'https://idp.cost.test', audience: 'cost' },
    rateLimit: { enabled: false },
    // The counter stands for every subgraph: the drift watch's own `_service` calls would land in it.
    driftCheckMs: 0,
  });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => subgraphs?.close(resolve));
});

beforeEach(() => {
  subgraphCalls = [];
});

interface Result {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function query(text: string): Promise<Result> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Result, 'status'>) };
}

async function expectRefusedForCost(text: string): Promise<number> {
  const result = await query(text);
  expect(result.status).toBe(400);
  expect(result.data).toBeUndefined();
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors!;
  expect(error!.message).toMatch(
    /^Query cost \d+ exceeds the limit of 100000 \(GATEWAY_MAX_COST\)\. Split the operation/,
  );
  expect(error!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxCost' });
  const cost = error!.extensions!.cost as number;
  expect(error!.message).toContain(`Query cost ${cost} `);
  expect(subgraphCalls).toEqual([]);
  return cost;
}

describe('the cost limit in the gateway', () => {
  it('lets an ordinary query reach the subgraph (the counter counts)', async () => {
    const result = await query('{ workingGroups { code } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ workingGroups: [{ code: 'WG1' }] });
    expect(subgraphCalls).toHaveLength(1);
  });

  it("refuses issue 17's cycle of unpaged lists before any subgraph call", async () => {
    const cost = await expectRefusedForCost(
      '{ a: workingGroups { members { workingGroups { members { workingGroups { members { workingGroups { members { id } } } } } } } } }',
    );
    // 6 groups x 30 members, four times over.
    expect(cost).toBeGreaterThan(180 ** 4);
  });

  it('refuses big pages nested through another cycle (budgets <-> partnerships) before any subgraph call', async () => {
    const cost = await expectRefusedForCost(
      `{ projects(first: 100) { nodes { budgets { organisation { partnerships { project {
         budgets { organisation { id } } } } } } } } }`,
    );
    expect(cost).toBeGreaterThan(1_000_000);
  });

  it('adds up aliases that each pass alone', async () => {
    const one = 'workingGroups { members { workingGroups { members { id } } } }';
    const alone = await query(`{ ${one} }`);
    expect(alone.status).toBe(200);
    expect(subgraphCalls.length).toBeGreaterThan(0);
    subgraphCalls = [];
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: ${one}`).join(' ');
    await expectRefusedForCost(`{ ${aliases} }`);
  });
});
