import type { Document } from 'mongodb';
import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { partnerBudgets, seedProjects } from '@clusterpolisee/infra/seed/projects';
import { countries } from '@clusterpolisee/infra/seed/facts';
import { seedOrganisations } from '@clusterpolisee/infra/seed/organisations';
import { projects } from '.';

/** One database seeded at scale 1, one at scale 10 (first at 1, then at 10, as an upgrade would). */
let scale1: TestSubgraph;
let scale10: TestSubgraph;

beforeAll(async () => {
  [scale1, scale10] = await Promise.all([startTestSubgraph(projects), startTestSubgraph(projects)]);
  expect(await seedProjects(scale1.orm.em.fork(), { scale: 1 })).toBeGreaterThan(0);
  expect(await seedProjects(scale1.orm.em.fork(), { scale: 1 })).toBe(0);
  await seedProjects(scale10.orm.em.fork(), { scale: 1 });
  await seedProjects(scale10.orm.em.fork(), { scale: 10 });
  expect(await seedProjects(scale10.orm.em.fork(), { scale: 10 })).toBe(0);
}, 120_000);
afterAll(() => Promise.all([scale1?.close(), scale10?.close()]));

const all = (subgraph: TestSubgraph, collection: string, filter: Document = {}) =>
  subgraph.orm.em.getConnection().getDb().collection(collection).find(filter).toArray();

/** The rate as the SDL defines it, computed here independently (Number, not BigInt). */
function rate(spent: number, budget: number): string | null {
  if (budget === 0) return null;
  const basisPoints = Math.floor((2 * spent * 10_000 + budget) / (2 * budget));
  return `${Math.floor(basisPoints / 10_000)}.${String(basisPoints % 10_000).padStart(4, '0')}`;
}
const amount = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

describe.each([
  ['scale 1', () => scale1],
  ['scale 10', () => scale10],
])('the seed at %s', (_label, subgraph) => {
  test('has 25 budgets for ClusterPoliSEE that add up exactly to its total, the two public ones kept', async () => {
    const budgets = await all(subgraph(), 'partnerBudgets', { projectId: 'clusterpolisee' });
    expect(budgets).toHaveLength(25);
    expect(budgets.reduce((sum, b) => sum + (b.totalCents as number), 0)).toBe(518_635_200);
    const ida = budgets.find((b) => b.organisationId === 'hr-istrian-development-agency')!;
    expect(ida).toMatchObject({
      totalCents: 20_350_000,
      source: 'project description',
      breakdownSource: 'synthetic',
    });
    const marche = budgets.find((b) => b.organisationId === 'it-marche-region')!;
    expect(marche.totalCents).toBe(58_200_000);
    expect(marche.source).toMatch(/^project description/);
    expect(budgets.filter((b) => b.source === 'synthetic')).toHaveLength(23);
    // What the e2e test reads, in the same shape as before.
    expect(partnerBudgets().reduce((sum, b) => sum + b.cents, 0)).toBe(518_635_200);
  });

  test('every budget splits exactly, by the fund of its country, with lines within the total', async () => {
    for (const budget of await all(subgraph(), 'partnerBudgets')) {
      expect(budget.erdfCents + budget.ipaCents + budget.nationalCents).toBe(budget.totalCents);
      const ipa = countries.find((c) => c.code === budget.countryCode)?.programmeStatus === 'IPA';
      expect(ipa ? budget.erdfCents : budget.ipaCents).toBe(0);
      const lines = budget.lines as { cents: number }[];
      expect(lines.reduce((sum, l) => sum + l.cents, 0)).toBeLessThanOrEqual(budget.totalCents);
    }
  });

  test('claims stay within each partner budget, dated after their period, validated after submission', async () => {
    const [budgets, claims, periods] = await Promise.all([
      all(subgraph(), 'partnerBudgets'),
      all(subgraph(), 'expenditureClaims'),
      all(subgraph(), 'reportingPeriods'),
    ]);
    const claimed = new Map<string, number>();
    for (const claim of claims) {
      const key = `${claim.projectId} ${claim.organisationId}`;
      claimed.set(key, (claimed.get(key) ?? 0) + claim.amountCents);
      expect(claim.source).toBe('synthetic');
      expect(claim.overrideReason ?? null).toBeNull();
      const period = periods.find((p) => p._id === claim.periodId)!;
      expect(period.projectId).toBe(claim.projectId);
      expect(claim.submittedOn > period.endDate).toBe(true);
      if (claim.status !== 'SUBMITTED') expect(claim.validatedOn >= claim.submittedOn).toBe(true);
    }
    for (const budget of budgets) {
      expect(claimed.get(`${budget.projectId} ${budget.organisationId}`) ?? 0).toBeLessThanOrEqual(
        budget.totalCents,
      );
    }
  });

  test("opens each budget's and project's running figures from the stored records", async () => {
    const [budgets, claims, projectRows, entries] = await Promise.all([
      all(subgraph(), 'partnerBudgets'),
      all(subgraph(), 'expenditureClaims', { archived: false }),
      all(subgraph(), 'projects'),
      all(subgraph(), 'ledger'),
    ]);
    // Seeded at 1 and then at 10, each account has one opening entry, as of the last seed.
    const figures = new Map(entries.map((entry) => [entry.account as string, entry.figures]));
    expect(entries).toHaveLength(budgets.length + projectRows.length);
    for (const budget of budgets) {
      const own = claims.filter(
        (c) => c.projectId === budget.projectId && c.organisationId === budget.organisationId,
      );
      const claimed = own.reduce((sum, c) => sum + c.amountCents, 0);
      expect(figures.get(`budget:${budget._id}`)).toEqual({
        remainingCents: budget.totalCents - claimed,
        claimedWithoutReasonCents: claimed,
      });
    }
    for (const project of projectRows) {
      const budgeted = budgets
        .filter((b) => b.projectId === project._id && !b.archived)
        .reduce((sum, b) => sum + b.totalCents, 0);
      expect(figures.get(`project:${project._id}`)).toEqual({
        unbudgetedCents: project.totalCents - budgeted,
      });
    }
  });

  test.each(['PARTNER', 'COUNTRY', 'WORK_PACKAGE', 'PERIOD'] as const)(
    'absorption by %s matches sums computed here from the stored records',
    async (dimension) => {
      const field = {
        PARTNER: 'organisationId',
        COUNTRY: 'countryCode',
        WORK_PACKAGE: 'workPackageId',
        PERIOD: 'periodId',
      }[dimension];
      const [budgets, claims] = await Promise.all([
        all(subgraph(), 'partnerBudgets', { projectId: 'clusterpolisee', archived: false }),
        all(subgraph(), 'expenditureClaims', { projectId: 'clusterpolisee', archived: false }),
      ]);
      const expected = new Map<
        string,
        { budget: number; validated: number; paid: number; submitted: number }
      >();
      const row = (key: string) => {
        if (!expected.has(key)) expected.set(key, { budget: 0, validated: 0, paid: 0, submitted: 0 });
        return expected.get(key)!;
      };
      if (dimension === 'WORK_PACKAGE') {
        for (const budget of budgets)
          for (const line of budget.lines) row(line.workPackageId).budget += line.cents;
      } else if (dimension !== 'PERIOD') {
        for (const budget of budgets) row(budget[field]).budget += budget.totalCents;
      }
      for (const claim of claims) {
        const target = row(claim[field]);
        if (claim.status === 'VALIDATED') target.validated += claim.amountCents;
        else if (claim.status === 'PAID') target.paid += claim.amountCents;
        else target.submitted += claim.amountCents;
      }
      const wanted = [...expected.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, sums]) => ({
          key,
          budget: dimension === 'PERIOD' ? null : { amount: amount(sums.budget) },
          spent: { amount: amount(sums.validated + sums.paid) },
          validated: { amount: amount(sums.validated) },
          paid: { amount: amount(sums.paid) },
          submitted: { amount: amount(sums.submitted) },
          rate: dimension === 'PERIOD' ? null : rate(sums.validated + sums.paid, sums.budget),
        }));
      const result = await subgraph().query<{ absorption: unknown[] }>(
        `{ absorption(projectId: "clusterpolisee", by: ${dimension}) { key budget { amount } spent { amount }
          validated { amount } paid { amount } submitted { amount } rate } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.absorption).toEqual(wanted);
      expect(wanted.length).toBe({ PARTNER: 25, COUNTRY: 11, WORK_PACKAGE: 7, PERIOD: 5 }[dimension]);
    },
    30_000,
  );
});

test('partners absorb between 40 % and 95 % of their budgets at scale 1', async () => {
  const result = await scale1.query<{ absorption: { rate: string }[] }>(
    `{ absorption(projectId: "clusterpolisee", by: PARTNER) { rate } }`,
  );
  for (const { rate } of result.data!.absorption) {
    expect(Number(rate)).toBeGreaterThanOrEqual(0.4);
    expect(Number(rate)).toBeLessThanOrEqual(0.95);
  }
});

test('scale 10 adds synthetic organisations in a synthetic project, and multiplies claims', async () => {
  const budgets10 = await all(scale10, 'partnerBudgets', { projectId: 'synthetic-load-test' });
  expect(budgets10).toHaveLength(225);
  expect(budgets10.every((b) => b.source === 'synthetic')).toBe(true);
  const [project] = await all(scale10, 'projects', { _id: 'synthetic-load-test' });
  expect(budgets10.reduce((sum, b) => sum + b.totalCents, 0)).toBeLessThanOrEqual(project!.totalCents);
  const claims1 = (await all(scale1, 'expenditureClaims', { projectId: 'clusterpolisee' })).length;
  const claims10 = (await all(scale10, 'expenditureClaims', { projectId: 'clusterpolisee' })).length;
  expect(claims10).toBe(claims1 * 10);
}, 30_000);

/**
 * Every list query with nested and cross-subgraph fields, run on both databases: the number of
 * database commands must not grow with the data.
 */
describe('database commands per request do not grow from scale 1 to scale 10', () => {
  const organisations = (scale: number) =>
    seedOrganisations(scale).map((o) => ({ __typename: 'Organisation', id: o.id }));
  const cases: [string, string, (scale: number) => Record<string, unknown>][] = [
    [
      'projects with everything nested and absorption',
      `{ projects(filter: { includeArchived: true }) { totalCount nodes { programme { name projects { id } }
        workPackages { code lead { id } project { id } } reportingPeriods { number project { id } }
        budgets { total { amount } organisation { id } lines { workPackage { code } amount { amount } } }
        byPartner: absorption(by: PARTNER) { key organisation { id } rate }
        byCountry: absorption(by: COUNTRY) { key rate }
        byWp: absorption(by: WORK_PACKAGE) { workPackage { code } rate }
        byPeriod: absorption(by: PERIOD) { period { number } spent { amount } } } } }`,
      () => ({}),
    ],
    [
      'programmes with their projects and work packages',
      `{ programmes { projects { workPackages { code } budgets { id } } } }`,
      () => ({}),
    ],
    [
      'partner budgets with their lines and projects',
      `{ partnerBudgets(projectId: "clusterpolisee", first: 100) { totalCount nodes { organisation { id }
        project { acronym } lines { workPackage { code project { id } } } } } }`,
      () => ({}),
    ],
    [
      'claims with their period, work package, project and organisation',
      `{ claims(projectId: "clusterpolisee", first: 100) { totalCount nodes { organisation { id } project { acronym }
        period { number project { id } } workPackage { code } } } }`,
      () => ({}),
    ],
    [
      'work packages and periods of a project',
      `{ workPackages(projectId: "clusterpolisee") { project { acronym } lead { id } }
        reportingPeriods(projectId: "clusterpolisee") { project { acronym } } }`,
      () => ({}),
    ],
    [
      'organisations of the partners subgraph with their budgets and claims (25 vs 250)',
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on Organisation { budgets { project { acronym } lines { workPackage { code } } } claims { period { number } workPackage { code } } } } }`,
      (scale) => ({ representations: organisations(scale) }),
    ],
  ];

  test.each(cases)(
    '%s',
    async (_name, query, variables) => {
      const counts: number[] = [];
      for (const [subgraph, scale] of [
        [scale1, 1],
        [scale10, 10],
      ] as const) {
        subgraph.commands.reset();
        const result = await subgraph.query(query, variables(scale));
        expect(result.errors).toBeUndefined();
        counts.push(subgraph.commands.count());
      }
      expect(counts[1]).toBe(counts[0]);
      // One query per collection and loader, whatever the data: at most 17, for the projects query
      // that asks for every nested field and four absorption dimensions at once.
      expect(counts[0]).toBeLessThanOrEqual(17);
    },
    60_000,
  );
});
