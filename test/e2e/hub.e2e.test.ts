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
    name: string;
    nameOriginal: string | null;
    acronym: string | null;
    country: { name: string; programmeStatus: string };
    budgets: { total: { amount: string; currency: string }; source: string }[];
    workingGroups: { code: string; title: string }[];
  }[];
  news: {
    title: string;
    publishedOn: string;
    source: string;
    author: { name: string; country: { code: string } };
  }[];
}

test("the README's query spans all four subgraphs and returns the seeded facts", async () => {
  const result = await hub.query<PartnerOverview>(readmeQuery('PartnerOverview'));
  expect(result.errors).toBeUndefined();
  const bsmepaBudget = partnerBudgets().find((b) => b.partner.acronym === 'BSMEPA')!;
  expect(result.data?.organisations).toEqual([
    {
      name: 'Bulgarian Small and Medium Enterprises Promotion Agency',
      nameOriginal: 'Изпълнителна агенция за насърчаване на малките и средните предприятия',
      acronym: 'BSMEPA',
      country: { name: 'Bulgaria', programmeStatus: 'EU_MEMBER' },
      budgets: [
        { total: { amount: (bsmepaBudget.cents / 100).toFixed(2), currency: 'EUR' }, source: 'synthetic' },
      ],
      workingGroups: [{ code: 'WG3', title: 'International cluster cooperation and networking' }],
    },
  ]);
  const news = result.data?.news ?? [];
  expect(news).toHaveLength(2);
  expect(news[0]!.publishedOn >= news[1]!.publishedOn).toBe(true);
  for (const item of news) {
    expect(item.source).toBe('synthetic');
    expect(item.author.name).toEqual(expect.any(String));
    expect(item.author.country.code).toMatch(/^[A-Z]{2}$/);
  }
});

test('the project, its work packages and the partner budgets add up to the real total', async () => {
  const result = await hub.query<{
    project: { totalBudget: { amount: string }; workPackages: { code: string }[] };
    partnerBudgets: { total: { amount: string }; organisation: { name: string } }[];
    organisations: { id: string; partnerRole: string }[];
  }>(`{
    project(id: "clusterpolisee") { totalBudget { amount } workPackages { code } }
    partnerBudgets(projectId: "clusterpolisee") { total { amount } organisation { name } }
    organisations { id partnerRole }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data?.project.totalBudget.amount).toBe('5186352.00');
  expect(result.data?.project.workPackages.map((wp) => wp.code)).toEqual([
    'WP0',
    'WP1',
    'WP2',
    'WP3',
    'WP4',
    'WP5',
    'WP6',
  ]);
  const budgets = result.data?.partnerBudgets ?? [];
  expect(budgets).toHaveLength(25);
  const totalCents = budgets.reduce((sum, b) => sum + Math.round(Number(b.total.amount) * 100), 0);
  expect(totalCents).toBe(518_635_200);
  expect(budgets.find((b) => b.organisation.name === 'Istrian Development Agency')?.total.amount).toBe(
    '203500.00',
  );
  const organisations = result.data?.organisations ?? [];
  expect(organisations).toHaveLength(25);
  expect(organisations.filter((o) => o.partnerRole === 'LEAD').map((o) => o.id)).toEqual([
    'it-marche-region',
  ]);
});

describe('batching across subgraphs', () => {
  const query = `{ organisations { name country { code } budgets { total { amount } } workingGroups { code } news { title } } }`;

  async function commandsFor(expectedOrganisations: number): Promise<number> {
    hub.resetCommandCounts();
    const result = await hub.query<{ organisations: unknown[] }>(query);
    expect(result.errors).toBeUndefined();
    expect(result.data?.organisations).toHaveLength(expectedOrganisations);
    return hub.commandCount();
  }

  test('a list of partners with cross-subgraph fields costs as many database commands for 250 as for 25', async () => {
    const at25 = await commandsFor(25);

    const partnersEm = hub.subgraphs.partners!.orm.em.fork();
    const projectsEm = hub.subgraphs.projects!.orm.em.fork();
    for (let i = 0; i < 225; i++) {
      const id = `zz-load-test-organisation-${i}`;
      partnersEm.create(Organisation, {
        _id: id,
        name: `Load test organisation ${i}`,
        countryCode: 'AT',
        source: 'synthetic',
      });
      projectsEm.create(PartnerBudget, {
        _id: `load-${i}`,
        projectId: 'load-test',
        organisationId: id,
        totalCents: 100,
        currency: 'EUR',
        source: 'synthetic',
      });
    }
    await partnersEm.flush();
    await projectsEm.flush();

    const at250 = await commandsFor(250);
    expect(at250).toBe(at25);
    // One list query, one country lookup, and one lookup per cross-subgraph field.
    expect(at25).toBeLessThanOrEqual(5);
  });
});

test('bad input to a mutation through the gateway is refused, naming the field, and nothing is written', async () => {
  const em = hub.subgraphs.partners!.orm.em.fork();
  const before = await em.count(Organisation, {});
  const result = await hub.query(
    `mutation { createOrganisation(input: { name: "Cluster Agency", countryCode: "XX", source: "synthetic" }) { id } }`,
  );
  expect(result.data).toBeNull();
  expect(result.errors?.[0]).toMatchObject({
    message: expect.stringContaining('input.countryCode'),
    extensions: { code: 'BAD_USER_INPUT', field: 'input.countryCode' },
  });
  expect(await em.count(Organisation, {})).toBe(before);
  expect(await em.findOne(Organisation, { name: 'Cluster Agency' })).toBeNull();
});
