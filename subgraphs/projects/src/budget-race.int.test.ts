import { raceOutcome, startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { projects } from '.';
import { ExpenditureClaim, PartnerBudget, Project, ReportingPeriod, WorkPackage } from './entities';

/**
 * The budget rule under simultaneous requests (issue 17): each test sends 20 requests at once
 * and then checks what is stored, not just what was answered.
 */
let subgraph: TestSubgraph;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const PROJECT = 'race';
const SIMULTANEOUS = 20;

beforeAll(async () => {
  subgraph = await startTestSubgraph(projects);
  const em = subgraph.orm.em.fork();
  em.create(Project, {
    _id: PROJECT,
    acronym: 'RACE',
    title: 'Simultaneous claims',
    reference: 'X/RACE',
    programmeId: 'see-2007-2013',
    priorityAxis: 1,
    strategic: false,
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    status: 'RUNNING',
    totalCents: 100_000_000,
    currency: 'EUR',
    source: 'synthetic',
    searchKeys: ['race'],
  });
  em.create(WorkPackage, {
    _id: 'race-wp1',
    code: 'WP1',
    title: 'Race WP1',
    projectId: PROJECT,
    activities: [],
    deliverables: [],
    milestones: [],
    source: 'synthetic',
  });
  em.create(ReportingPeriod, {
    _id: 'race-p1',
    projectId: PROJECT,
    number: 1,
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    source: 'synthetic',
  });
  await em.flush();
}, 60_000);
afterAll(() => subgraph?.close());

const db = () => subgraph.orm.em.getConnection().getDb();

/**
 * A budget stored as before the running figures existed (none stored), with claims already
 * against it: the first request must sum them rather than start from the full total.
 */
async function legacyBudget(organisationId: string, totalCents: number, claims: number[] = []) {
  const em = subgraph.orm.em.fork();
  em.create(PartnerBudget, {
    _id: `race-${organisationId}`,
    projectId: PROJECT,
    organisationId,
    countryCode: 'IT',
    totalCents,
    erdfCents: 0,
    ipaCents: 0,
    nationalCents: totalCents,
    currency: 'EUR',
    lines: [],
    source: 'synthetic',
    breakdownSource: 'synthetic',
  });
  claims.forEach((amountCents, i) =>
    em.create(ExpenditureClaim, {
      _id: `race-${organisationId}-old-${i}`,
      projectId: PROJECT,
      organisationId,
      periodId: 'race-p1',
      workPackageId: 'race-wp1',
      countryCode: 'IT',
      amountCents,
      currency: 'EUR',
      status: 'SUBMITTED',
      submittedOn: day('2020-06-01'),
      source: 'synthetic',
    }),
  );
  await em.flush();
  expect(
    await db()
      .collection('partnerBudgets')
      .findOne({ _id: `race-${organisationId}` as never }),
  ).not.toHaveProperty('remainingCents');
}

/** What is stored: the live claims' sum, the budget's total and its running remainder. */
async function stored(organisationId: string) {
  const claims = await db()
    .collection('expenditureClaims')
    .find({ projectId: PROJECT, organisationId, archived: false })
    .toArray();
  const budget = (await db()
    .collection('partnerBudgets')
    .findOne({ _id: `race-${organisationId}` as never }))!;
  const [last] = await db()
    .collection('ledger')
    .find({ account: `budget:race-${organisationId}` })
    .sort({ seq: -1 })
    .limit(1)
    .toArray();
  return {
    claimedCents: claims.reduce((sum, c) => sum + (c.amountCents as number), 0),
    claims,
    totalCents: budget.totalCents as number,
    remainingCents: last?.figures.remainingCents as number,
    version: budget.version as number,
  };
}

async function absorbedCents(organisationId: string): Promise<number> {
  const result = await subgraph.query<{ absorption: { key: string; submitted: { amount: string } }[] }>(
    `{ absorption(projectId: "${PROJECT}", by: PARTNER) { key submitted { amount } } }`,
  );
  expect(result.errors).toBeUndefined();
  const row = result.data!.absorption.find((r) => r.key === organisationId)!;
  return Math.round(Number(row.submitted.amount) * 100);
}

const submit = `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id version amount { amount } } }`;
const update = `mutation($id: ID!, $version: Int!, $input: UpdateClaimInput!) { updateClaim(id: $id, version: $version, input: $input) { id version } }`;
const archive = `mutation($id: ID!, $version: Int!) { archiveClaim(id: $id, version: $version) { id } }`;
const setBudget = `mutation($input: SetPartnerBudgetInput!, $version: Int) { setPartnerBudget(input: $input, version: $version) { version total { amount } } }`;

const claim = (organisationId: string, amount: string, extra: Record<string, unknown> = {}) => ({
  input: {
    projectId: PROJECT,
    organisationId,
    periodId: 'race-p1',
    workPackageId: 'race-wp1',
    amount,
    submittedOn: '2020-07-01',
    source: 'synthetic',
    ...extra,
  },
});

const financeOfficer = (org: string) => ({ as: { role: 'finance-officer' as const, org } });

test('20 simultaneous claims against one remainder: the accepted ones never pass it, the others are told what remains', async () => {
  // 1,000.00 with 400.00 claimed already: 600.00 remain, room for exactly six claims of 100.00.
  await legacyBudget('it-one', 100_000, [40_000]);
  const results = await Promise.all(
    Array.from({ length: SIMULTANEOUS }, () =>
      subgraph.query(submit, claim('it-one', '100.00'), financeOfficer('it-one')),
    ),
  );
  const outcome = raceOutcome(results);
  expect(outcome.winners).toBe(6);
  expect(outcome.refusals).toHaveLength(SIMULTANEOUS - 6);
  expect(outcome.refusals.every((r) => r.field === 'input.amount')).toBe(true);
  for (const result of results.filter((r) => r.errors)) {
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    expect(result.errors![0]!.message).toMatch(
      /^input\.amount: is above the remaining budget of it-one: 0\.00 EUR of 1000\.00 remain; give an overrideReason to claim more$/,
    );
  }
  const after = await stored('it-one');
  expect(after.claimedCents).toBe(100_000);
  expect(after.claims).toHaveLength(7);
  expect(after.remainingCents).toBe(0);
  expect(await absorbedCents('it-one')).toBe(100_000);

  // Archiving a claim gives its amount back, once.
  const [won] = results.filter((r) => !r.errors) as unknown as { data: { submitClaim: { id: string } } }[];
  expect(
    (await subgraph.query(archive, { id: won!.data.submitClaim.id, version: 1 })).errors,
  ).toBeUndefined();
  expect(
    (await subgraph.query(archive, { id: won!.data.submitClaim.id, version: 1 })).errors?.[0]?.extensions,
  ).toMatchObject({
    code: 'CONFLICT',
  });
  expect((await stored('it-one')).remainingCents).toBe(10_000);
  expect((await subgraph.query(submit, claim('it-one', '100.01'))).errors?.[0]?.message).toContain(
    '100.00 EUR of 1000.00 remain',
  );
  // With a reason, a claim is accepted whatever remains, and counted.
  const forced = await subgraph.query(
    submit,
    claim('it-one', '500.00', { overrideReason: 'Agreed with the JTS' }),
  );
  expect(forced.errors).toBeUndefined();
  expect(await stored('it-one')).toMatchObject({ claimedCents: 140_000, remainingCents: -40_000 });
  expect((await subgraph.query(submit, claim('it-one', '0.01'))).errors?.[0]?.extensions?.field).toBe(
    'input.amount',
  );
});

test('20 simultaneous raises of claims: the accepted ones never take the claims past the budget', async () => {
  // 300.00 with twenty claims of 10.00: 100.00 remain, room for five raises of 20.00.
  await legacyBudget('it-two', 30_000);
  const ids: string[] = [];
  for (let i = 0; i < SIMULTANEOUS; i++) {
    const result = await subgraph.query<{ submitClaim: { id: string } }>(submit, claim('it-two', '10.00'));
    expect(result.errors).toBeUndefined();
    ids.push(result.data!.submitClaim.id);
  }
  const results = await Promise.all(
    ids.map((id) =>
      subgraph.query(update, { id, version: 1, input: { amount: '30.00' } }, financeOfficer('it-two')),
    ),
  );
  const outcome = raceOutcome(results);
  expect(outcome.winners).toBe(5);
  expect(outcome.refusals).toEqual(
    Array.from({ length: SIMULTANEOUS - 5 }, () => ({ taken: true, field: 'input.amount' })),
  );
  for (const result of results.filter((r) => r.errors)) {
    // What remains for one claim includes what it holds already.
    expect(result.errors![0]!.message).toContain('10.00 EUR of 300.00 remain');
  }
  const after = await stored('it-two');
  expect(after.claimedCents).toBe(30_000);
  expect(after.claims.filter((c) => c.amountCents === 3_000)).toHaveLength(5);
  expect(after.remainingCents).toBe(0);
  expect(await absorbedCents('it-two')).toBe(30_000);
  // Lowering a claim gives back the difference.
  const lowered = ids[results.findIndex((r) => !r.errors)]!;
  expect(
    (await subgraph.query(update, { id: lowered, version: 2, input: { amount: '25.00' } })).errors,
  ).toBeUndefined();
  expect((await stored('it-two')).remainingCents).toBe(500);
});

test('a budget lowered while 20 claims are submitted never ends below the claims without a reason', async () => {
  await legacyBudget('it-three', 100_000);
  const budget = {
    projectId: PROJECT,
    organisationId: 'it-three',
    countryCode: 'IT',
    total: '500.00',
    erdf: '0',
    ipa: '0',
    nationalContribution: '500.00',
    source: 'synthetic',
  };
  // The lowering is sent while the claims are in flight.
  const claims = Array.from({ length: SIMULTANEOUS }, () =>
    subgraph.query(submit, claim('it-three', '50.00')),
  );
  const lowering = subgraph.query<{ setPartnerBudget: { version: number } }>(setBudget, {
    input: budget,
    version: 1,
  });
  const results = await Promise.all(claims);
  const lowered = await lowering;
  const after = await stored('it-three');
  expect(after.claimedCents).toBeLessThanOrEqual(after.totalCents);
  expect(after.remainingCents).toBe(after.totalCents - after.claimedCents);
  expect(raceOutcome(results).winners * 5_000).toBe(after.claimedCents);
  if (lowered.errors) {
    // Refused only because the claims had passed 500.00 already.
    expect(lowered.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.total' });
    expect(after.totalCents).toBe(100_000);
  } else {
    expect(after.totalCents).toBe(50_000);
  }

  // Lowering below what is claimed is refused and changes nothing; raising frees room at once.
  const refused = await subgraph.query(setBudget, {
    input: { ...budget, total: '0.00', nationalContribution: '0' },
    version: after.version,
  });
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.total' });
  expect(await stored('it-three')).toEqual(after);
  const raised = await subgraph.query(setBudget, {
    input: { ...budget, total: '2000.00', nationalContribution: '2000.00' },
    version: after.version,
  });
  expect(raised.errors).toBeUndefined();
  expect((await stored('it-three')).remainingCents).toBe(200_000 - after.claimedCents);
});

describe("a project's partner budgets never add up to more than its total", () => {
  const HEADS = 'heads';
  const budgetInput = (organisationId: string, total: string) => ({
    input: {
      projectId: HEADS,
      organisationId,
      countryCode: 'IT',
      total,
      erdf: '0',
      ipa: '0',
      nationalContribution: total,
      source: 'synthetic',
    },
  });
  const live = async () => {
    const budgets = await db()
      .collection('partnerBudgets')
      .find({ projectId: HEADS, archived: false })
      .toArray();
    const project = (await db()
      .collection('projects')
      .findOne({ _id: HEADS as never }))!;
    return {
      budgets,
      budgetedCents: budgets.reduce((sum, b) => sum + (b.totalCents as number), 0),
      totalCents: project.totalCents as number,
      version: project.version as number,
    };
  };

  beforeAll(async () => {
    const em = subgraph.orm.em.fork();
    em.create(Project, {
      _id: HEADS,
      acronym: 'HEADS',
      title: 'Simultaneous budgets',
      reference: 'X/HEADS',
      programmeId: 'see-2007-2013',
      priorityAxis: 1,
      strategic: false,
      startDate: day('2020-01-01'),
      endDate: day('2020-12-31'),
      status: 'RUNNING',
      totalCents: 100_000,
      currency: 'EUR',
      source: 'synthetic',
      searchKeys: ['heads'],
    });
    await em.flush();
  });

  test('20 simultaneous new budgets against one project total: the accepted ones fit under it', async () => {
    const results = await Promise.all(
      Array.from({ length: SIMULTANEOUS }, (_, i) =>
        subgraph.query(setBudget, budgetInput(`it-p${i}`, '100.00')),
      ),
    );
    const outcome = raceOutcome(results);
    expect(outcome.winners).toBe(10);
    expect(outcome.refusals).toEqual(
      Array.from({ length: SIMULTANEOUS - 10 }, () => ({ taken: true, field: 'input.total' })),
    );
    for (const result of results.filter((r) => r.errors))
      expect(result.errors![0]!.message).toContain('at most 0.00 EUR remains for this organisation');
    expect(await live()).toMatchObject({ budgetedCents: 100_000, totalCents: 100_000 });
  });

  test('budgets archived, created and the project total lowered, all at once: the budgets still fit', async () => {
    const { budgets } = await live();
    const archived = budgets.slice(0, 5);
    const results = await Promise.all([
      ...archived.map((b) =>
        subgraph.query(`mutation($id: ID!) { archivePartnerBudget(id: $id, version: 1) { id } }`, {
          id: b._id,
        }),
      ),
      ...Array.from({ length: 10 }, (_, i) => subgraph.query(setBudget, budgetInput(`si-q${i}`, '100.00'))),
      subgraph.query(
        `mutation { updateProject(id: "${HEADS}", version: 1, input: { totalBudget: "800.00" }) { version } }`,
      ),
    ]);
    expect(results.slice(0, 5).every((r) => !r.errors)).toBe(true);
    const after = await live();
    expect(after.budgetedCents).toBeLessThanOrEqual(after.totalCents);
    const lowered = results[results.length - 1]!;
    expect(after.totalCents).toBe(lowered.errors ? 100_000 : 80_000);
    if (lowered.errors)
      expect(lowered.errors[0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.totalBudget',
      });
    // What is left unbudgeted is exactly what the records say.
    const [last] = await db()
      .collection('ledger')
      .find({ account: `project:${HEADS}` })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    expect(last!.figures.unbudgetedCents).toBe(after.totalCents - after.budgetedCents);
  });
});
