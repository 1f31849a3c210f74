import { Organisation } from '@clusterpolisee/partners/entities';
import { PartnerBudget } from '@clusterpolisee/projects/entities';
import { countries } from '@clusterpolisee/infra/seed/facts';
import { partnerBudgets } from '@clusterpolisee/infra/seed/projects';
import { answeredFields } from '@clusterpolisee/kit/testing';
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
  // Every partner's fields from the other three subgraphs: budgets (projects), working groups and
  // good practices (knowledge), news and events (communications).
  const fields = `name country { code } budgets { total { amount } } workingGroups { code }
    goodPractices { title } news { title } events { id } partnerships { role }`;
  // Every partner in one request: countries are not paged, nor are their organisations.
  const everyPartner = `{ countries { code organisations { ${fields} } } }`;
  // The organisations list's largest page.
  const largestPage = `{ organisations(first: 100) { nodes { ${fields} } } }`;

  interface Cost {
    organisations: number;
    /** Budgets the projects subgraph returned for them: each partner's reference was resolved. */
    budgets: number;
    commands: number;
  }
  type Partners = { budgets: unknown[] | null }[];

  async function costOf<TData>(query: string, partnersIn: (data: TData) => Partners): Promise<Cost> {
    hub.resetCommandCounts();
    const result = await hub.query<TData>(query);
    expect(result.errors).toBeUndefined();
    const partners = partnersIn(result.data!);
    return {
      organisations: partners.length,
      budgets: partners.reduce((sum, partner) => sum + (partner.budgets?.length ?? 0), 0),
      commands: hub.commandCount(),
    };
  }
  const everyPartnerCost = () =>
    costOf<{ countries: { organisations: Partners }[] }>(everyPartner, (data) =>
      data.countries.flatMap((country) => country.organisations),
    );
  const largestPageCost = () =>
    costOf<{ organisations: { nodes: Partners } }>(largestPage, (data) => data.organisations.nodes);

  /** 225 more partners, spread over the countries, each with a budget: 250 in all. */
  async function addPartners(count: number): Promise<void> {
    const partnersEm = hub.subgraphs.partners!.orm.em.fork();
    const projectsEm = hub.subgraphs.projects!.orm.em.fork();
    for (let i = 0; i < count; i++) {
      const countryCode = countries[i % countries.length]!.code;
      const id = `${countryCode.toLowerCase()}-load-test-organisation-${i}`;
      partnersEm.create(Organisation, {
        _id: id,
        name: `Load test organisation ${i}`,
        countryCode,
        legalStatus: 'PUBLIC',
        type: 'CLUSTER_ORGANISATION',
        searchKeys: [],
        source: 'synthetic',
      });
      projectsEm.create(PartnerBudget, {
        _id: `load-${i}`,
        projectId: 'load-test',
        organisationId: id,
        countryCode,
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
  }

  test('every partner with cross-subgraph fields, in one request, costs as many database commands with 250 partners as with 25', async () => {
    const everyAt25 = await everyPartnerCost();
    const pageAt25 = await largestPageCost();
    expect(everyAt25.organisations).toBe(25);
    expect(pageAt25.organisations).toBe(25);
    expect(everyAt25.commands).toBeGreaterThan(0);

    await addPartners(225);

    // One request returns all 250 partners and each new one's budget, for the same commands.
    expect(await everyPartnerCost()).toEqual({
      organisations: 250,
      budgets: everyAt25.budgets + 225,
      commands: everyAt25.commands,
    });
    // The largest page now holds 100 partners, four times as many as before, for the same commands.
    expect(await largestPageCost()).toMatchObject({ organisations: 100, commands: pageAt25.commands });
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
  expect(answeredFields(result)).toEqual([]);
  expect(result.errors?.[0]).toMatchObject({
    message: expect.stringContaining('input.countryCode'),
    extensions: { code: 'BAD_USER_INPUT', field: 'input.countryCode' },
  });
  expect(await em.count(Organisation, {})).toBe(before);
  expect(await em.findOne(Organisation, { name: 'Cluster Agency' })).toBeNull();
});
