import { startTestHub, type TestHub } from '../support/hub';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
  // The projects subgraph goes away; the gateway and the other subgraphs stay.
  await hub.subgraphs.projects!.close();
}, 60_000);
afterAll(() => hub?.close());

test('queries that do not need the stopped subgraph are answered in full', async () => {
  const result = await hub.query<{ organisations: { nodes: { name: string; workingGroups: unknown[] }[] } }>(
    `{ organisations(filter: { country: "IT" }) { nodes { name workingGroups { code } } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.organisations.nodes.map((o) => o.name)).toContain('Marche Region');
});

test('queries that need it get partial data and an error naming the failure', async () => {
  const result = await hub.query<{ organisations: { nodes: { name: string; budgets: unknown }[] } }>(
    `{ organisations(filter: { country: "IT" }) { nodes { name budgets { total { amount } } } } }`,
  );
  expect(result.status).toBe(200);
  expect(result.data?.organisations.nodes).toHaveLength(4);
  for (const organisation of result.data?.organisations.nodes ?? []) {
    expect(organisation.name).toEqual(expect.any(String));
    expect(organisation.budgets).toBeNull();
  }
  expect(result.errors?.length).toBeGreaterThan(0);
  expect(result.errors?.[0]?.message).toMatch(/projects/);
});

test('the gateway is still healthy afterwards', async () => {
  const health = await fetch(new URL('/health', hub.gateway.url));
  expect(health.status).toBe(200);
  const again = await hub.query(`{ countries { code } }`);
  expect(again.errors).toBeUndefined();
});
