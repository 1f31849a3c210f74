import { seedKnowledge } from '@clusterpolisee/infra/seed/knowledge';
import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { knowledge } from '.';
import { GoodPractice, PilotAction, StrategyDocument, WorkingGroup } from './entities';

/** Two databases seeded at scale 1 and 10: the same request must cost the same commands on both. */
let small: TestSubgraph;
let large: TestSubgraph;

beforeAll(async () => {
  [small, large] = await Promise.all([startTestSubgraph(knowledge), startTestSubgraph(knowledge)]);
  await seedKnowledge(small.orm.em.fork(), { scale: 1 });
  await seedKnowledge(large.orm.em.fork(), { scale: 10 });
}, 120_000);
afterAll(async () => {
  await small?.close();
  await large?.close();
});

const CORALLIA = 'gr-athena-research-and-innovation-center-corallia-clusters-initiative';
const BSMEPA = 'bg-bulgarian-small-and-medium-enterprises-promotion-agency';

describe('the seed', () => {
  test('holds the public facts with their provenance', async () => {
    const result = await small.query<{
      workingGroups: { code: string; title: string; lead: { id: string } | null; source: string }[];
      pilotActions: { nodes: Record<string, unknown>[]; totalCount: number };
      strategyDocuments: { nodes: Record<string, unknown>[] };
      learningMechanisms: { totalCount: number; nodes: { source: string }[] };
    }>(`{
      workingGroups { code title lead { id } source memberships { organisation { id } source } }
      pilotActions(first: 10) { totalCount nodes { lead { id } countryCode workingGroup { code } startDate endDate results source } }
      strategyDocuments(first: 20, orderBy: { field: CREATED_AT }) { nodes { type title workingGroup { code } publishedOn publishedOnPrecision url source } }
      learningMechanisms(first: 10) { totalCount nodes { source } }
    }`);
    expect(result.errors).toBeUndefined();
    const data = result.data!;
    expect(data.workingGroups.map((g) => [g.code, g.source])).toEqual(
      ['WG1', 'WG2', 'WG3', 'WG4', 'WG5', 'WG6'].map((code) => [code, 'project description']),
    );
    expect(data.workingGroups.filter((g) => g.lead).map((g) => [g.code, g.lead])).toEqual([
      ['WG3', { id: BSMEPA }],
    ]);
    expect(data.workingGroups[2]).toMatchObject({
      memberships: expect.arrayContaining([{ organisation: { id: BSMEPA }, source: 'project description' }]),
    });
    expect(data.pilotActions.totalCount).toBe(6);
    expect(data.pilotActions.nodes.map((p) => (p.workingGroup as { code: string }).code).sort()).toEqual([
      'WG1',
      'WG2',
      'WG3',
      'WG4',
      'WG5',
      'WG6',
    ]);
    for (const pilot of data.pilotActions.nodes) {
      expect(pilot).toMatchObject({
        lead: { id: CORALLIA },
        countryCode: 'GR',
        startDate: '2014-01-01',
        endDate: '2014-06-30',
        results: null,
        source: 'project description',
      });
    }
    const docs = data.strategyDocuments.nodes;
    expect(docs.filter((d) => d.type === 'POLICY_FACTSHEET')).toHaveLength(6);
    expect(
      docs.filter((d) => d.type === 'POLICY_FACTSHEET').every((d) => d.publishedOn === '2014-10-01'),
    ).toBe(true);
    expect(docs.find((d) => d.type === 'JOINT_STRATEGIC_PLAN')).toMatchObject({
      title: 'Joint Strategic Plan',
      workingGroup: null,
      publishedOn: null,
      source: 'project description',
    });
    expect(docs.find((d) => d.type === 'SUSTAINABILITY_PLAN')).toBeDefined();
    expect(data.learningMechanisms.totalCount).toBe(6);
  });

  test('puts every real partner in one to three working groups, each membership marked', async () => {
    const groups = await small.orm.em.fork().find(WorkingGroup, {});
    const perOrganisation = new Map<string, number>();
    for (const group of groups)
      for (const m of group.memberships) {
        perOrganisation.set(m.organisationId, (perOrganisation.get(m.organisationId) ?? 0) + 1);
        expect(m.source).toBe(
          m.organisationId === BSMEPA && group._id === 'WG3' ? 'project description' : 'synthetic',
        );
      }
    expect(perOrganisation.size).toBe(25);
    for (const count of perOrganisation.values()) expect(count).toBeGreaterThanOrEqual(1);
    for (const count of perOrganisation.values()) expect(count).toBeLessThanOrEqual(3);
    expect(groups.every((g) => g.organisationIds.length === g.memberships.length && g.codeNumber > 0)).toBe(
      true,
    );
  });

  test('multiplies the synthetic records by the scale, and is idempotent', async () => {
    const em = large.orm.em.fork();
    expect(await em.count(GoodPractice, {})).toBe(120);
    expect(await em.count(PilotAction, {})).toBe(6);
    expect(await small.orm.em.fork().count(GoodPractice, {})).toBe(12);
    expect(await seedKnowledge(small.orm.em.fork(), { scale: 1 })).toBe(0);
  });
});

describe('analytics', () => {
  async function countsBy(
    subgraph: TestSubgraph,
    entity: typeof GoodPractice | typeof PilotAction,
    key: 'workingGroupCode' | 'countryCode',
  ) {
    const rows = await subgraph.orm.em.fork().find(entity as typeof GoodPractice, { archived: false });
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row[key], (counts.get(row[key]) ?? 0) + 1);
    return counts;
  }

  test.each(
    [small, large].map(
      (s, i) => [i === 0 ? 'scale 1' : 'scale 10', () => (i === 0 ? small : large)] as const,
    ),
  )('count good practices and pilots by working group and country (%s)', async (_name, get) => {
    const subgraph = get();
    const result = await subgraph.query<{
      gw: { workingGroup: { code: string }; count: number }[];
      gc: { country: { code: string }; count: number }[];
      pw: { workingGroup: { code: string }; count: number }[];
      pc: { country: { code: string }; count: number }[];
    }>(`{
        gw: goodPracticesByWorkingGroup { workingGroup { code } count }
        gc: goodPracticesByCountry { country { code } count }
        pw: pilotActionsByWorkingGroup { workingGroup { code } count }
        pc: pilotActionsByCountry { country { code } count }
      }`);
    expect(result.errors).toBeUndefined();
    const asMap = (rows: { key: string; count: number }[]) => new Map(rows.map((r) => [r.key, r.count]));
    const d = result.data!;
    expect(asMap(d.gw.map((r) => ({ key: r.workingGroup.code, count: r.count })))).toEqual(
      await countsBy(subgraph, GoodPractice, 'workingGroupCode'),
    );
    expect(asMap(d.gc.map((r) => ({ key: r.country.code, count: r.count })))).toEqual(
      await countsBy(subgraph, GoodPractice, 'countryCode'),
    );
    expect(asMap(d.pw.map((r) => ({ key: r.workingGroup.code, count: r.count })))).toEqual(
      await countsBy(subgraph, PilotAction, 'workingGroupCode'),
    );
    expect(d.pc).toEqual([{ country: { code: 'GR' }, count: 6 }]);
    expect(d.gw.map((r) => r.workingGroup.code)).toEqual(['WG1', 'WG2', 'WG3', 'WG4', 'WG5', 'WG6']);
    expect(d.gc.map((r) => r.country.code)).toEqual([...d.gc.map((r) => r.country.code)].sort());
  });
});

describe('database commands per request are the same at scale 1 and 10', () => {
  const organisations = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ __typename: 'Organisation', id: i === 0 ? BSMEPA : `org-${i}` }));
  const queries: [string, string, Record<string, unknown>][] = [
    [
      'working groups with everything nested',
      `{ workingGroups { code lead { id } members { id } memberships { organisation { id } source }
         goodPractices { id workingGroup { code } } goodPracticeCount pilotActions { id workingGroup { code } } pilotActionCount
         learningMechanisms { id } learningMechanismCount strategyDocuments { id workingGroup { code } } strategyDocumentCount } }`,
      {},
    ],
    [
      'good practices',
      `{ goodPractices(first: 50) { totalCount pageInfo { hasNextPage endCursor } nodes { id organisation { id } workingGroup { code title goodPracticeCount } } } }`,
      {},
    ],
    [
      'pilot actions',
      `{ pilotActions(first: 50) { totalCount nodes { id lead { id } workingGroup { code pilotActionCount members { id } } } } }`,
      {},
    ],
    [
      'strategy documents and learning mechanisms',
      `{ strategyDocuments(first: 50) { totalCount nodes { id workingGroup { code } } }
         learningMechanisms(first: 50) { totalCount nodes { id workingGroup { code } } } }`,
      {},
    ],
    [
      'cluster policies, organisations and assessments',
      `{ clusterPolicies(first: 50) { totalCount nodes { id responsibleOrganisation { id } instruments { type name } } }
         clusterOrganisations(first: 50) { totalCount nodes { id sectors escaLabel escaValidUntil } }
         policyAssessments(first: 50) { totalCount nodes { id organisation { id } } } }`,
      {},
    ],
    [
      'analytics',
      `{ goodPracticesByWorkingGroup { workingGroup { code pilotActionCount } count } goodPracticesByCountry { country { code } count }
         pilotActionsByWorkingGroup { workingGroup { code } count } pilotActionsByCountry { country { code } count } }`,
      {},
    ],
    [
      'organisations from the gateway with their working groups and good practices',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { id workingGroups { code lead { id } goodPracticeCount }
         goodPractices { id workingGroup { code } } } } }`,
      { r: organisations(40) },
    ],
    [
      'working group references',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on WorkingGroup { code pilotActions { id } goodPracticeCount } } }`,
      { r: ['WG1', 'WG2', 'WG3', 'WG9'].map((code) => ({ __typename: 'WorkingGroup', code })) },
    ],
  ];

  test.each(queries)('%s', async (_name, query, variables) => {
    const counts: number[] = [];
    for (const subgraph of [small, large]) {
      subgraph.commands.reset();
      const result = await subgraph.query(query, variables);
      expect(result.errors).toBeUndefined();
      counts.push(subgraph.commands.count());
    }
    expect(counts[1]).toBe(counts[0]);
  });

  test('each nested kind costs one command, not one per parent', async () => {
    large.commands.reset();
    await large.query(queries[0]![1]);
    // the groups, then one grouped find and one count aggregation per nested kind
    expect(large.commands.count()).toBe(1 + 4 + 4);
  });
});

test('strategy document list filters by type and working group', async () => {
  const result = await small.query<{ a: { totalCount: number }; b: { nodes: { title: string }[] } }>(`{
    a: strategyDocuments(filter: { type: POLICY_FACTSHEET }) { totalCount }
    b: strategyDocuments(filter: { workingGroup: "WG3" }) { nodes { title } }
  }`);
  expect(result.data).toEqual({
    a: { totalCount: 6 },
    b: { nodes: [{ title: 'Policy factsheet: International cluster cooperation and networking' }] },
  });
  expect(await small.orm.em.fork().count(StrategyDocument, {})).toBe(8);
});

describe('lists', () => {
  test('pages through all good practices once, in title order, with a total', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: Awaited<
        ReturnType<
          typeof large.query<{
            goodPractices: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean; endCursor: string };
              nodes: { id: string }[];
            };
          }>
        >
      > = await large.query(
        `query($after: String) { goodPractices(first: 17, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      const page = result.data!.goodPractices;
      expect(page.totalCount).toBe(120);
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const all = await large.orm.em
      .fork()
      .find(GoodPractice, {}, { orderBy: { sortName: 'asc', _id: 'asc' } });
    expect(seen).toEqual(all.map((p) => p._id));
  });

  test('filters good practices by working group, country and transferability, and searches titles', async () => {
    const em = large.orm.em.fork();
    const sample = await em.findOneOrFail(GoodPractice, { _id: 'gp-synthetic-8' });
    const result = await large.query<{
      f: {
        totalCount: number;
        nodes: { workingGroup: { code: string }; countryCode: string; transferability: string }[];
      };
      s: { totalCount: number; nodes: { title: string }[] };
    }>(
      `query($wg: ID, $c: String, $t: Transferability) {
        f: goodPractices(first: 100, filter: { workingGroup: $wg, country: $c, transferability: $t }) { totalCount nodes { workingGroup { code } countryCode transferability } }
        s: goodPractices(first: 100, filter: { search: "VOUCH" }) { totalCount nodes { title } } }`,
      { wg: sample.workingGroupCode, c: sample.countryCode.toLowerCase(), t: sample.transferability },
    );
    expect(result.errors).toBeUndefined();
    const expected = await em.count(GoodPractice, {
      workingGroupCode: sample.workingGroupCode,
      countryCode: sample.countryCode,
      transferability: sample.transferability,
    });
    expect(result.data!.f.totalCount).toBe(expected);
    expect(result.data!.f.nodes.length).toBe(expected);
    for (const node of result.data!.f.nodes)
      expect(node).toEqual({
        workingGroup: { code: sample.workingGroupCode },
        countryCode: sample.countryCode,
        transferability: sample.transferability,
      });
    const titles = (await em.find(GoodPractice, {})).map((p) => p.title).filter((t) => /\bvouch/i.test(t));
    expect(result.data!.s.totalCount).toBe(titles.length);
    expect(result.data!.s.nodes.map((n) => n.title).sort()).toEqual(titles.sort());
  });

  test('filters and sorts the other lists', async () => {
    const result = await large.query<{
      byMembers: { nodes: { memberCount: number }[] };
      gold: { nodes: { escaLabel: string; countryCode: string }[]; totalCount: number };
      regional: { nodes: { level: string; countryCode: string }[] };
      pilots: { totalCount: number };
      greek: { totalCount: number };
      assessments: { nodes: { organisation: { id: string } }[] };
    }>(`{
      byMembers: clusterOrganisations(first: 100, orderBy: { field: MEMBER_COUNT, direction: DESC }) { nodes { memberCount } }
      gold: clusterOrganisations(first: 100, filter: { escaLabel: GOLD, country: "AT" }) { totalCount nodes { escaLabel countryCode } }
      regional: clusterPolicies(first: 100, filter: { level: REGIONAL, country: "BG" }) { nodes { level countryCode } }
      pilots: pilotActions(filter: { workingGroup: "WG3" }) { totalCount }
      greek: pilotActions(filter: { country: "GR" }) { totalCount }
      assessments: policyAssessments(filter: { organisationId: "${BSMEPA}" }) { nodes { organisation { id } } }
    }`);
    expect(result.errors).toBeUndefined();
    const d = result.data!;
    const counts = d.byMembers.nodes.map((n) => n.memberCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(d.gold.nodes.every((n) => n.escaLabel === 'GOLD' && n.countryCode === 'AT')).toBe(true);
    expect(d.regional.nodes.length).toBeGreaterThan(0);
    expect(d.regional.nodes.every((n) => n.level === 'REGIONAL' && n.countryCode === 'BG')).toBe(true);
    expect(d.pilots.totalCount).toBe(1);
    expect(d.greek.totalCount).toBe(6);
    expect(d.assessments.nodes).toEqual([{ organisation: { id: BSMEPA } }]);
  });

  test('refuses a page size out of range or a forged cursor, naming the argument', async () => {
    const result = await large.query(`{ a: goodPractices(first: 101) { totalCount } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const forged = await large.query(`{ goodPractices(after: "nonsense") { totalCount } }`);
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
