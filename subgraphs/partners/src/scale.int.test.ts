import { partners as partnerFacts } from '@clusterpolisee/infra/seed/facts';
import { GOVERNING_BODIES, seedPartners } from '@clusterpolisee/infra/seed/partners';
import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { partners } from '.';

/**
 * Every list with nested or cross-subgraph fields must cost the same number of database
 * commands whether the hub holds the real 25 partners or ten times as many: loaders batch
 * each nested field into one query, whatever the number of parents.
 */
let small: TestSubgraph;
let large: TestSubgraph;

beforeAll(async () => {
  [small, large] = await Promise.all([startTestSubgraph(partners), startTestSubgraph(partners)]);
  await seedPartners(small.orm.em.fork(), { scale: 1 });
  await seedPartners(large.orm.em.fork(), { scale: 10 });
}, 120_000);
afterAll(() => Promise.all([small?.close(), large?.close()]));

const QUERIES: Record<string, string> = {
  organisations: `{ organisations(first: 50) { totalCount pageInfo { endCursor }
    nodes { name country { name } partnerships { role project { id } country { code } } people { name } } } }`,
  countries: `{ countries { code organisations { name country { code } people { name organisation { id } } } } }`,
  projectPartners: `{ projectPartners(projectId: "clusterpolisee", first: 50) { totalCount
    nodes { role organisation { name country { name } people { name } } country { name } project { id } } } }`,
  people: `{ people(first: 50) { totalCount nodes { name organisation { name country { name } partnerships { role } } } } }`,
  governingBodies: `{ governingBodies { name memberships { role person { name organisation { name } }
    organisation { country { name } } } meetings { date body { name } } } }`,
  meetings: `{ meetings(bodyId: "${GOVERNING_BODIES[0]!._id}") { totalCount nodes { date body { memberships { organisation { name } } } } } }`,
  partnerCountsByCountry: `{ partnerCountsByCountry(projectId: "clusterpolisee") { count country { name organisations { name } } } }`,
  projectEntities: `{ _entities(representations: [
    { __typename: "Project", id: "clusterpolisee" }, { __typename: "Project", id: "synthetic-load-test" }]) {
    ... on Project { partners { partnerNumber organisation { name people { name } } country { name } } } } }`,
};

async function commandsFor(
  subgraph: TestSubgraph,
  query: string,
): Promise<{ count: number; names: string[] }> {
  subgraph.commands.reset();
  const result = await subgraph.query(query);
  expect(result.errors).toBeUndefined();
  return {
    count: subgraph.commands.count(),
    // Loaders of sibling fields dispatch in the same tick, so their order is not part of the contract.
    names: subgraph.commands
      .names()
      .filter((n) => !n.startsWith('getMore'))
      .sort(),
  };
}

test('seeding scale 10 again writes nothing', async () => {
  expect(await seedPartners(large.orm.em.fork(), { scale: 10 })).toBe(0);
});

test('scale 10 really holds ten times the organisations, partners and people', async () => {
  const count = `{ organisations { totalCount } people { totalCount }
    synthetic: projectPartners(projectId: "synthetic-load-test") { totalCount }
    real: projectPartners(projectId: "clusterpolisee") { totalCount } }`;
  expect((await small.query(count)).data).toEqual({
    organisations: { totalCount: 25 },
    people: { totalCount: 25 },
    synthetic: { totalCount: 0 },
    real: { totalCount: 25 },
  });
  expect((await large.query(count)).data).toEqual({
    organisations: { totalCount: 250 },
    people: { totalCount: 250 },
    synthetic: { totalCount: 225 },
    real: { totalCount: partnerFacts.length },
  });
});

test.each(Object.keys(QUERIES))(
  '%s sends as many database commands at scale 10 as at scale 1',
  async (name) => {
    const query = QUERIES[name]!;
    const atOne = await commandsFor(small, query);
    const atTen = await commandsFor(large, query);
    expect(atTen.names).toEqual(atOne.names);
    expect(atTen.count).toBe(atOne.count);
    expect(atOne.count).toBeLessThanOrEqual(8);
  },
);

test('organisation references from the gateway cost one command per type, however many', async () => {
  const page = (
    await large.query<{ organisations: { nodes: { id: string }[] } }>(
      `{ organisations(first: 100) { nodes { id } } }`,
    )
  ).data!.organisations.nodes;
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { name country { name } partnerships { role } people { name } } } }`;
  for (const size of [5, 100]) {
    large.commands.reset();
    const result = await large.query(query, {
      r: page.slice(0, size).map(({ id }) => ({ __typename: 'Organisation', id })),
    });
    expect(result.errors).toBeUndefined();
    expect(
      large.commands
        .names()
        .filter((n) => !n.startsWith('getMore'))
        .sort(),
    ).toEqual(['find countries', 'find organisations', 'find people', 'find project_partners']);
  }
});
