import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { projects } from '.';
import { PartnerBudget, Project, WorkPackage } from './entities';

let subgraph: TestSubgraph;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

beforeAll(async () => {
  subgraph = await startTestSubgraph(projects);
  const em = subgraph.orm.em.fork();
  em.create(Project, {
    _id: 'clusterpolisee',
    acronym: 'ClusterPoliSEE',
    title: 'Smarter Cluster Policies for South East Europe',
    reference: 'SEE/C/0008/1.3/X',
    programme: 'South East Europe Transnational Cooperation Programme 2007-2013',
    startDate: day('2012-05-01'),
    endDate: day('2014-10-30'),
    totalCents: 518_635_200,
    currency: 'EUR',
    source: 'project description',
  });
  // A small synthetic project, so that the budget ceiling is reached with readable numbers.
  em.create(Project, {
    _id: 'small',
    acronym: 'SMALL',
    title: 'A small synthetic project',
    reference: 'X/0001',
    programme: 'synthetic',
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    totalCents: 100_000,
    currency: 'EUR',
    source: 'synthetic',
  });
  for (const [code, title] of [
    ['WP3', 'Web platform'],
    ['WP0', 'Preparation'],
    ['WP1', 'Project and financial management'],
  ] as const) {
    em.create(WorkPackage, {
      _id: `clusterpolisee-${code.toLowerCase()}`,
      code,
      title,
      projectId: 'clusterpolisee',
      source: 'project description',
    });
  }
  em.create(PartnerBudget, {
    _id: 'clusterpolisee-hr-istrian-development-agency',
    projectId: 'clusterpolisee',
    organisationId: 'hr-istrian-development-agency',
    totalCents: 20_350_000,
    currency: 'EUR',
    source: 'project description',
  });
  em.create(PartnerBudget, {
    _id: 'clusterpolisee-it-marche-region',
    projectId: 'clusterpolisee',
    organisationId: 'it-marche-region',
    totalCents: 58_200_000,
    currency: 'EUR',
    source: 'project description',
  });
  em.create(PartnerBudget, {
    _id: 'small-it-marche-region',
    projectId: 'small',
    organisationId: 'it-marche-region',
    totalCents: 60_000,
    currency: 'EUR',
    source: 'synthetic',
  });
  await em.flush();
});
afterAll(() => subgraph.close());

/** Every budget as stored, to show that a rejected write changed nothing. */
async function storedBudgets() {
  const rows = await subgraph.orm.em.fork().find(PartnerBudget, {}, { orderBy: { _id: 'asc' } });
  return rows.map(({ _id, projectId, organisationId, totalCents, source }) => ({
    _id,
    projectId,
    organisationId,
    totalCents,
    source,
  }));
}

test('lists projects with exact money, dates and ordered work packages', async () => {
  const result = await subgraph.query(
    `{ projects { id acronym reference startDate endDate totalBudget { amount currency } workPackages { id code project { id } } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.projects).toEqual([
    {
      id: 'clusterpolisee',
      acronym: 'ClusterPoliSEE',
      reference: 'SEE/C/0008/1.3/X',
      startDate: '2012-05-01',
      endDate: '2014-10-30',
      totalBudget: { amount: '5186352.00', currency: 'EUR' },
      workPackages: [
        { id: 'clusterpolisee-wp0', code: 'WP0', project: { id: 'clusterpolisee' } },
        { id: 'clusterpolisee-wp1', code: 'WP1', project: { id: 'clusterpolisee' } },
        { id: 'clusterpolisee-wp3', code: 'WP3', project: { id: 'clusterpolisee' } },
      ],
    },
    {
      id: 'small',
      acronym: 'SMALL',
      reference: 'X/0001',
      startDate: '2020-01-01',
      endDate: '2020-12-31',
      totalBudget: { amount: '1000.00', currency: 'EUR' },
      workPackages: [],
    },
  ]);
});

test('gets a project, a work package and a project of many work packages in one query each', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `{ project(id: "clusterpolisee") { title } missing: project(id: "nope") { title } workPackage(id: "clusterpolisee-wp3") { code title project { acronym } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    project: { title: 'Smarter Cluster Policies for South East Europe' },
    missing: null,
    workPackage: { code: 'WP3', title: 'Web platform', project: { acronym: 'ClusterPoliSEE' } },
  });
  // The two project lookups and the work package's project share one batched query.
  expect(subgraph.commands.names().sort()).toEqual(['find projects', 'find workPackages']);
});

test('lists the partner budgets of a project, largest first', async () => {
  const result = await subgraph.query(
    `{ partnerBudgets(projectId: "clusterpolisee") { id organisation { id } project { id } total { amount currency } source } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.partnerBudgets).toEqual([
    {
      id: 'clusterpolisee-it-marche-region',
      organisation: { id: 'it-marche-region' },
      project: { id: 'clusterpolisee' },
      total: { amount: '582000.00', currency: 'EUR' },
      source: 'project description',
    },
    {
      id: 'clusterpolisee-hr-istrian-development-agency',
      organisation: { id: 'hr-istrian-development-agency' },
      project: { id: 'clusterpolisee' },
      total: { amount: '203500.00', currency: 'EUR' },
      source: 'project description',
    },
  ]);
});

test('resolves project and work package references for the gateway, one query per type', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Project { id acronym } ... on WorkPackage { id code } } }`,
    {
      representations: [
        { __typename: 'Project', id: 'clusterpolisee' },
        { __typename: 'WorkPackage', id: 'clusterpolisee-wp1' },
        { __typename: 'Project', id: 'small' },
        { __typename: 'WorkPackage', id: 'clusterpolisee-wp9' },
      ],
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    { id: 'clusterpolisee', acronym: 'ClusterPoliSEE' },
    { id: 'clusterpolisee-wp1', code: 'WP1' },
    { id: 'small', acronym: 'SMALL' },
    null,
  ]);
  expect(subgraph.commands.names().sort()).toEqual(['find projects', 'find workPackages']);
});

test('adds budgets to organisations of the partners subgraph in one database command', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Organisation { id budgets { id total { amount currency } } } } }`,
    {
      representations: [
        { __typename: 'Organisation', id: 'it-marche-region' },
        { __typename: 'Organisation', id: 'hr-istrian-development-agency' },
        { __typename: 'Organisation', id: 'at-unknown' },
      ],
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    {
      id: 'it-marche-region',
      budgets: [
        { id: 'clusterpolisee-it-marche-region', total: { amount: '582000.00', currency: 'EUR' } },
        { id: 'small-it-marche-region', total: { amount: '600.00', currency: 'EUR' } },
      ],
    },
    {
      id: 'hr-istrian-development-agency',
      budgets: [
        {
          id: 'clusterpolisee-hr-istrian-development-agency',
          total: { amount: '203500.00', currency: 'EUR' },
        },
      ],
    },
    { id: 'at-unknown', budgets: [] },
  ]);
  expect(subgraph.commands.names()).toEqual(['find partnerBudgets']);
});

describe('setPartnerBudget', () => {
  const setBudget = (input: string) =>
    subgraph.query<{ setPartnerBudget: { id: string; total: { amount: string } } }>(
      `mutation { setPartnerBudget(input: ${input}) { id organisation { id } project { id } total { amount currency } source } }`,
    );

  test('creates a budget, then replaces it when set again', async () => {
    const created = await setBudget(
      `{ projectId: "clusterpolisee", organisationId: "at-aws", amount: "150000.5", source: "synthetic" }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.setPartnerBudget).toEqual({
      id: 'clusterpolisee-at-aws',
      organisation: { id: 'at-aws' },
      project: { id: 'clusterpolisee' },
      total: { amount: '150000.50', currency: 'EUR' },
      source: 'synthetic',
    });
    const count = (await storedBudgets()).length;

    const replaced = await setBudget(
      `{ projectId: "clusterpolisee", organisationId: "at-aws", amount: "120000", source: " synthetic, revised " }`,
    );
    expect(replaced.errors).toBeUndefined();
    expect(replaced.data?.setPartnerBudget.total.amount).toBe('120000.00');
    const stored = await subgraph.orm.em
      .fork()
      .findOneOrFail(PartnerBudget, { _id: 'clusterpolisee-at-aws' });
    expect(stored).toMatchObject({
      projectId: 'clusterpolisee',
      organisationId: 'at-aws',
      totalCents: 12_000_000,
      currency: 'EUR',
      source: 'synthetic, revised',
    });
    expect((await storedBudgets()).length).toBe(count);
  });

  test('lets an organisation use the whole headroom, counting its own old budget out', async () => {
    // SMALL: 1000.00 in total, 600.00 to Marche; raising Marche to the full 1000.00 fits.
    const raised = await setBudget(
      `{ projectId: "small", organisationId: "it-marche-region", amount: "1000.00", source: "synthetic" }`,
    );
    expect(raised.errors).toBeUndefined();
    const lowered = await setBudget(
      `{ projectId: "small", organisationId: "it-marche-region", amount: "600", source: "synthetic" }`,
    );
    expect(lowered.errors).toBeUndefined();
    const full = await setBudget(
      `{ projectId: "small", organisationId: "at-aws", amount: "400.00", source: "synthetic" }`,
    );
    expect(full.errors).toBeUndefined();
    const zero = await setBudget(
      `{ projectId: "small", organisationId: "at-aws", amount: "0", source: "synthetic" }`,
    );
    expect(zero.data?.setPartnerBudget.total.amount).toBe('0.00');
  });

  test.each([
    [
      'an unknown project',
      '{ projectId: "nope", organisationId: "at-aws", amount: "1", source: "s" }',
      'input.projectId',
    ],
    [
      'an empty project id',
      '{ projectId: " ", organisationId: "at-aws", amount: "1", source: "s" }',
      'input.projectId',
    ],
    [
      'an empty organisation id',
      '{ projectId: "small", organisationId: "", amount: "1", source: "s" }',
      'input.organisationId',
    ],
    [
      'an exponent',
      '{ projectId: "small", organisationId: "at-aws", amount: "1e3", source: "s" }',
      'input.amount',
    ],
    [
      'a negative amount',
      '{ projectId: "small", organisationId: "at-aws", amount: "-1", source: "s" }',
      'input.amount',
    ],
    [
      'three decimals',
      '{ projectId: "small", organisationId: "at-aws", amount: "1.234", source: "s" }',
      'input.amount',
    ],
    [
      'an empty amount',
      '{ projectId: "small", organisationId: "at-aws", amount: "", source: "s" }',
      'input.amount',
    ],
    [
      'a padded amount',
      '{ projectId: "small", organisationId: "at-aws", amount: " 12", source: "s" }',
      'input.amount',
    ],
    [
      'an empty source',
      '{ projectId: "small", organisationId: "at-aws", amount: "1", source: "  " }',
      'input.source',
    ],
  ])('rejects %s with BAD_USER_INPUT naming the field and writes nothing', async (_case, input, field) => {
    const before = await storedBudgets();
    const result = await setBudget(input);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(await storedBudgets()).toEqual(before);
  });

  test('refuses budgets above the project total, naming the headroom, and writes nothing', async () => {
    const before = await storedBudgets();
    const others = before.filter(
      (b) => b.projectId === 'clusterpolisee' && b.organisationId !== 'it-marche-region',
    );
    const headroom = 518_635_200 - others.reduce((sum, b) => sum + b.totalCents, 0);
    const headroomAmount = `${Math.floor(headroom / 100)}.${String(headroom % 100).padStart(2, '0')}`;

    const result = await setBudget(
      `{ projectId: "clusterpolisee", organisationId: "it-marche-region", amount: "5186352.00", source: "s" }`,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    expect(result.errors?.[0]?.message).toContain(`at most ${headroomAmount} EUR remains`);
    expect(await storedBudgets()).toEqual(before);

    // One cent more than the headroom is refused, the headroom itself accepted.
    const overByACent = await setBudget(
      `{ projectId: "clusterpolisee", organisationId: "it-marche-region", amount: "${Math.floor((headroom + 1) / 100)}.${String((headroom + 1) % 100).padStart(2, '0')}", source: "s" }`,
    );
    expect(overByACent.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await storedBudgets()).toEqual(before);
  });

  test('refuses with CONFLICT an organisation id that would take over another budget document', async () => {
    const before = await storedBudgets();
    // slugId folds case, so this id would land on Marche Region's budget document.
    const result = await setBudget(
      `{ projectId: "clusterpolisee", organisationId: "IT-Marche-Region", amount: "1", source: "s" }`,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      id: 'clusterpolisee-it-marche-region',
    });
    expect(await storedBudgets()).toEqual(before);
  });
});
