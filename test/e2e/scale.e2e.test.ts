import { startTestHub } from '../support/hub';

// Every list a front end pages through, with nested and cross-subgraph fields. Loaders batch
// each field into one query per page, so the database commands a request costs must not grow
// with the data: the same at seed scale 1 and scale 10.
const QUERIES: Record<string, string> = {
  organisations: `{ organisations(first: 50) { nodes { name country { code } partnerships { role }
    budgets { total { amount } } claims { status } workingGroups { code } goodPractices { title } events { id } news { id } } } }`,
  workingGroups: `{ workingGroups { code lead { name } members { name country { code } } } }`,
  partnerBudgets: `{ partnerBudgets(projectId: "clusterpolisee", first: 50) { nodes { organisation { name country { code } }
    lines { workPackage { code } amount { amount } } } } }`,
  claims: `{ claims(projectId: "clusterpolisee", first: 50) { nodes { organisation { name } period { number } workPackage { code } } } }`,
  absorption: `{ absorption(projectId: "clusterpolisee", by: PARTNER) { key organisation { name } spent { amount } } }`,
  news: `{ news(first: 50) { nodes { title author { name country { code } } } } }`,
  events: `{ events(first: 50) { nodes { host { name } workingGroup { code title } } } }`,
  goodPractices: `{ goodPractices(first: 50) { nodes { title workingGroup { code lead { name } } } } }`,
};

async function commandsPerQuery(scale: number): Promise<Record<string, number>> {
  const hub = await startTestHub({ scale });
  try {
    const size = await hub.query<{ organisations: { totalCount: number } }>(
      `{ organisations { totalCount } }`,
    );
    // The larger seed really is larger: 25 partners become 250.
    expect(size.data?.organisations.totalCount).toBe(25 * scale);
    const counts: Record<string, number> = {};
    for (const [name, query] of Object.entries(QUERIES)) {
      hub.resetCommandCounts();
      // An analyst, since the lists include claims.
      const result = await hub.query(query, undefined, { role: 'analyst' });
      expect({ name, errors: result.errors }).toEqual({ name, errors: undefined });
      counts[name] = hub.commandCount();
    }
    return counts;
  } finally {
    await hub.close();
  }
}

test('database commands per list request are the same at seed scale 1 and 10', async () => {
  const atScale1 = await commandsPerQuery(1);
  const atScale10 = await commandsPerQuery(10);
  expect(atScale10).toEqual(atScale1);
  for (const count of Object.values(atScale1)) expect(count).toBeGreaterThan(0);
}, 300_000);
