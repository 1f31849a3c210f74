// The schema registry seen through real gateways: two replicas on one registry pick up a publish
// while requests keep coming, and the HTTP endpoints let a partner publish its own subgraph only.
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { publishSubgraph, removeSubgraph, rollbackTo } from '../../schema/registry/operations';
import { RegistryStore } from '../../schema/registry/store';
import { startPartnerSubgraph, partnerSdl, type PartnerSubgraph } from '../../test/support/partner-subgraph';
import { startTestHub, type TestHub } from '../../test/support/hub';
import { startGateway, type RunningGateway } from './server';

jest.setTimeout(120_000);

const POLL_MS = 100;
const ADMIN = { subject: 'test-admin', role: 'admin' };

let hub: TestHub;
let second: RunningGateway;
let client: MongoClient;
let database: string;
let store: RegistryStore;
let alpha: PartnerSubgraph;

beforeAll(async () => {
  database = `registry_test_${randomUUID().slice(0, 8)}`;
  const registry = { enabled: true, mongoUri: process.env.MONGODB_URI!, database, pollMs: POLL_MS };
  hub = await startTestHub({ gateway: { registry } });
  second = await startGateway({ ...hub.gatewaySettings, registry });
  client = new MongoClient(process.env.MONGODB_URI!);
  store = RegistryStore.open({ client, database });
  alpha = await startPartnerSubgraph('alpha', 'certification', hub.gateway.identityJwks);
});

afterAll(async () => {
  await second?.close();
  await hub?.close();
  await alpha?.close();
  await client
    ?.db(database)
    .dropDatabase()
    .catch(() => undefined);
  await client?.close();
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const graphql = (gatewayUrl: string, query: string) => post(gatewayUrl, { query });

const WITH_CERTIFICATION = '{ organisations(first: 2) { nodes { id name certification } } }';
const STEADY = '{ organisations(first: 2) { nodes { id name } } }';

async function untilServed(
  gatewayUrl: string,
  query: string,
  served: boolean,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await graphql(gatewayUrl, query);
    if (!answer.body.errors === served) return answer.body;
    if (Date.now() > deadline)
      throw new Error(`not ${served ? 'served' : 'gone'}: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('a publish reaches both gateways on the registry, failing no request of a load loop running meanwhile', async () => {
  const gateways = [hub.gateway.url, second.url];
  for (const url of gateways) {
    expect((await graphql(url, WITH_CERTIFICATION)).body.errors).toBeDefined();
  }
  let running = true;
  const failures: unknown[] = [];
  let requests = 0;
  const loop = async (url: string) => {
    while (running) {
      requests += 1;
      const answer = await graphql(url, STEADY).catch((error: unknown) => ({
        status: 0,
        body: { error } as Record<string, unknown>,
      }));
      if (answer.status !== 200 || answer.body.errors || !answer.body.data) failures.push(answer);
    }
  };
  const loops = gateways.flatMap((url) => [loop(url), loop(url)]);
  await new Promise((resolve) => setTimeout(resolve, 300));

  const published = await publishSubgraph(
    store,
    { name: 'alpha', url: alpha.url, sdl: alpha.sdl },
    { subject: 'alpha-ci', role: 'admin' },
  );
  expect(published.ok).toBe(true);
  const answers = await Promise.all(gateways.map((url) => untilServed(url, WITH_CERTIFICATION, true)));
  await new Promise((resolve) => setTimeout(resolve, 300));
  running = false;
  await Promise.all(loops);

  for (const answer of answers) {
    const nodes = (answer.data as { organisations: { nodes: { id: string; certification: string }[] } })
      .organisations.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) expect(node.certification).toBe(`certification:${node.id}`);
  }
  expect(requests).toBeGreaterThan(20);
  expect(failures).toEqual([]);

  // Removing it and rolling back to the version that had it are new versions too, seen by both.
  expect((await removeSubgraph(store, 'alpha', ADMIN)).ok).toBe(true);
  await Promise.all(gateways.map((url) => untilServed(url, WITH_CERTIFICATION, false)));
  const restored = await rollbackTo(store, published.ok ? published.version.version : 0, ADMIN);
  expect(restored).toMatchObject({
    ok: true,
    version: { action: 'ROLLBACK', subgraphs: [{ name: 'alpha' }] },
  });
  await Promise.all(gateways.map((url) => untilServed(url, WITH_CERTIFICATION, true)));
});

describe('POST /registry/publish and /registry/check', () => {
  const name = 'beta';
  let beta: PartnerSubgraph;
  beforeAll(async () => {
    beta = await startPartnerSubgraph(name, 'betaLabel', hub.gateway.identityJwks);
  });
  afterAll(async () => beta?.close());

  const partnerToken = (subgraph: string, scope = 'publish:schema') =>
    hub.tokens.mint({
      role: 'partner-member',
      org: 'it-marche-region',
      sub: `ci@${subgraph}`,
      claims: { scope, subgraph },
    });
  const endpoint = (path: string) => new URL(path, hub.gateway.url).toString();
  const bearer = async (token: Promise<string>) => ({ authorization: `Bearer ${await token}` });

  it("refuses a partner's token for another partner's subgraph, and stores nothing", async () => {
    const before = await store.latestVersion();
    const body = { name, url: beta.url, sdl: beta.sdl };
    const other = await post(endpoint('/registry/publish'), body, await bearer(partnerToken('gamma')));
    expect(other.status).toBe(403);
    expect(other.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/not "beta"/) }),
    ]);
    const noScope = await post(
      endpoint('/registry/publish'),
      body,
      await bearer(partnerToken(name, 'read:claims')),
    );
    expect(noScope.status).toBe(403);
    expect(JSON.stringify(noScope.body)).toMatch(/publish:schema/);
    const anonymous = await post(endpoint('/registry/check'), body);
    expect(anonymous.status).toBe(401);
    const forged = await post(endpoint('/registry/publish'), body, { authorization: 'Bearer not.a.token' });
    expect(forged.status).toBe(401);
    expect(await store.latestVersion()).toBe(before);
  });

  it('refuses a composition error naming the subgraph and the line, and stores nothing', async () => {
    const before = await store.latestVersion();
    const sdl = partnerSdl('betaLabel').replace('betaLabel: String', 'name: Int');
    for (const path of ['/registry/check', '/registry/publish']) {
      const answer = await post(
        endpoint(path),
        { name, url: beta.url, sdl },
        await bearer(partnerToken(name)),
      );
      expect(answer.status).toBe(422);
      const errors = answer.body.errors as {
        code: string;
        locations: { subgraph: string; line: number }[];
      }[];
      expect(errors.map((e) => e.code)).toContain('FIELD_TYPE_MISMATCH');
      expect(errors[0]!.locations).toContainEqual(expect.objectContaining({ subgraph: name, line: 5 }));
      expect(answer.body.text).toMatch(/at beta \(beta \(posted SDL\):5:3\)/);
    }
    expect(await store.latestVersion()).toBe(before);
  });

  it("publishes the partner's own subgraph, reading its SDL from the running service, and records it in the audit trail", async () => {
    const token = await bearer(partnerToken(name));
    const checked = await post(endpoint('/registry/check'), { name, url: beta.url }, token);
    expect(checked).toMatchObject({ status: 200, body: { ok: true } });
    const published = await post(endpoint('/registry/publish'), { name, url: beta.url }, token);
    expect(published).toMatchObject({ status: 200, body: { ok: true, author: `ci@${name}` } });
    const version = published.body.version as number;
    expect((await store.get(version))?.subgraphs.map((s) => s.name)).toContain(name);
    const trail = await store.auditTrail();
    expect(trail.at(-1)).toMatchObject({
      action: 'PUBLISH',
      actor: `ci@${name}`,
      actorRole: 'partner-member',
      actorOrganisationId: 'it-marche-region',
      recordId: `supergraph#${version}`,
    });
    await untilServed(hub.gateway.url, '{ organisations(first: 1) { nodes { id betaLabel } } }', true);
  });

  it("lets an admin publish any partner's subgraph", async () => {
    const admin = await bearer(hub.tokens.mint({ role: 'admin', sub: 'hub-admin' }));
    const answer = await post(endpoint('/registry/publish'), { name, url: beta.url, sdl: beta.sdl }, admin);
    expect(answer).toMatchObject({ status: 200, body: { ok: true, author: 'hub-admin' } });
  });
});
