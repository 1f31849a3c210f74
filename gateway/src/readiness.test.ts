import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { gatewayReadiness } from './readiness';

// The committed supergraph: its subgraphs are the required ones. Every subgraph is routed to a
// loopback port where nothing listens, so each is `unreachable`.
const SUPERGRAPH_PATH = path.resolve(__dirname, '../../schema/supergraph.graphql');

async function serveReadiness(requireSubgraphs: boolean | undefined): Promise<Server> {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const readiness = gatewayReadiness({
    supergraphPath: SUPERGRAPH_PATH,
    requireSubgraphs,
    route: (name) => `http://127.0.0.1:${closedPort}/${name}/graphql`,
  });
  readiness.supergraphLoaded(readFileSync(SUPERGRAPH_PATH, 'utf8'));
  const routes = readiness.routes();
  const server = createServer((req, res) => void routes[req.url ?? '']!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

interface ReadyBody {
  checks: Record<string, string>;
  details: { subgraphs: Record<string, { status: string; required: boolean }> };
}

async function ready(server: Server): Promise<{ status: number; body: ReadyBody }> {
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

describe("the gateway's /ready with its subgraphs down", () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  it('fails by default, naming each required subgraph', async () => {
    const server = await serveReadiness(undefined);
    servers.push(server);
    const { status, body } = await ready(server);
    expect(status).toBe(503);
    expect(body.checks.subgraphs).toMatch(/required subgraphs down: .*partners unreachable/);
    expect(body.details.subgraphs.partners).toMatchObject({ status: 'unreachable', required: true });
  });

  it('with GATEWAY_READY_REQUIRES_SUBGRAPHS=off stays ready and still reports them', async () => {
    const server = await serveReadiness(false);
    servers.push(server);
    const { status, body } = await ready(server);
    expect(status).toBe(200);
    expect(body.checks.subgraphs).toBe('ok');
    expect(Object.keys(body.details.subgraphs).sort()).toEqual([
      'communications',
      'knowledge',
      'partners',
      'projects',
    ]);
    expect(body.details.subgraphs.projects).toMatchObject({ status: 'unreachable', required: true });
  });
});
