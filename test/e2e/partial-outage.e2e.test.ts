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

test("a root field of the stopped subgraph is null and the other subgraph's root field is answered", async () => {
  const result = await hub.query<{
    organisations: { nodes: { name: string }[] } | null;
    partnerBudgets: { totalCount: number } | null;
  }>(`{
    organisations(filter: { country: "IT" }) { nodes { name } }
    partnerBudgets(projectId: "clusterpolisee") { totalCount }
  }`);
  expect(result.status).toBe(200);
  expect(result.data?.organisations?.nodes.map((o) => o.name)).toContain('Marche Region');
  expect(result.data?.partnerBudgets).toBeNull();
  // The gateway's error for a fetch that failed names the subgraph, not a path.
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0]?.message).toMatch(/projects/);
});

test('the gateway is still healthy afterwards', async () => {
  const health = await fetch(new URL('/health', hub.gateway.url));
  expect(health.status).toBe(200);
  const again = await hub.query(`{ countries { code } }`);
  expect(again.errors).toBeUndefined();
});

describe('with the partners subgraph down', () => {
  let partial: TestHub;

  beforeAll(async () => {
    partial = await startTestHub();
    await partial.subgraphs.partners!.close();
  }, 60_000);
  afterAll(() => partial?.close());

  test('references to its organisations are null, and the records that hold them stay', async () => {
    const result = await partial.query<{
      news: { totalCount: number; nodes: { title: string; author: { name: string } | null }[] } | null;
      workingGroups: { code: string; members: { name: string }[] | null }[] | null;
    }>(`{
      news(first: 3) { totalCount nodes { title author { name } } }
      workingGroups { code members { name } }
    }`);
    expect(result.status).toBe(200);
    expect(result.data?.news?.totalCount).toBeGreaterThan(3);
    expect(result.data?.news?.nodes).toHaveLength(3);
    for (const item of result.data?.news?.nodes ?? []) {
      expect(item.title).toEqual(expect.any(String));
      expect(item.author).toBeNull();
    }
    expect(result.data?.workingGroups?.map((group) => group.code)).toContain('WG3');
    for (const group of result.data?.workingGroups ?? []) expect(group.members).toBeNull();
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
