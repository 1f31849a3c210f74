import { Organisation } from '@clusterpolisee/partners/entities';
import { PartnerBudget } from '@clusterpolisee/projects/entities';
import { partnerBudgets } from '@clusterpolisee/infra/seed/projects';
import { startTestHub, type TestHub } from '../support/hub';
import { readmeQuery } from '../support/readme-query';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(() => hub?.close());

interface PartnerOverview {
  organisations: {
    nodes: {
      name: string;
      nameOriginal: string | null;
      acronym: string | null;
      country: { name: string; programmeStatus: string };
      budgets: { total: { amount: string; currency: string }; source: string }[];
      workingGroups: { code: string; title: string }[];
    }[];
  };
  news: {
    nodes: {
      title: string;
      publishedOn: string;
      source: string;
      author: { name: string; country: { code: string } };
    }[];
  };
}

test("the README's query spans all four subgraphs and returns the seeded facts", async () => {
  const result = await hub.query<PartnerOverview>(readmeQuery('PartnerOverview'));
  expect(result.errors).toBeUndefined();
  const bsmepaBudget = partnerBudgets().find((b) => b.partner.acronym === 'BSMEPA')!;
  expect(result.data?.organisations.nodes).toEqual([
    {
      name: 'Bulgarian Small and Medium Enterprises Promotion Agency',
      nameOriginal: 'Изпълнителна агенция за насърчаване на малките и средните предприятия',
      acronym: 'BSMEPA',
      country: { name: 'Bulgaria', programmeStatus: 'EU_MEMBER' },
      budgets: [
        { total: { amount: (bsmepaBudget.cents / 100).toFixed(2), currency: 'EUR' }, source: 'synthetic' },
      ],
      // WG3's lead is public; its other memberships are synthetic, so only WG3 is certain.
      workingGroups: expect.arrayContaining([
        { code: 'WG3', title: 'International cluster cooperation and networking' },
      ]),
    },
  ]);
  const news = result.data?.news.nodes ?? [];
  expect(news).toHaveLength(2);
  expect(news[0]!.publishedOn >= news[1]!.publishedOn).toBe(true);
  for (const item of news) {
    expect(item.source).toBe('synthetic');
    expect(item.author.name).toEqual(expect.any(String));
    expect(item.author.country.code).toMatch(/^[A-Z]{2}$/);
  }
});

describe('batching across subgraphs', () => {
  const query = `{ organisations(first: 100) { nodes { name country { code } budgets { total { amount } }
    workingGroups { code } news { title } events { id } partnerships { role } } } }`;

  async function commandsFor(expectedOrganisations: number): Promise<number> {
    hub.resetCommandCounts();
    const result = await hub.query<{ organisations: { nodes: unknown[] } }>(query);
    expect(result.errors).toBeUndefined();
    expect(result.data?.organisations.nodes).toHaveLength(expectedOrganisations);
    return hub.commandCount();
  }

  test('a page of partners with cross-subgraph fields costs as many database commands with 250 partners as with 25', async () => {
    const at25 = await commandsFor(25);

    const partnersEm = hub.subgraphs.partners!.orm.em.fork();
    const projectsEm = hub.subgraphs.projects!.orm.em.fork();
    for (let i = 0; i < 225; i++) {
      const id = `at-load-test-organisation-${i}`;
      partnersEm.create(Organisation, {
        _id: id,
        name: `Load test organisation ${i}`,
        countryCode: 'AT',
        legalStatus: 'PUBLIC',
        type: 'CLUSTER_ORGANISATION',
        searchKeys: [],
        source: 'synthetic',
      });
      projectsEm.create(PartnerBudget, {
        _id: `load-${i}`,
        projectId: 'load-test',
        organisationId: id,
        countryCode: 'AT',
        totalCents: 100,
        erdfCents: 100,
        ipaCents: 0,
        nationalCents: 0,
        lines: [],
        currency: 'EUR',
        breakdownSource: 'synthetic',
        source: 'synthetic',
      });
    }
    await partnersEm.flush();
    await projectsEm.flush();

    // The page now holds 100 partners (the largest page), four times as many as before.
    const at250 = await commandsFor(100);
    expect(at250).toBe(at25);
  });
});

test('bad input to a mutation through the gateway is refused, naming the field, and nothing is written', async () => {
  const em = hub.subgraphs.partners!.orm.em.fork();
  const before = await em.count(Organisation, {});
  const result = await hub.query(
    `mutation { createOrganisation(input: { name: "Cluster Agency", countryCode: "XX", legalStatus: PUBLIC, type: CLUSTER_ORGANISATION, source: "synthetic" }) { id } }`,
    undefined,
    { role: 'coordinator' },
  );
  expect(result.data).toBeNull();
  expect(result.errors?.[0]).toMatchObject({
    message: expect.stringContaining('input.countryCode'),
    extensions: { code: 'BAD_USER_INPUT', field: 'input.countryCode' },
  });
  expect(await em.count(Organisation, {})).toBe(before);
  expect(await em.findOne(Organisation, { name: 'Cluster Agency' })).toBeNull();
});
