import { startTestSubgraph, type TestCaller, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { projects } from '.';
import {
  ExpenditureClaim,
  PartnerBudget,
  Project,
  ReportingPeriod,
  WorkPackage,
  type ClaimStatus,
} from './entities';

/** Absorption must not show one partner's claim to those who may not read claims (issue 17, 5). */
let subgraph: TestSubgraph;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Per organisation: its country and its claims' amounts in cents by status. */
const PARTNERS: Record<string, { country: string; claims: [ClaimStatus, number][] }> = {
  // One claim: its amount must not be readable.
  'it-single': { country: 'IT', claims: [['SUBMITTED', 123_456]] },
  // Three submitted (shown), two validated (withheld), none paid (0.00 is shown).
  'si-several': {
    country: 'SI',
    claims: [
      ['SUBMITTED', 1_000],
      ['SUBMITTED', 2_000],
      ['SUBMITTED', 3_000],
      ['VALIDATED', 4_000],
      ['VALIDATED', 5_000],
    ],
  },
  // No claim at all.
  'at-none': { country: 'AT', claims: [] },
};

beforeAll(async () => {
  subgraph = await startTestSubgraph(projects);
  const em = subgraph.orm.em.fork();
  em.create(Project, {
    _id: 'cells',
    acronym: 'CELLS',
    title: 'Small cells',
    reference: 'X/CELLS',
    programmeId: 'see-2007-2013',
    priorityAxis: 1,
    strategic: false,
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    status: 'RUNNING',
    totalCents: 10_000_000,
    currency: 'EUR',
    source: 'synthetic',
    searchKeys: ['cells'],
  });
  em.create(WorkPackage, {
    _id: 'cells-wp1',
    code: 'WP1',
    title: 'WP1',
    projectId: 'cells',
    activities: [],
    deliverables: [],
    milestones: [],
    source: 'synthetic',
  });
  em.create(ReportingPeriod, {
    _id: 'cells-p1',
    projectId: 'cells',
    number: 1,
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    source: 'synthetic',
  });
  for (const [organisationId, { country, claims }] of Object.entries(PARTNERS)) {
    em.create(PartnerBudget, {
      _id: `cells-${organisationId}`,
      projectId: 'cells',
      organisationId,
      countryCode: country,
      totalCents: 1_000_000,
      erdfCents: 0,
      ipaCents: 0,
      nationalCents: 1_000_000,
      currency: 'EUR',
      lines: [],
      source: 'synthetic',
      breakdownSource: 'synthetic',
    });
    claims.forEach(([status, amountCents], i) =>
      em.create(ExpenditureClaim, {
        _id: `cells-${organisationId}-${i}`,
        projectId: 'cells',
        organisationId,
        periodId: 'cells-p1',
        workPackageId: 'cells-wp1',
        countryCode: country,
        amountCents,
        currency: 'EUR',
        status,
        submittedOn: day('2020-06-01'),
        source: 'synthetic',
      }),
    );
  }
  await em.flush();
}, 60_000);
afterAll(() => subgraph?.close());

interface Row {
  key: string;
  budget: { amount: string } | null;
  spent: { amount: string } | null;
  validated: { amount: string } | null;
  paid: { amount: string } | null;
  submitted: { amount: string } | null;
  rate: string | null;
  suppressed: boolean;
}

async function absorption(as: TestCaller, by = 'PARTNER'): Promise<Row[]> {
  const result = await subgraph.query<{ absorption: Row[] }>(
    `{ absorption(projectId: "cells", by: ${by}) { key budget { amount } spent { amount } validated { amount }
      paid { amount } submitted { amount } rate suppressed } }`,
    {},
    { as },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.absorption;
}

const amount = (value: string) => ({ amount: value });

test.each<[string, TestCaller]>([
  ['an anonymous caller', { role: 'anonymous' }],
  ["a partner's member", { role: 'partner-member', org: 'si-several' }],
  ['a finance officer, for its own organisation too', { role: 'finance-officer', org: 'it-single' }],
])('%s does not see a figure of fewer than 3 claims, and is told it is withheld', async (_who, as) => {
  expect(await absorption(as)).toEqual([
    {
      key: 'at-none',
      budget: amount('10000.00'),
      spent: amount('0.00'),
      validated: amount('0.00'),
      paid: amount('0.00'),
      submitted: amount('0.00'),
      rate: '0.0000',
      suppressed: false,
    },
    {
      key: 'it-single',
      budget: amount('10000.00'),
      spent: amount('0.00'),
      validated: amount('0.00'),
      paid: amount('0.00'),
      submitted: null,
      rate: '0.0000',
      suppressed: true,
    },
    {
      key: 'si-several',
      budget: amount('10000.00'),
      spent: null,
      validated: null,
      paid: amount('0.00'),
      submitted: amount('60.00'),
      rate: null,
      suppressed: true,
    },
  ]);
  // The same holds in every dimension: the one country of one claim is withheld as well.
  const byCountry = await absorption(as, 'COUNTRY');
  expect(byCountry.find((row) => row.key === 'IT')).toMatchObject({ submitted: null, suppressed: true });
  expect(JSON.stringify(byCountry)).not.toContain('1234.56');
});

test.each<[string, TestCaller]>([
  ['a controller', { role: 'controller' }],
  ['the coordinator', { role: 'coordinator' }],
  ['an analyst', { role: 'analyst' }],
  ['an admin', { role: 'admin' }],
])('%s, who may read every claim, sees every figure', async (_who, as) => {
  const rows = await absorption(as);
  expect(rows.every((row) => !row.suppressed)).toBe(true);
  expect(rows.find((row) => row.key === 'it-single')).toMatchObject({ submitted: amount('1234.56') });
  expect(rows.find((row) => row.key === 'si-several')).toMatchObject({
    spent: amount('90.00'),
    validated: amount('90.00'),
    rate: '0.0090',
  });
});
