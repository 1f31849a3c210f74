import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { seedProjects } from '@clusterpolisee/infra/seed/projects';
import { projects } from '.';
import { PartnerBudget, Project, ReportingPeriod, WorkPackage } from './entities';

let subgraph: TestSubgraph;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

beforeAll(async () => {
  subgraph = await startTestSubgraph(projects);
  await seedProjects(subgraph.orm.em.fork(), { scale: 1 });
  // A small synthetic project, so that ceilings are reached with readable numbers.
  const em = subgraph.orm.em.fork();
  em.create(Project, {
    _id: 'small',
    acronym: 'SMALL',
    title: 'A small synthetic project',
    reference: 'X/0001',
    programmeId: 'see-2007-2013',
    priorityAxis: 2,
    strategic: false,
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    status: 'RUNNING',
    totalCents: 100_000,
    currency: 'EUR',
    source: 'synthetic',
    searchKeys: ['small', 'a small synthetic project'],
  });
  for (const code of ['WP1', 'WP2']) {
    em.create(WorkPackage, {
      _id: `small-${code.toLowerCase()}`,
      code,
      title: `Small ${code}`,
      projectId: 'small',
      activities: [],
      deliverables: [],
      milestones: [],
      source: 'synthetic',
    });
  }
  for (const number of [1, 2]) {
    em.create(ReportingPeriod, {
      _id: `small-p${number}`,
      projectId: 'small',
      number,
      startDate: day(number === 1 ? '2020-01-01' : '2020-07-01'),
      endDate: day(number === 1 ? '2020-06-30' : '2020-12-31'),
      source: 'synthetic',
    });
  }
  em.create(PartnerBudget, {
    _id: 'small-it-marche-region',
    projectId: 'small',
    organisationId: 'it-marche-region',
    countryCode: 'IT',
    totalCents: 60_000,
    erdfCents: 51_000,
    ipaCents: 0,
    nationalCents: 9_000,
    currency: 'EUR',
    lines: [{ workPackageId: 'small-wp1', cents: 40_000 }],
    source: 'synthetic',
    breakdownSource: 'synthetic',
  });
  await em.flush();
}, 60_000);
afterAll(() => subgraph.close());

type Result = Awaited<ReturnType<TestSubgraph['query']>>;

/** Sends a mutation that must fail with `code` (naming `field`) and leave the database as it was. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<Result> {
  const before = await subgraph.storedDocuments();
  const result = await subgraph.query(query, variables);
  expect(result.errors?.[0]?.extensions).toMatchObject(field ? { code, field } : { code });
  if (code === 'BAD_USER_INPUT') expect(result.errors?.[0]?.message.startsWith(`${field}: `)).toBe(true);
  expect(await subgraph.storedDocuments()).toEqual(before);
  return result;
}

async function ok<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const result = await subgraph.query<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

const raw = (collection: string, id: string) =>
  subgraph.orm.em
    .getConnection()
    .getDb()
    .collection(collection)
    .findOne({ _id: id as never });

describe('reading', () => {
  test('the programme with its priority axes and projects', async () => {
    const data =
      await ok(`{ programmes { id name acronym cci priorityAxes { number title } projects { id } source }
      programme(id: "see-2007-2013") { acronym } }`);
    expect(data).toEqual({
      programmes: [
        {
          id: 'see-2007-2013',
          name: 'South East Europe Transnational Cooperation Programme 2007-2013',
          acronym: 'SEE',
          cci: '2007CB163PO069',
          priorityAxes: [
            { number: 1, title: 'Innovation and entrepreneurship' },
            { number: 2, title: 'Environment' },
            { number: 3, title: 'Accessibility' },
            { number: 4, title: 'Sustainable growth areas' },
          ],
          projects: [{ id: 'clusterpolisee' }, { id: 'small' }],
          source: 'project description',
        },
      ],
      programme: { acronym: 'SEE' },
    });
  });

  test('lists projects with exact money, dates, ordered work packages and periods', async () => {
    const data = await ok<{ projects: { nodes: Record<string, unknown>[]; totalCount: number } }>(
      `{ projects { totalCount nodes { id acronym reference programme { id } priorityAxis call strategic status
        startDate endDate totalBudget { amount currency } version archived source
        workPackages { id code title lead { id } project { id } }
        reportingPeriods { number startDate endDate source } } } }`,
    );
    expect(data.projects.totalCount).toBe(2);
    const [clusterpolisee, small] = data.projects.nodes;
    expect(clusterpolisee).toMatchObject({
      id: 'clusterpolisee',
      acronym: 'ClusterPoliSEE',
      reference: 'SEE/C/0008/1.3/X',
      programme: { id: 'see-2007-2013' },
      priorityAxis: 1,
      call: '3rd call',
      strategic: true,
      status: 'CLOSED',
      startDate: '2012-05-01',
      endDate: '2014-10-30',
      totalBudget: { amount: '5186352.00', currency: 'EUR' },
      version: 1,
      archived: false,
      source: 'project description',
    });
    expect((clusterpolisee!.workPackages as { code: string }[]).map((wp) => wp.code)).toEqual([
      'WP0',
      'WP1',
      'WP2',
      'WP3',
      'WP4',
      'WP5',
      'WP6',
    ]);
    expect((clusterpolisee!.workPackages as unknown[])[3]).toEqual({
      id: 'clusterpolisee-wp3',
      code: 'WP3',
      title: 'Web platform: the Cluster Policy Learning Platform',
      lead: null,
      project: { id: 'clusterpolisee' },
    });
    expect(clusterpolisee!.reportingPeriods).toEqual([
      { number: 1, startDate: '2012-05-01', endDate: '2012-10-31', source: 'synthetic' },
      { number: 2, startDate: '2012-11-01', endDate: '2013-04-30', source: 'synthetic' },
      { number: 3, startDate: '2013-05-01', endDate: '2013-10-31', source: 'synthetic' },
      { number: 4, startDate: '2013-11-01', endDate: '2014-04-30', source: 'synthetic' },
      { number: 5, startDate: '2014-05-01', endDate: '2014-10-30', source: 'synthetic' },
    ]);
    expect(small).toMatchObject({ id: 'small', totalBudget: { amount: '1000.00', currency: 'EUR' } });
  });

  test('pages, filters and searches projects', async () => {
    const first = await ok<{
      projects: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(
      `{ projects(first: 1, orderBy: { field: START_DATE, direction: DESC }) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(first.projects.nodes).toEqual([{ id: 'small' }]);
    expect(first.projects.pageInfo.hasNextPage).toBe(true);
    const second = await ok<{ projects: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } } }>(
      `query($after: String) { projects(first: 1, after: $after, orderBy: { field: START_DATE, direction: DESC }) { nodes { id } pageInfo { hasNextPage } } }`,
      { after: first.projects.pageInfo.endCursor },
    );
    expect(second.projects).toEqual({ nodes: [{ id: 'clusterpolisee' }], pageInfo: { hasNextPage: false } });

    const filtered = await ok(`{
      closed: projects(filter: { status: CLOSED }) { nodes { id } }
      smarter: projects(filter: { search: "Smarter clust" }) { nodes { id } }
      byReference: projects(filter: { search: "see c 0008" }) { nodes { id } }
      none: projects(filter: { search: "zzz (.*" }) { nodes { id } totalCount } }`);
    expect(filtered).toEqual({
      closed: { nodes: [{ id: 'clusterpolisee' }] },
      smarter: { nodes: [{ id: 'clusterpolisee' }] },
      byReference: { nodes: [{ id: 'clusterpolisee' }] },
      none: { nodes: [], totalCount: 0 },
    });
    const bad = await subgraph.query(`{ projects(first: 0) { totalCount } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  test('gets a project, a work package and a project of many work packages in one query each', async () => {
    subgraph.commands.reset();
    const data = await ok(
      `{ project(id: "clusterpolisee") { title } missing: project(id: "nope") { title } workPackage(id: "clusterpolisee-wp3") { code project { acronym } } }`,
    );
    expect(data).toEqual({
      project: { title: 'Smarter Cluster Policies for South East Europe' },
      missing: null,
      workPackage: { code: 'WP3', project: { acronym: 'ClusterPoliSEE' } },
    });
    // The two project lookups and the work package's project share one batched query.
    expect(subgraph.commands.names().sort()).toEqual(['find projects', 'find workPackages']);
  });

  test('gets partner budgets and reporting periods by key, one query per type however many are asked', async () => {
    subgraph.commands.reset();
    const data = await ok(`{
      ida: partnerBudget(id: "clusterpolisee-hr-istrian-development-agency") { id organisation { id } countryCode total { amount currency } }
      marche: partnerBudget(id: "clusterpolisee-it-marche-region") { total { amount } }
      noBudget: partnerBudget(id: "nope") { id }
      p2: reportingPeriod(id: "clusterpolisee-p2") { id number startDate endDate source }
      p5: reportingPeriod(id: "clusterpolisee-p5") { number endDate }
      noPeriod: reportingPeriod(id: "clusterpolisee-p9") { id } }`);
    expect(data).toEqual({
      ida: {
        id: 'clusterpolisee-hr-istrian-development-agency',
        organisation: { id: 'hr-istrian-development-agency' },
        countryCode: 'HR',
        total: { amount: '203500.00', currency: 'EUR' },
      },
      marche: { total: { amount: '582000.00' } },
      noBudget: null,
      p2: {
        id: 'clusterpolisee-p2',
        number: 2,
        startDate: '2012-11-01',
        endDate: '2013-04-30',
        source: 'synthetic',
      },
      p5: { number: 5, endDate: '2014-10-30' },
      noPeriod: null,
    });
    // Three budgets and three periods asked for: one batched $in query each (the loaders).
    expect(subgraph.commands.names().sort()).toEqual(['find partnerBudgets', 'find reportingPeriods']);
  });

  test('resolves every entity reference for the gateway, one query per type', async () => {
    subgraph.commands.reset();
    const result = await subgraph.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Project { id acronym } ... on WorkPackage { id code } ... on Programme { acronym }
        ... on ReportingPeriod { number } ... on ExpenditureClaim { id status } } }`,
      {
        representations: [
          { __typename: 'Project', id: 'clusterpolisee' },
          { __typename: 'WorkPackage', id: 'clusterpolisee-wp1' },
          { __typename: 'Project', id: 'small' },
          { __typename: 'WorkPackage', id: 'clusterpolisee-wp9' },
          { __typename: 'Programme', id: 'see-2007-2013' },
          { __typename: 'ReportingPeriod', id: 'clusterpolisee-p2' },
          { __typename: 'ExpenditureClaim', id: 'clusterpolisee-it-marche-region-p1-c1' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: 'clusterpolisee', acronym: 'ClusterPoliSEE' },
      { id: 'clusterpolisee-wp1', code: 'WP1' },
      { id: 'small', acronym: 'SMALL' },
      null,
      { acronym: 'SEE' },
      { number: 2 },
      { id: 'clusterpolisee-it-marche-region-p1-c1', status: 'PAID' },
    ]);
    expect(subgraph.commands.names().sort()).toEqual([
      'find expenditureClaims',
      'find programmes',
      'find projects',
      'find reportingPeriods',
      'find workPackages',
    ]);
  });

  test('adds budgets and claims to organisations of the partners subgraph, one command each', async () => {
    subgraph.commands.reset();
    const result = await subgraph.query<{
      _entities: {
        id: string;
        budgets: { id: string; total: { amount: string } }[];
        claims: { status: string }[];
      }[];
    }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Organisation { id budgets { id total { amount } } claims { status } } } }`,
      {
        representations: [
          { __typename: 'Organisation', id: 'it-marche-region' },
          { __typename: 'Organisation', id: 'hr-istrian-development-agency' },
          { __typename: 'Organisation', id: 'at-unknown' },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    const [marche, ida, unknown] = result.data!._entities;
    expect(marche!.budgets).toEqual([
      { id: 'clusterpolisee-it-marche-region', total: { amount: '582000.00' } },
      { id: 'small-it-marche-region', total: { amount: '600.00' } },
    ]);
    expect(ida!.budgets).toEqual([
      { id: 'clusterpolisee-hr-istrian-development-agency', total: { amount: '203500.00' } },
    ]);
    expect(ida!.claims!.length).toBeGreaterThanOrEqual(5);
    expect(unknown).toEqual({ id: 'at-unknown', budgets: [], claims: [] });
    expect(subgraph.commands.names().sort()).toEqual(['find expenditureClaims', 'find partnerBudgets']);
  });

  test('lists partner budgets largest first, with the split, rate and lines; filters and pages', async () => {
    const data = await ok<{
      all: { totalCount: number; nodes: { id: string; total: { amount: string } }[] };
      hr: { nodes: unknown[] };
      marche: { nodes: { id: string }[] };
    }>(`{
      all: partnerBudgets(projectId: "clusterpolisee", first: 100) { totalCount nodes { id total { amount } } }
      hr: partnerBudgets(projectId: "clusterpolisee", filter: { country: "HR" }) { nodes {
        id organisation { id } project { id } countryCode total { amount currency } erdf { amount } ipa { amount }
        nationalContribution { amount } coFinancingRate source breakdownSource version archived
        lines { workPackage { code } amount { amount } } } }
      marche: partnerBudgets(projectId: "clusterpolisee", filter: { organisationId: "it-marche-region" }) { nodes { id } } }`);
    expect(data.all.totalCount).toBe(25);
    expect(data.all.nodes[0]).toEqual({
      id: 'clusterpolisee-it-marche-region',
      total: { amount: '582000.00' },
    });
    const amounts = data.all.nodes.map((n) => Number(n.total.amount.replace('.', '')));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(amounts.reduce((a, b) => a + b, 0)).toBe(518_635_200);
    expect(data.marche.nodes).toEqual([{ id: 'clusterpolisee-it-marche-region' }]);
    const [ida] = data.hr.nodes as Record<string, unknown>[];
    expect(ida).toMatchObject({
      id: 'clusterpolisee-hr-istrian-development-agency',
      organisation: { id: 'hr-istrian-development-agency' },
      countryCode: 'HR',
      total: { amount: '203500.00', currency: 'EUR' },
      // Croatia was funded from IPA at the time: the fund follows the country, at 85 %.
      erdf: { amount: '0.00' },
      ipa: { amount: '172975.00' },
      nationalContribution: { amount: '30525.00' },
      coFinancingRate: '0.8500',
      source: 'project description',
      breakdownSource: 'synthetic',
      version: 1,
      archived: false,
    });
    const lines = ida!.lines as { amount: { amount: string } }[];
    expect(lines).toHaveLength(7);
    expect(lines.reduce((sum, l) => sum + Number(l.amount.amount.replace('.', '')), 0)).toBe(20_350_000);

    // Walk the whole list in pages of 7, by organisation.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        partnerBudgets: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      } = await ok(
        `query($after: String) { partnerBudgets(projectId: "clusterpolisee", first: 7, after: $after, orderBy: { field: ORGANISATION, direction: ASC }) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...page.partnerBudgets.nodes.map((n) => n.id));
      if (!page.partnerBudgets.pageInfo.hasNextPage) break;
      after = page.partnerBudgets.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);

    const bad = await subgraph.query(
      `{ partnerBudgets(projectId: "clusterpolisee", filter: { country: "XX" }) { totalCount } }`,
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.country' });
  });

  test('lists claims, filtered and sorted, and pages through them', async () => {
    const data = await ok<Record<string, { totalCount: number; nodes: Record<string, unknown>[] }>>(`{
      all: claims(projectId: "clusterpolisee", first: 100, orderBy: { field: AMOUNT, direction: DESC }) { totalCount nodes { amount { amount } } }
      paid: claims(projectId: "clusterpolisee", filter: { status: PAID }) { totalCount }
      hr: claims(projectId: "clusterpolisee", filter: { country: "HR", periodId: "clusterpolisee-p1" }, first: 100) { totalCount nodes {
        id organisation { id } project { id } period { number } workPackage { code } countryCode status submittedOn controller validatedOn source } }
      wp3: claims(projectId: "clusterpolisee", filter: { workPackageId: "clusterpolisee-wp3", organisationId: "it-marche-region" }) { nodes { workPackage { code } organisation { id } } } }`);
    const stored = await subgraph.orm.em
      .getConnection()
      .getDb()
      .collection('expenditureClaims')
      .find({ projectId: 'clusterpolisee' })
      .toArray();
    expect(data.all!.totalCount).toBe(stored.length);
    expect(data.paid!.totalCount).toBe(stored.filter((c) => c.status === 'PAID').length);
    const amounts = data.all!.nodes.map((n) =>
      Number((n.amount as { amount: string }).amount.replace('.', '')),
    );
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(data.hr!.totalCount).toBe(
      stored.filter((c) => c.countryCode === 'HR' && c.periodId === 'clusterpolisee-p1').length,
    );
    for (const claim of data.hr!.nodes) {
      expect(claim).toMatchObject({
        organisation: { id: 'hr-istrian-development-agency' },
        project: { id: 'clusterpolisee' },
        period: { number: 1 },
        countryCode: 'HR',
        status: 'PAID',
        controller: expect.any(String),
        source: 'synthetic',
      });
      expect(String(claim.validatedOn) >= String(claim.submittedOn)).toBe(true);
    }
    for (const claim of data.wp3!.nodes)
      expect(claim).toEqual({ workPackage: { code: 'WP3' }, organisation: { id: 'it-marche-region' } });

    const seen = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const page: {
        claims: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      } = await ok(
        `query($after: String) { claims(projectId: "clusterpolisee", first: 50, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      page.claims.nodes.forEach((n) => seen.add(n.id));
      if (!page.claims.pageInfo.hasNextPage) break;
      after = page.claims.pageInfo.endCursor;
    }
    expect(seen.size).toBe(stored.length);
  });

  test('absorption of an unknown project is NOT_FOUND', async () => {
    const result = await subgraph.query(`{ absorption(projectId: "nope", by: PARTNER) { key } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('projects', () => {
  const create = `mutation($input: CreateProjectInput!) { createProject(input: $input) { id acronym version status totalBudget { amount } startDate endDate programme { id } } }`;
  const update = `mutation($id: ID!, $version: Int!, $input: UpdateProjectInput!) { updateProject(id: $id, version: $version, input: $input) { id title version reference totalBudget { amount } endDate } }`;
  const valid = {
    acronym: 'Cluster Next',
    title: 'Cluster policies, the next round',
    reference: 'SEE/X/0042',
    programmeId: 'see-2007-2013',
    priorityAxis: 1,
    startDate: '2015-01-01',
    endDate: '2016-12-31',
    totalBudget: '250000.50',
    source: 'synthetic',
  };

  test('creates a project, read back from the database', async () => {
    const data = await ok<{ createProject: unknown }>(create, { input: valid });
    expect(data.createProject).toEqual({
      id: 'cluster-next',
      acronym: 'Cluster Next',
      version: 1,
      status: 'PLANNED',
      totalBudget: { amount: '250000.50' },
      startDate: '2015-01-01',
      endDate: '2016-12-31',
      programme: { id: 'see-2007-2013' },
    });
    expect(await raw('projects', 'cluster-next')).toMatchObject({
      reference: 'SEE/X/0042',
      totalCents: 25_000_050,
      currency: 'EUR',
      startDate: day('2015-01-01'),
      archived: false,
      version: 1,
    });
    // With its six-month reporting periods, the last ending with the project.
    const source = 'derived from the project dates: six-month reporting periods';
    expect(
      await ok(`{ project(id: "cluster-next") { reportingPeriods { id number startDate endDate source } } }`),
    ).toEqual({
      project: {
        reportingPeriods: [
          { id: 'cluster-next-p1', number: 1, startDate: '2015-01-01', endDate: '2015-06-30', source },
          { id: 'cluster-next-p2', number: 2, startDate: '2015-07-01', endDate: '2015-12-31', source },
          { id: 'cluster-next-p3', number: 3, startDate: '2016-01-01', endDate: '2016-06-30', source },
          { id: 'cluster-next-p4', number: 4, startDate: '2016-07-01', endDate: '2016-12-31', source },
        ],
      },
    });
    expect(await raw('reportingPeriods', 'cluster-next-p4')).toMatchObject({
      projectId: 'cluster-next',
      number: 4,
      startDate: day('2016-07-01'),
      endDate: day('2016-12-31'),
      archived: false,
      version: 1,
    });
  });

  test.each([
    ['an end before the start', { endDate: '2014-12-31' }, 'input.endDate'],
    ['an end on the start', { endDate: '2015-01-01' }, 'input.endDate'],
    ['an end more than ten years after the start', { endDate: '2105-01-01' }, 'input.endDate'],
    ['an impossible date', { startDate: '2015-02-30' }, 'input.startDate'],
    ['a negative total', { totalBudget: '-1.00' }, 'input.totalBudget'],
    ['a float total', { totalBudget: '1e6' }, 'input.totalBudget'],
    ['an unknown programme', { programmeId: 'nope' }, 'input.programmeId'],
    ['an axis the programme lacks', { priorityAxis: 7 }, 'input.priorityAxis'],
    ['a bad currency', { currency: 'euro' }, 'input.currency'],
    ['a currency code that is not ISO 4217', { currency: 'XYZ' }, 'input.currency'],
    ['a withdrawn currency (the Croatian kuna)', { currency: 'HRK' }, 'input.currency'],
    ['a lower-case currency', { currency: 'eur' }, 'input.currency'],
    ['an empty title', { title: '  ' }, 'input.title'],
    ['an empty acronym', { acronym: ' ' }, 'input.acronym'],
    ['an empty reference', { reference: '' }, 'input.reference'],
    ['an empty source', { source: '  ' }, 'input.source'],
    ['an acronym whose id a project has', { acronym: 'CLUSTERPOLISEE' }, 'input.acronym'],
  ])('refuses %s', async (_case, change, field) => {
    await refused(
      create,
      { input: { ...valid, acronym: 'Other', reference: 'O/1', ...change } },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses a reference that exists as bad input, naming the project that has it', async () => {
    const result = await refused(
      create,
      { input: { ...valid, acronym: 'Another', reference: 'SEE/C/0008/1.3/X' } },
      'BAD_USER_INPUT',
      'input.reference',
    );
    expect(result.errors?.[0]?.message).toContain('"clusterpolisee"');
  });

  test('refuses an acronym whose id a project has already, naming that project', async () => {
    const result = await refused(
      create,
      { input: { ...valid, acronym: 'ClusterPoliSÉE', reference: 'O/2' } },
      'BAD_USER_INPUT',
      'input.acronym',
    );
    expect(result.errors?.[0]?.message).toContain('"clusterpolisee"');
    expect(result.errors?.[0]?.message).toContain('choose another acronym');
  });

  test('updates a project with its version; a stale version is a CONFLICT', async () => {
    const data = await ok<{ updateProject: unknown }>(update, {
      id: 'cluster-next',
      version: 1,
      input: { title: 'Cluster policies, round two', totalBudget: '300000' },
    });
    expect(data.updateProject).toMatchObject({
      title: 'Cluster policies, round two',
      version: 2,
      totalBudget: { amount: '300000.00' },
    });
    expect(await raw('projects', 'cluster-next')).toMatchObject({ totalCents: 30_000_000, version: 2 });
    // The search keys follow the new title.
    expect(await ok(`{ projects(filter: { search: "round two" }) { nodes { id } } }`)).toEqual({
      projects: { nodes: [{ id: 'cluster-next' }] },
    });
    const stale = await refused(
      update,
      { id: 'cluster-next', version: 1, input: { title: 'Lost' } },
      'CONFLICT',
    );
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
  });

  test.each([
    ['an end before the start', { endDate: '2012-04-01' }, 'input.endDate'],
    ['a total below the partner budgets', { totalBudget: '5186351.99' }, 'input.totalBudget'],
    ['a period leaving reporting periods out', { endDate: '2014-06-30' }, 'input.endDate'],
    ['a start leaving reporting periods out', { startDate: '2012-06-01' }, 'input.startDate'],
    ['an axis the programme lacks', { priorityAxis: 5 }, 'input.priorityAxis'],
    ['a negative total', { totalBudget: '-5' }, 'input.totalBudget'],
  ])('refuses an update with %s', async (_case, input, field) => {
    await refused(update, { id: 'clusterpolisee', version: 1, input }, 'BAD_USER_INPUT', field);
  });

  test('refuses an update to a reference another project has as bad input', async () => {
    await refused(
      update,
      { id: 'cluster-next', version: 2, input: { reference: 'X/0001' } },
      'BAD_USER_INPUT',
      'input.reference',
    );
  });

  test('archives: hidden from the list, still there by key', async () => {
    const archive = `mutation($id: ID!, $version: Int!) { archiveProject(id: $id, version: $version) { id archived version } }`;
    await refused(archive, { id: 'cluster-next', version: 1 }, 'CONFLICT');
    expect(await ok(archive, { id: 'cluster-next', version: 2 })).toEqual({
      archiveProject: { id: 'cluster-next', archived: true, version: 3 },
    });
    const data = await ok<{
      projects: { nodes: { id: string }[] };
      withArchived: { totalCount: number };
      project: unknown;
    }>(
      `{ projects { nodes { id } } withArchived: projects(filter: { includeArchived: true }) { totalCount } project(id: "cluster-next") { archived } }`,
    );
    expect(data.projects.nodes.map((n) => n.id)).not.toContain('cluster-next');
    expect(data.withArchived.totalCount).toBe(3);
    expect(data.project).toEqual({ archived: true });
    // Its id stays taken.
    const taken = await refused(
      create,
      { input: { ...valid, reference: 'SEE/X/0043' } },
      'BAD_USER_INPUT',
      'input.acronym',
    );
    expect(taken.errors?.[0]?.message).toContain('(archived)');
  });

  test('a project created through the API can receive claims in its periods, any month length', async () => {
    const created = await ok<{ createProject: { id: string; totalBudget: unknown } }>(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { id totalBudget { amount currency }
        reportingPeriods { id number startDate endDate } } }`,
      {
        input: {
          ...valid,
          acronym: 'Month End',
          reference: 'SEE/X/0099',
          startDate: '2015-03-31',
          endDate: '2016-06-30',
          totalBudget: '1000',
          currency: 'CHF',
        },
      },
    );
    // Six months from the 31st of March is the 30th of September: no period drifts.
    expect(created.createProject).toEqual({
      id: 'month-end',
      totalBudget: { amount: '1000.00', currency: 'CHF' },
      reportingPeriods: [
        { id: 'month-end-p1', number: 1, startDate: '2015-03-31', endDate: '2015-09-29' },
        { id: 'month-end-p2', number: 2, startDate: '2015-09-30', endDate: '2016-03-30' },
        { id: 'month-end-p3', number: 3, startDate: '2016-03-31', endDate: '2016-06-30' },
      ],
    });
    await ok(
      `mutation { createWorkPackage(input: { projectId: "month-end", code: "WP1", title: "Management", source: "synthetic" }) { id } }`,
    );
    await ok(
      `mutation { setPartnerBudget(input: { projectId: "month-end", organisationId: "si-maribor", countryCode: "SI",
        total: "500", erdf: "425", ipa: "0", nationalContribution: "75", source: "synthetic" }) { id } }`,
    );
    const claim = await ok<{ submitClaim: unknown }>(
      `mutation { submitClaim(input: { projectId: "month-end", organisationId: "si-maribor", periodId: "month-end-p2",
        workPackageId: "month-end-wp1", amount: "120.00", submittedOn: "2016-04-10", source: "synthetic" }) {
        period { number } amount { amount currency } status } }`,
    );
    expect(claim.submitClaim).toEqual({
      period: { number: 2 },
      amount: { amount: '120.00', currency: 'CHF' },
      status: 'SUBMITTED',
    });
  });
});

describe('work packages', () => {
  const create = `mutation($input: CreateWorkPackageInput!) { createWorkPackage(input: $input) { id code title version lead { id } activities deliverables { code title dueOn status source } milestones { code dueOn } } }`;
  const update = `mutation($id: ID!, $version: Int!, $input: UpdateWorkPackageInput!) { updateWorkPackage(id: $id, version: $version, input: $input) { id code version milestones { code dueOn status } } }`;
  const valid = {
    projectId: 'small',
    code: 'WP3',
    title: 'Pilot actions',
    leadOrganisationId: 'it-marche-region',
    activities: ['Run six pilots'],
    deliverables: [{ code: 'D3.1', title: 'Pilot report', dueOn: '2020-12-31', status: 'IN_PROGRESS' }],
    source: 'synthetic',
  };

  test('creates a work package with its deliverables, read back from the database', async () => {
    const data = await ok<{ createWorkPackage: unknown }>(create, { input: valid });
    expect(data.createWorkPackage).toEqual({
      id: 'small-wp3',
      code: 'WP3',
      title: 'Pilot actions',
      version: 1,
      lead: { id: 'it-marche-region' },
      activities: ['Run six pilots'],
      deliverables: [
        {
          code: 'D3.1',
          title: 'Pilot report',
          dueOn: '2020-12-31',
          status: 'IN_PROGRESS',
          source: 'synthetic',
        },
      ],
      milestones: [],
    });
    expect(await raw('workPackages', 'small-wp3')).toMatchObject({
      projectId: 'small',
      leadOrganisationId: 'it-marche-region',
    });
  });

  test.each([
    ['a code that is not WPn', { code: 'Work 1' }, 'input.code'],
    ['a code the project has', { code: 'WP1' }, 'input.code'],
    [
      'a deliverable due before the project',
      { deliverables: [{ code: 'D1', title: 'x', dueOn: '2019-12-31' }] },
      'input.deliverables.0.dueOn',
    ],
    [
      'a milestone due after the project',
      { milestones: [{ code: 'M1', title: 'x', dueOn: '2021-01-01' }] },
      'input.milestones.0.dueOn',
    ],
    [
      'a deliverable code twice',
      {
        deliverables: [
          { code: 'D1', title: 'x', dueOn: '2020-02-01' },
          { code: 'D1', title: 'y', dueOn: '2020-03-01' },
        ],
      },
      'input.deliverables.1.code',
    ],
    ['an unknown project', { projectId: 'nope' }, 'input.projectId'],
    ['an empty activity', { activities: [' '] }, 'input.activities.0'],
    ['an empty title', { title: ' ' }, 'input.title'],
    ['an empty source', { source: '' }, 'input.source'],
    [
      'a deliverable code with spaces and signs',
      { deliverables: [{ code: 'D 3/1!', title: 'x', dueOn: '2020-02-01' }] },
      'input.deliverables.0.code',
    ],
    [
      'an empty deliverable title',
      { deliverables: [{ code: 'D3.1', title: '  ', dueOn: '2020-02-01' }] },
      'input.deliverables.0.title',
    ],
  ])('refuses %s', async (_case, change, field) => {
    await refused(create, { input: { ...valid, code: 'WP4', ...change } }, 'BAD_USER_INPUT', field);
  });

  // ClusterPoliSEE's record holds the kit's period, which partners, knowledge and communications check.
  test('refuses a ClusterPoliSEE deliverable due after the project period, in the hub-wide wording', async () => {
    const result = await refused(
      create,
      {
        input: {
          ...valid,
          projectId: 'clusterpolisee',
          code: 'WP9',
          deliverables: [{ code: 'D9.1', title: 'Late report', dueOn: '2014-11-15' }],
        },
      },
      'BAD_USER_INPUT',
      'input.deliverables.0.dueOn',
    );
    expect(result.errors?.[0]?.message).toBe(
      'input.deliverables.0.dueOn: must be inside the project period 2012-05-01 to 2014-10-30 (got 2014-11-15)',
    );
  });

  test('updates with its version; refuses a taken code, a due date outside and a stale version', async () => {
    const data = await ok<{ updateWorkPackage: unknown }>(update, {
      id: 'small-wp3',
      version: 1,
      input: { milestones: [{ code: 'M3.1', title: 'Pilots started', dueOn: '2020-03-01', status: 'DONE' }] },
    });
    expect(data.updateWorkPackage).toEqual({
      id: 'small-wp3',
      code: 'WP3',
      version: 2,
      milestones: [{ code: 'M3.1', dueOn: '2020-03-01', status: 'DONE' }],
    });
    expect((await raw('workPackages', 'small-wp3'))?.milestones).toHaveLength(1);
    await refused(
      update,
      { id: 'small-wp3', version: 2, input: { code: 'WP2' } },
      'BAD_USER_INPUT',
      'input.code',
    );
    await refused(
      update,
      {
        id: 'small-wp3',
        version: 2,
        input: { milestones: [{ code: 'M', title: 'x', dueOn: '2021-06-01' }] },
      },
      'BAD_USER_INPUT',
      'input.milestones.0.dueOn',
    );
    await refused(update, { id: 'small-wp3', version: 1, input: { title: 'Lost' } }, 'CONFLICT');
  });

  test.each([
    ['a code that is not WPn', { code: 'WP-3' }, 'input.code'],
    ['a code with a letter for its number', { code: 'WPx' }, 'input.code'],
    ['an empty title', { title: '   ' }, 'input.title'],
  ])('refuses an update with %s', async (_case, input, field) => {
    await refused(update, { id: 'small-wp3', version: 2, input }, 'BAD_USER_INPUT', field);
  });

  test('archives: gone from the project, still there by key', async () => {
    const archive = `mutation($id: ID!, $version: Int!) { archiveWorkPackage(id: $id, version: $version) { archived version } }`;
    await refused(archive, { id: 'small-wp3', version: 1 }, 'CONFLICT');
    expect(await ok(archive, { id: 'small-wp3', version: 2 })).toEqual({
      archiveWorkPackage: { archived: true, version: 3 },
    });
    const data =
      await ok(`{ project(id: "small") { workPackages { code } } workPackages(projectId: "small", includeArchived: true) { code }
      workPackage(id: "small-wp3") { archived } }`);
    expect(data).toEqual({
      project: { workPackages: [{ code: 'WP1' }, { code: 'WP2' }] },
      workPackages: [{ code: 'WP1' }, { code: 'WP2' }, { code: 'WP3' }],
      workPackage: { archived: true },
    });
    // Its code stays taken: claims and budget lines may still name it.
    await refused(create, { input: { ...valid, deliverables: [] } }, 'BAD_USER_INPUT', 'input.code');
  });
});

describe('setPartnerBudget', () => {
  const set = `mutation($input: SetPartnerBudgetInput!, $version: Int) { setPartnerBudget(input: $input, version: $version) {
    id organisation { id } project { id } countryCode total { amount currency } erdf { amount } ipa { amount }
    nationalContribution { amount } coFinancingRate lines { workPackage { id } amount { amount } } source breakdownSource version archived } }`;
  const valid = {
    projectId: 'small',
    organisationId: 'at-austria-wirtschaftsservice',
    countryCode: 'AT',
    total: '300.00',
    erdf: '255',
    ipa: '0',
    nationalContribution: '45.00',
    lines: [
      { workPackageId: 'small-wp1', amount: '200' },
      { workPackageId: 'small-wp2', amount: '100.00' },
    ],
    source: 'synthetic',
  };

  test('creates a budget with its lines, then replaces it with its version', async () => {
    const created = await ok<{ setPartnerBudget: unknown }>(set, { input: valid });
    expect(created.setPartnerBudget).toEqual({
      id: 'small-at-austria-wirtschaftsservice',
      organisation: { id: 'at-austria-wirtschaftsservice' },
      project: { id: 'small' },
      countryCode: 'AT',
      total: { amount: '300.00', currency: 'EUR' },
      erdf: { amount: '255.00' },
      ipa: { amount: '0.00' },
      nationalContribution: { amount: '45.00' },
      coFinancingRate: '0.8500',
      lines: [
        { workPackage: { id: 'small-wp1' }, amount: { amount: '200.00' } },
        { workPackage: { id: 'small-wp2' }, amount: { amount: '100.00' } },
      ],
      source: 'synthetic',
      breakdownSource: 'synthetic',
      version: 1,
      archived: false,
    });
    const replaced = await ok<{ setPartnerBudget: { version: number; coFinancingRate: string } }>(set, {
      input: { ...valid, total: '400.00', erdf: '300.00', nationalContribution: '100.00', lines: [] },
      version: 1,
    });
    expect(replaced.setPartnerBudget).toMatchObject({ version: 2, coFinancingRate: '0.7500' });
    expect(await raw('partnerBudgets', 'small-at-austria-wirtschaftsservice')).toMatchObject({
      totalCents: 40_000,
      erdfCents: 30_000,
      nationalCents: 10_000,
      lines: [],
      version: 2,
    });
  });

  test('replacing needs the version, and a stale one is a CONFLICT', async () => {
    await refused(set, { input: valid }, 'BAD_USER_INPUT', 'version');
    const stale = await refused(set, { input: valid, version: 1 }, 'CONFLICT');
    expect(stale.errors?.[0]?.extensions?.currentVersion).toBe(2);
    await refused(set, { input: { ...valid, organisationId: 'at-new' }, version: 1 }, 'NOT_FOUND');
  });

  test.each([
    ['an unknown project', { projectId: 'nope' }, 'input.projectId'],
    ['an empty organisation id', { organisationId: ' ' }, 'input.organisationId'],
    ['a country code that is not ISO', { countryCode: 'XX' }, 'input.countryCode'],
    ['Greece as EL', { countryCode: 'EL' }, 'input.countryCode'],
    ['a lower-case country', { countryCode: 'at' }, 'input.countryCode'],
    ['an exponent', { total: '1e3' }, 'input.total'],
    ['a negative total', { total: '-1' }, 'input.total'],
    ['three decimals', { total: '1.234' }, 'input.total'],
    ['an empty total', { total: '' }, 'input.total'],
    ['a padded total', { total: ' 300' }, 'input.total'],
    ['a negative ERDF share', { erdf: '-255' }, 'input.erdf'],
    [
      'a split that misses the total by a cent',
      { nationalContribution: '44.99' },
      'input.nationalContribution',
    ],
    [
      'lines above the total',
      {
        lines: [
          { workPackageId: 'small-wp1', amount: '200' },
          { workPackageId: 'small-wp2', amount: '100.01' },
        ],
      },
      'input.lines',
    ],
    [
      'a line for another project',
      { lines: [{ workPackageId: 'clusterpolisee-wp1', amount: '1' }] },
      'input.lines.0.workPackageId',
    ],
    [
      'two lines for one work package',
      {
        lines: [
          { workPackageId: 'small-wp1', amount: '1' },
          { workPackageId: 'small-wp1', amount: '1' },
        ],
      },
      'input.lines.1.workPackageId',
    ],
    [
      'a line amount with a sign',
      { lines: [{ workPackageId: 'small-wp1', amount: '+1' }] },
      'input.lines.0.amount',
    ],
    ['an empty source', { source: ' ' }, 'input.source'],
  ])('refuses %s', async (_case, change, field) => {
    await refused(
      set,
      { input: { ...valid, organisationId: 'si-new-partner', ...change } },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses budgets above the project total, naming the headroom', async () => {
    // SMALL: 1000.00 in total; 600.00 to Marche and 400.00 to aws leave nothing.
    const result = await refused(
      set,
      {
        input: {
          ...valid,
          organisationId: 'si-new',
          countryCode: 'SI',
          total: '0.01',
          erdf: '0.01',
          nationalContribution: '0',
          lines: [],
        },
      },
      'BAD_USER_INPUT',
      'input.total',
    );
    expect(result.errors?.[0]?.message).toContain('at most 0.00 EUR remains');
    // Its own old budget does not count against an organisation: Marche may take 600.00 again.
    const marche = await ok<{ setPartnerBudget: { version: number } }>(set, {
      input: {
        ...valid,
        organisationId: 'it-marche-region',
        countryCode: 'IT',
        total: '600',
        erdf: '510',
        nationalContribution: '90',
        lines: [],
      },
      version: 1,
    });
    expect(marche.setPartnerBudget.version).toBe(2);
  });

  test('refuses with CONFLICT an organisation id that would take over another budget document', async () => {
    const result = await refused(
      set,
      { input: { ...valid, organisationId: 'IT-Marche-Region', countryCode: 'IT', lines: [] }, version: 2 },
      'CONFLICT',
    );
    expect(result.errors?.[0]?.extensions?.id).toBe('small-it-marche-region');
  });

  test('archives: gone from the list and the sums, still there by key, restored by replacing', async () => {
    const archive = `mutation($id: ID!, $version: Int!) { archivePartnerBudget(id: $id, version: $version) { archived version } }`;
    await refused(archive, { id: 'small-at-austria-wirtschaftsservice', version: 1 }, 'CONFLICT');
    expect(await ok(archive, { id: 'small-at-austria-wirtschaftsservice', version: 2 })).toEqual({
      archivePartnerBudget: { archived: true, version: 3 },
    });
    const data = await ok(`{ live: partnerBudgets(projectId: "small") { nodes { id } }
      all: partnerBudgets(projectId: "small", filter: { includeArchived: true }) { totalCount }
      byKey: partnerBudget(id: "small-at-austria-wirtschaftsservice") { archived version } }`);
    expect(data).toEqual({
      live: { nodes: [{ id: 'small-it-marche-region' }] },
      all: { totalCount: 2 },
      byKey: { archived: true, version: 3 },
    });
    const restored = await ok<{ setPartnerBudget: { archived: boolean; version: number } }>(set, {
      input: { ...valid, total: '100', erdf: '85', nationalContribution: '15', lines: [] },
      version: 3,
    });
    expect(restored.setPartnerBudget).toMatchObject({ archived: false, version: 4 });
  });
});

describe('claims', () => {
  const fields = `id status version amount { amount } countryCode submittedOn controller validatedOn overrideReason period { id } workPackage { id }`;
  const submit = `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { ${fields} } }`;
  const update = `mutation($id: ID!, $version: Int!, $input: UpdateClaimInput!) { updateClaim(id: $id, version: $version, input: $input) { ${fields} } }`;
  const validate = `mutation($id: ID!, $version: Int!, $controller: String!, $validatedOn: String!) { validateClaim(id: $id, version: $version, controller: $controller, validatedOn: $validatedOn) { ${fields} } }`;
  const pay = `mutation($id: ID!, $version: Int!) { markClaimPaid(id: $id, version: $version) { ${fields} } }`;
  const archive = `mutation($id: ID!, $version: Int!) { archiveClaim(id: $id, version: $version) { ${fields} archived } }`;
  // Marche has 600.00 in SMALL.
  const valid = {
    projectId: 'small',
    organisationId: 'it-marche-region',
    periodId: 'small-p1',
    workPackageId: 'small-wp1',
    amount: '250.00',
    submittedOn: '2020-07-15',
    source: 'synthetic',
  };
  let claimId = '';

  test('submits a claim, read back from the database', async () => {
    const data = await ok<{ submitClaim: { id: string } }>(submit, { input: valid });
    expect(data.submitClaim).toMatchObject({
      status: 'SUBMITTED',
      version: 1,
      amount: { amount: '250.00' },
      countryCode: 'IT',
      submittedOn: '2020-07-15',
      controller: null,
      validatedOn: null,
      overrideReason: null,
      period: { id: 'small-p1' },
      workPackage: { id: 'small-wp1' },
    });
    claimId = data.submitClaim.id;
    expect(await raw('expenditureClaims', claimId)).toMatchObject({
      amountCents: 25_000,
      status: 'SUBMITTED',
      projectId: 'small',
    });
  });

  test.each([
    ['a period of another project', { periodId: 'clusterpolisee-p1' }, 'input.periodId'],
    ['a work package of another project', { workPackageId: 'clusterpolisee-wp1' }, 'input.workPackageId'],
    ['an archived work package', { workPackageId: 'small-wp3' }, 'input.workPackageId'],
    ['an organisation without a budget', { organisationId: 'si-nobody' }, 'input.organisationId'],
    ['an unknown project', { projectId: 'nope' }, 'input.projectId'],
    ['a negative amount', { amount: '-1' }, 'input.amount'],
    ['a bad submission date', { submittedOn: '15/07/2020' }, 'input.submittedOn'],
    [
      'a submission before its period begins',
      { periodId: 'small-p2', submittedOn: '2020-06-30' },
      'input.submittedOn',
    ],
    ['a submission date in the future', { submittedOn: '2999-01-01' }, 'input.submittedOn'],
    ['an empty source', { source: '' }, 'input.source'],
  ])('refuses %s', async (_case, change, field) => {
    await refused(submit, { input: { ...valid, ...change } }, 'BAD_USER_INPUT', field);
  });

  test("a claim is submitted on or after its period's start, and the refusal says when that is", async () => {
    const early = await refused(
      submit,
      { input: { ...valid, periodId: 'small-p2', submittedOn: '2020-06-30' } },
      'BAD_USER_INPUT',
      'input.submittedOn',
    );
    expect(early.errors?.[0]?.message).toContain('reporting period 2 (2020-07-01 to 2020-12-31)');
    // On the first day is fine, and so is after the project's end: claims follow their period.
    for (const submittedOn of ['2020-07-01', '2021-02-15']) {
      const data = await ok<{ submitClaim: { id: string; submittedOn: string } }>(submit, {
        input: { ...valid, periodId: 'small-p2', amount: '1.00', submittedOn },
      });
      expect(data.submitClaim.submittedOn).toBe(submittedOn);
      await ok(archive, { id: data.submitClaim.id, version: 1 });
    }
  });

  test('refuses a claim above the remaining budget without a reason, naming what remains', async () => {
    const result = await refused(
      submit,
      { input: { ...valid, amount: '350.01' } },
      'BAD_USER_INPUT',
      'input.amount',
    );
    expect(result.errors?.[0]?.message).toContain('350.00 EUR of 600.00 remain');
    // Exactly what remains is fine, and with a reason more is too.
    const exact = await ok<{ submitClaim: { id: string; version: number } }>(submit, {
      input: { ...valid, amount: '350.00' },
    });
    const over = await ok<{ submitClaim: { overrideReason: string; id: string } }>(submit, {
      input: { ...valid, amount: '10.00', overrideReason: 'Approved by the Joint Technical Secretariat' },
    });
    expect(over.submitClaim.overrideReason).toBe('Approved by the Joint Technical Secretariat');
    for (const { id, version } of [exact.submitClaim, { id: over.submitClaim.id, version: 1 }])
      await ok(archive, { id, version });
  });

  test('updates a submitted claim with its version; above budget, stale or validated it is refused', async () => {
    const data = await ok<{ updateClaim: unknown }>(update, {
      id: claimId,
      version: 1,
      input: { amount: '300', workPackageId: 'small-wp2', periodId: 'small-p2' },
    });
    expect(data.updateClaim).toMatchObject({
      version: 2,
      amount: { amount: '300.00' },
      workPackage: { id: 'small-wp2' },
      period: { id: 'small-p2' },
    });
    expect(await raw('expenditureClaims', claimId)).toMatchObject({ amountCents: 30_000, version: 2 });
    // The claim itself does not count against what remains for it.
    const over = await refused(
      update,
      { id: claimId, version: 2, input: { amount: '600.01' } },
      'BAD_USER_INPUT',
      'input.amount',
    );
    expect(over.errors?.[0]?.message).toContain('600.00 EUR of 600.00 remain');
    await refused(
      update,
      { id: claimId, version: 2, input: { periodId: 'clusterpolisee-p2' } },
      'BAD_USER_INPUT',
      'input.periodId',
    );
    await refused(update, { id: claimId, version: 1, input: { amount: '1' } }, 'CONFLICT');
  });

  test.each([
    ['an amount with three decimals', { amount: '12.345' }, 'input.amount'],
    ['an amount in exponent form', { amount: '1e3' }, 'input.amount'],
    ['a negative amount', { amount: '-1' }, 'input.amount'],
    ['a work package of another project', { workPackageId: 'clusterpolisee-wp1' }, 'input.workPackageId'],
    ['an impossible submission date', { submittedOn: '2020-02-30' }, 'input.submittedOn'],
    ['a submission date written otherwise', { submittedOn: '15/07/2020' }, 'input.submittedOn'],
    // The claim is in small-p2 now, which begins on 2020-07-01.
    ['a submission before its period begins', { submittedOn: '2020-06-30' }, 'input.submittedOn'],
    [
      'a submission before the new period begins',
      { periodId: 'small-p2', submittedOn: '2020-05-01' },
      'input.submittedOn',
    ],
    ['a submission date in the future', { submittedOn: '2999-12-31' }, 'input.submittedOn'],
    ['an empty source', { source: ' ' }, 'input.source'],
  ])('refuses an update with %s', async (_case, input, field) => {
    await refused(update, { id: claimId, version: 2, input }, 'BAD_USER_INPUT', field);
  });

  test('refuses moving a claim to a period that began after its submission, naming the period', async () => {
    const early = await ok<{ submitClaim: { id: string } }>(submit, {
      input: { ...valid, amount: '1.00', submittedOn: '2020-03-01' },
    });
    const result = await refused(
      update,
      { id: early.submitClaim.id, version: 1, input: { periodId: 'small-p2' } },
      'BAD_USER_INPUT',
      'input.periodId',
    );
    expect(result.errors?.[0]?.message).toContain('2020-03-01 is before reporting period 2');
    await ok(archive, { id: early.submitClaim.id, version: 1 });
  });

  test('validates a submitted claim: controller and date required, never before submission', async () => {
    await refused(
      validate,
      { id: claimId, version: 2, controller: ' ', validatedOn: '2020-08-01' },
      'BAD_USER_INPUT',
      'controller',
    );
    await refused(
      validate,
      { id: claimId, version: 2, controller: 'A. Controller', validatedOn: '2020-07-14' },
      'BAD_USER_INPUT',
      'validatedOn',
    );
    await refused(
      validate,
      { id: claimId, version: 2, controller: 'A. Controller', validatedOn: '2020-13-01' },
      'BAD_USER_INPUT',
      'validatedOn',
    );
    const future = await refused(
      validate,
      { id: claimId, version: 2, controller: 'A. Controller', validatedOn: '2999-01-01' },
      'BAD_USER_INPUT',
      'validatedOn',
    );
    expect(future.errors?.[0]?.message).toContain('must not be in the future');
    await refused(
      validate,
      { id: claimId, version: 1, controller: 'A. Controller', validatedOn: '2020-08-01' },
      'CONFLICT',
    );
    await refused(pay, { id: claimId, version: 2 }, 'BAD_USER_INPUT', 'id');
    const data = await ok<{ validateClaim: unknown }>(validate, {
      id: claimId,
      version: 2,
      controller: ' A. Controller ',
      validatedOn: '2020-08-01',
    });
    expect(data.validateClaim).toMatchObject({
      status: 'VALIDATED',
      version: 3,
      controller: 'A. Controller',
      validatedOn: '2020-08-01',
    });
    expect(await raw('expenditureClaims', claimId)).toMatchObject({
      status: 'VALIDATED',
      validatedOn: day('2020-08-01'),
    });
    // Forward only: no second validation, and no more edits.
    await refused(
      validate,
      { id: claimId, version: 3, controller: 'B', validatedOn: '2020-08-02' },
      'BAD_USER_INPUT',
      'id',
    );
    await refused(update, { id: claimId, version: 3, input: { amount: '1' } }, 'BAD_USER_INPUT', 'id');
  });

  test('marks a validated claim paid, once', async () => {
    await refused(pay, { id: claimId, version: 2 }, 'CONFLICT');
    const data = await ok<{ markClaimPaid: unknown }>(pay, { id: claimId, version: 3 });
    expect(data.markClaimPaid).toMatchObject({ status: 'PAID', version: 4 });
    expect(await raw('expenditureClaims', claimId)).toMatchObject({ status: 'PAID' });
    await refused(pay, { id: claimId, version: 4 }, 'BAD_USER_INPUT', 'id');
  });

  test('absorption of the small project counts validated and paid claims only', async () => {
    await ok(submit, { input: { ...valid, amount: '20.00' } }); // stays SUBMITTED
    const data = await ok<{ absorption: unknown[] }>(`{ absorption(projectId: "small", by: PARTNER) {
      key organisation { id } budget { amount } spent { amount } validated { amount } paid { amount } submitted { amount } rate } }`);
    expect(data.absorption).toEqual([
      {
        key: 'at-austria-wirtschaftsservice',
        organisation: { id: 'at-austria-wirtschaftsservice' },
        budget: { amount: '100.00' },
        spent: { amount: '0.00' },
        validated: { amount: '0.00' },
        paid: { amount: '0.00' },
        submitted: { amount: '0.00' },
        rate: '0.0000',
      },
      {
        key: 'it-marche-region',
        organisation: { id: 'it-marche-region' },
        budget: { amount: '600.00' },
        spent: { amount: '300.00' },
        validated: { amount: '0.00' },
        paid: { amount: '300.00' },
        submitted: { amount: '20.00' },
        rate: '0.5000',
      },
    ]);
  });

  test('archives: out of the list and the sums, still there by key', async () => {
    await refused(archive, { id: claimId, version: 3 }, 'CONFLICT');
    expect(
      (await ok<{ archiveClaim: { archived: boolean } }>(archive, { id: claimId, version: 4 })).archiveClaim
        .archived,
    ).toBe(true);
    const data = await ok<{
      claims: { nodes: { id: string }[] };
      claim: { archived: boolean };
      absorption: { spent: { amount: string } }[];
    }>(
      `query($id: ID!) { claims(projectId: "small") { nodes { id } } claim(id: $id) { archived }
        absorption(projectId: "small", by: COUNTRY) { spent { amount } } }`,
      { id: claimId },
    );
    expect(data.claims.nodes.map((n) => n.id)).not.toContain(claimId);
    expect(data.claim).toEqual({ archived: true });
    expect(data.absorption.every((row) => row.spent.amount === '0.00')).toBe(true);
  });

  test("a partner's budget is never set below its live claims that have no override reason", async () => {
    const set = `mutation($input: SetPartnerBudgetInput!, $version: Int) { setPartnerBudget(input: $input, version: $version) {
      total { amount } lines { workPackage { id } amount { amount } } version } }`;
    const budget = (total: string, lines: unknown[] = []) => ({
      projectId: 'small',
      organisationId: 'it-marche-region',
      countryCode: 'IT',
      total,
      erdf: '0',
      ipa: '0',
      nationalContribution: total,
      lines,
      source: 'synthetic',
    });
    // Marche's live claims in SMALL: 20.00 (submitted above, no reason) and now 30.00 with a
    // reason; the archived 300.00 counts no more.
    await ok(submit, { input: { ...valid, amount: '30.00', overrideReason: 'Agreed with the JTS' } });
    const stored = await raw('partnerBudgets', 'small-it-marche-region');
    expect(stored).toMatchObject({ totalCents: 60_000, version: 2 });

    const below = await refused(set, { input: budget('19.99'), version: 2 }, 'BAD_USER_INPUT', 'input.total');
    expect(below.errors?.[0]?.message).toContain('add up to 20.00 EUR');
    expect(below.errors?.[0]?.message).toContain('archive or correct claims first');

    // Down to what the claims without a reason add up to is fine, though with the 30.00 the
    // partner has claimed more: that claim was accepted above the budget on purpose. Lines are
    // not held against claims (the 20.00 is on small-wp1), as claims are held to the total only.
    const lowered = await ok<{ setPartnerBudget: unknown }>(set, {
      input: budget('20.00', [{ workPackageId: 'small-wp1', amount: '0' }]),
      version: 2,
    });
    expect(lowered.setPartnerBudget).toEqual({
      total: { amount: '20.00' },
      lines: [{ workPackage: { id: 'small-wp1' }, amount: { amount: '0.00' } }],
      version: 3,
    });
    expect(await raw('partnerBudgets', 'small-it-marche-region')).toMatchObject({
      totalCents: 2_000,
      version: 3,
    });
  });
});
