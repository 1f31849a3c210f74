import { randomUUID } from 'node:crypto';
import { searchKeys, slugId } from '@clusterpolisee/kit';
import { identityFor, signForwardedIdentity } from '@clusterpolisee/kit/auth';
import {
  answeredFields,
  FORGED_IDENTITIES,
  startTestSubgraph,
  type TestCaller,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { projects } from '.';
import {
  ExpenditureClaim,
  PartnerBudget,
  Programme,
  Project,
  ReportingPeriod,
  WorkPackage,
} from './entities';

const OWNER = 'it-marche-region';
const OTHER = 'hr-istrian-development-agency';
const PROGRAMME = 'authz-programme';

/** Every kind of caller; "the owner" is the organisation of the claims and budget under test. */
const CALLERS = {
  anonymous: { role: 'anonymous' },
  'partner-member of the owner': { role: 'partner-member', org: OWNER },
  'partner-member of another organisation': { role: 'partner-member', org: OTHER },
  'finance-officer of the owner': { role: 'finance-officer', org: OWNER },
  'finance-officer of another organisation': { role: 'finance-officer', org: OTHER },
  controller: { role: 'controller' },
  coordinator: { role: 'coordinator' },
  analyst: { role: 'analyst' },
  admin: { role: 'admin' },
} satisfies Record<string, TestCaller>;
type CallerName = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as CallerName[];
const OWNER_BOUND: CallerName[] = ['partner-member of the owner', 'finance-officer of the owner'];
const OTHER_BOUND: CallerName[] = [
  'partner-member of another organisation',
  'finance-officer of another organisation',
];

type Refusal = 'UNAUTHENTICATED' | 'FORBIDDEN';
/** How the kit refuses a caller who lacks a scope: anonymous ones must sign in, the others may not. */
const refusalFor = (caller: CallerName): Refusal =>
  caller === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';

let subgraph: TestSubgraph;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

beforeAll(async () => {
  subgraph = await startTestSubgraph(projects);
  const em = subgraph.orm.em.fork();
  em.create(Programme, {
    _id: PROGRAMME,
    name: 'Authorization test programme',
    acronym: 'ATP',
    cci: '2007XX000PO000',
    priorityAxes: [{ number: 1, title: 'Innovation' }],
    source: 'synthetic',
  });
  await em.flush();
}, 60_000);
afterAll(() => subgraph.close());

/** One small project of its own per test: a budget and claims of the owner, a claim of another organisation. */
interface World {
  projectId: string;
  workPackageId: string;
  periodId: string;
  ownerBudgetId: string;
  submittedClaimId: string;
  validatedClaimId: string;
  otherClaimId: string;
}

let worlds = 0;

/** Written straight to the database, outside any request: as seeding does, with no audit entry. */
async function newWorld(): Promise<World> {
  const projectId = `authz-${++worlds}`;
  const world: World = {
    projectId,
    workPackageId: `${projectId}-wp1`,
    periodId: `${projectId}-p1`,
    ownerBudgetId: slugId(projectId, OWNER),
    submittedClaimId: `${projectId}-submitted`,
    validatedClaimId: `${projectId}-validated`,
    otherClaimId: `${projectId}-other`,
  };
  const em = subgraph.orm.em.fork();
  const acronym = `AUTHZ${worlds}`;
  const title = `Authorization fixture ${worlds}`;
  const reference = `T/${worlds}`;
  em.create(Project, {
    _id: projectId,
    acronym,
    title,
    reference,
    programmeId: PROGRAMME,
    priorityAxis: 1,
    strategic: false,
    startDate: day('2020-01-01'),
    endDate: day('2020-12-31'),
    status: 'RUNNING',
    totalCents: 200_000,
    currency: 'EUR',
    source: 'synthetic',
    searchKeys: searchKeys(acronym, title, reference),
  });
  em.create(WorkPackage, {
    _id: world.workPackageId,
    code: 'WP1',
    title: 'Fixture work package',
    projectId,
    activities: [],
    deliverables: [],
    milestones: [],
    source: 'synthetic',
  });
  em.create(ReportingPeriod, {
    _id: world.periodId,
    projectId,
    number: 1,
    startDate: day('2020-01-01'),
    endDate: day('2020-06-30'),
    source: 'synthetic',
  });
  const budget = { projectId, currency: 'EUR', lines: [], source: 'synthetic', breakdownSource: 'synthetic' };
  em.create(PartnerBudget, {
    ...budget,
    _id: world.ownerBudgetId,
    organisationId: OWNER,
    countryCode: 'IT',
    totalCents: 60_000,
    erdfCents: 51_000,
    ipaCents: 0,
    nationalCents: 9_000,
  });
  em.create(PartnerBudget, {
    ...budget,
    _id: slugId(projectId, OTHER),
    organisationId: OTHER,
    countryCode: 'HR',
    totalCents: 40_000,
    erdfCents: 0,
    ipaCents: 34_000,
    nationalCents: 6_000,
  });
  const claim = {
    projectId,
    periodId: world.periodId,
    workPackageId: world.workPackageId,
    currency: 'EUR',
    submittedOn: day('2020-07-01'),
    source: 'synthetic',
  };
  em.create(ExpenditureClaim, {
    ...claim,
    _id: world.submittedClaimId,
    organisationId: OWNER,
    countryCode: 'IT',
    amountCents: 10_000,
    status: 'SUBMITTED',
  });
  em.create(ExpenditureClaim, {
    ...claim,
    _id: world.validatedClaimId,
    organisationId: OWNER,
    countryCode: 'IT',
    amountCents: 20_000,
    status: 'VALIDATED',
    controller: 'A. Controller',
    validatedOn: day('2020-07-15'),
  });
  em.create(ExpenditureClaim, {
    ...claim,
    _id: world.otherClaimId,
    organisationId: OTHER,
    countryCode: 'HR',
    amountCents: 5_000,
    status: 'SUBMITTED',
  });
  await em.flush();
  return world;
}

/** Reads as an admin, who sees everything, to show what a refused caller did or did not change. */
async function asAdmin<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
  const result = await subgraph.query<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

async function auditEntryCount(recordId?: string): Promise<number> {
  const data = await asAdmin<{ projectsAuditLog: { totalCount: number } }>(
    `query($recordId: ID) { projectsAuditLog(recordId: $recordId, first: 1) { totalCount } }`,
    { recordId },
  );
  return data.projectsAuditLog.totalCount;
}

const claimQuery = `query($id: ID!) { claim(id: $id) { id organisation { id } amount { amount } status controller validatedOn version archived } }`;

describe('cross-partner writes', () => {
  const financeOfficer = (org: string): TestCaller => ({ role: 'finance-officer', org, sub: `fo-${org}` });

  test.each([
    ['a finance officer', financeOfficer(OTHER)],
    ['a partner member', { role: 'partner-member', org: OTHER } as TestCaller],
  ])("%s of another organisation can neither update nor archive the owner's claim", async (_who, caller) => {
    const world = await newWorld();
    const before = await asAdmin(claimQuery, { id: world.submittedClaimId });
    const update = await subgraph.query(
      `mutation($id: ID!) { updateClaim(id: $id, version: 1, input: { amount: "1.00" }) { id } }`,
      { id: world.submittedClaimId },
      { as: caller },
    );
    const archive = await subgraph.query(
      `mutation($id: ID!) { archiveClaim(id: $id, version: 1) { id } }`,
      { id: world.submittedClaimId },
      { as: caller },
    );
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(archive.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await asAdmin(claimQuery, { id: world.submittedClaimId })).toEqual(before);
    expect(await auditEntryCount(world.submittedClaimId)).toBe(0);
  });

  test("a finance officer cannot submit a claim for another organisation, and learns nothing of that one's budget", async () => {
    const world = await newWorld();
    const before = await subgraph.storedDocuments();
    const submit = (amount: string) =>
      subgraph.query(
        `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id } }`,
        {
          input: {
            projectId: world.projectId,
            organisationId: OTHER,
            periodId: world.periodId,
            workPackageId: world.workPackageId,
            amount,
            source: 'synthetic',
          },
        },
        { as: financeOfficer(OWNER) },
      );
    const within = await submit('1.00');
    // Above what the other organisation has left: the answer must not say how much that is.
    const above = await submit('999.00');
    for (const result of [within, above]) {
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(result.errors?.[0]?.message).toContain(OTHER);
      expect(result.errors?.[0]?.message).not.toMatch(/remain|350\.00|400\.00/);
    }
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test("a finance officer cannot hand its own claim to another organisation: the claim's owner is not an input", async () => {
    const world = await newWorld();
    const before = await asAdmin(claimQuery, { id: world.submittedClaimId });
    const result = await subgraph.query(
      `mutation($id: ID!) { updateClaim(id: $id, version: 1, input: { organisationId: "${OTHER}" }) { id } }`,
      { id: world.submittedClaimId },
      { as: financeOfficer(OWNER) },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await asAdmin(claimQuery, { id: world.submittedClaimId })).toEqual(before);
  });

  test("a partner asking for another organisation's claims by filter gets none, not even a count", async () => {
    const world = await newWorld();
    const result = await subgraph.query<{ claims: { totalCount: number; nodes: unknown[] } }>(
      `query($p: ID!, $org: ID!) { claims(projectId: $p, filter: { organisationId: $org }) { totalCount nodes { id } } }`,
      { p: world.projectId, org: OTHER },
      { as: financeOfficer(OWNER) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.claims).toEqual({ totalCount: 0, nodes: [] });
  });

  test('a finance officer corrects and withdraws its own submitted claim, pages through its own claims only', async () => {
    const world = await newWorld();
    const me = financeOfficer(OWNER);
    const updated = await subgraph.query<{ updateClaim: { amount: { amount: string }; version: number } }>(
      `mutation($id: ID!) { updateClaim(id: $id, version: 1, input: { amount: "120.00" }) { amount { amount } version } }`,
      { id: world.submittedClaimId },
      { as: me },
    );
    expect(updated.data?.updateClaim).toEqual({ amount: { amount: '120.00' }, version: 2 });
    const page = await subgraph.query<{
      claims: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } };
    }>(
      `query($p: ID!) { claims(projectId: $p, first: 1, orderBy: { field: AMOUNT, direction: DESC }) { totalCount nodes { id } pageInfo { hasNextPage } } }`,
      { p: world.projectId },
      { as: me },
    );
    // Ordered by amount the other organisation's claim would come last: a count of 2 shows it is left out.
    expect(page.data?.claims).toEqual({
      totalCount: 2,
      nodes: [{ id: world.validatedClaimId }],
      pageInfo: { hasNextPage: true },
    });
    const withdrawn = await subgraph.query<{ archiveClaim: { archived: boolean } }>(
      `mutation($id: ID!) { archiveClaim(id: $id, version: 2) { archived } }`,
      { id: world.submittedClaimId },
      { as: me },
    );
    expect(withdrawn.data?.archiveClaim).toEqual({ archived: true });
  });
});

describe('requests that bypass the gateway', () => {
  const archive = `mutation($id: ID!) { archiveClaim(id: $id, version: 1) { id } }`;
  const admin = identityFor('intruder', 'admin');

  test.each(FORGED_IDENTITIES)('%s: HTTP 401, UNAUTHENTICATED, nothing changed', async (_case, forge) => {
    const world = await newWorld();
    const before = await subgraph.storedDocuments();
    const result = await subgraph.query(archive, { id: world.submittedClaimId }, await forge(subgraph));
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test('the same request signed by the gateway goes through', async () => {
    const world = await newWorld();
    const result = await subgraph.query(
      archive,
      { id: world.submittedClaimId },
      {
        unsigned: true,
        headers: {
          'x-hub-identity': await signForwardedIdentity(
            admin,
            subgraph.identityKey,
            'projects',
            randomUUID(),
          ),
        },
      },
    );
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });
});

describe('the audit trail', () => {
  const financeOfficer: TestCaller = { role: 'finance-officer', org: OWNER, sub: 'fo-marche' };
  const controller: TestCaller = { role: 'controller', sub: 'flc-ana' };
  const auditLog = `query($id: ID!) { projectsAuditLog(recordType: "ExpenditureClaim", recordId: $id) {
    totalCount nodes { id at subgraph actor actorRole actorOrganisationId requestId action recordType recordId
    changes { field before after } } } }`;
  interface Entry {
    actor: string;
    actorRole: string;
    actorOrganisationId: string | null;
    action: string;
    recordType: string;
    recordId: string;
    subgraph: string;
    requestId: string | null;
    at: string;
    changes: { field: string; before: string | null; after: string | null }[];
  }
  const change = (entry: Entry, field: string) => entry.changes.find((c) => c.field === field);

  let world: World;
  let claimId: string;

  beforeAll(async () => {
    world = await newWorld();
    const submitted = await subgraph.query<{ submitClaim: { id: string } }>(
      `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id } }`,
      {
        input: {
          projectId: world.projectId,
          organisationId: OWNER,
          periodId: world.periodId,
          workPackageId: world.workPackageId,
          amount: '100.00',
          submittedOn: '2020-07-20',
          source: 'synthetic',
        },
      },
      { as: financeOfficer },
    );
    expect(submitted.errors).toBeUndefined();
    claimId = submitted.data!.submitClaim.id;
    const updated = await subgraph.query(
      `mutation($id: ID!) { updateClaim(id: $id, version: 1, input: { amount: "150.00" }) { id } }`,
      { id: claimId },
      { as: financeOfficer },
    );
    expect(updated.errors).toBeUndefined();
    const validated = await subgraph.query(
      `mutation($id: ID!) { validateClaim(id: $id, version: 2, controller: "Dr. Ana Example", validatedOn: "2020-08-01") { id } }`,
      { id: claimId },
      { as: controller },
    );
    expect(validated.errors).toBeUndefined();
  });

  test.each([
    ['coordinator', { role: 'coordinator' } as TestCaller],
    ['controller', { role: 'controller' } as TestCaller],
  ])(
    'the %s reads who did what to a claim, newest first, each changed field before and after',
    async (_who, caller) => {
      const result = await subgraph.query<{ projectsAuditLog: { totalCount: number; nodes: Entry[] } }>(
        auditLog,
        { id: claimId },
        { as: caller },
      );
      expect(result.errors).toBeUndefined();
      const { totalCount, nodes } = result.data!.projectsAuditLog;
      expect(totalCount).toBe(3);
      const [validation, correction, creation] = nodes;
      for (const entry of nodes) {
        expect(entry).toMatchObject({
          subgraph: 'projects',
          recordType: 'ExpenditureClaim',
          recordId: claimId,
        });
        expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
        expect(entry.requestId).toEqual(expect.any(String));
      }
      expect(creation).toMatchObject({
        action: 'CREATE',
        actor: 'fo-marche',
        actorRole: 'finance-officer',
        actorOrganisationId: OWNER,
      });
      expect(change(creation!, 'organisationId')).toEqual({
        field: 'organisationId',
        before: null,
        after: `"${OWNER}"`,
      });
      expect(change(creation!, 'amountCents')).toEqual({
        field: 'amountCents',
        before: null,
        after: '10000',
      });
      expect(correction).toMatchObject({
        action: 'UPDATE',
        actor: 'fo-marche',
        actorRole: 'finance-officer',
        actorOrganisationId: OWNER,
      });
      expect(change(correction!, 'amountCents')).toEqual({
        field: 'amountCents',
        before: '10000',
        after: '15000',
      });
      expect(change(correction!, 'version')).toEqual({ field: 'version', before: '1', after: '2' });
      // The certificate's name is data; who validated is the signed-in controller.
      expect(validation).toMatchObject({
        action: 'UPDATE',
        actor: 'flc-ana',
        actorRole: 'controller',
        actorOrganisationId: null,
      });
      expect(change(validation!, 'status')).toEqual({
        field: 'status',
        before: '"SUBMITTED"',
        after: '"VALIDATED"',
      });
      expect(change(validation!, 'controller')).toEqual({
        field: 'controller',
        before: null,
        after: '"Dr. Ana Example"',
      });
      expect(validation!.changes.map((c) => c.field)).not.toContain('amountCents');
    },
  );

  test.each([
    ['a partner member', { role: 'partner-member', org: OWNER } as TestCaller, 'FORBIDDEN'],
    ['a finance officer', financeOfficer, 'FORBIDDEN'],
    ['an analyst', { role: 'analyst' } as TestCaller, 'FORBIDDEN'],
    ['an anonymous caller', { role: 'anonymous' } as TestCaller, 'UNAUTHENTICATED'],
  ])('%s may not read it', async (_who, caller, code) => {
    const result = await subgraph.query(auditLog, { id: claimId }, { as: caller });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(answeredFields(result)).toEqual([]);
  });

  test('a refused mutation leaves no entry', async () => {
    const entries = await auditEntryCount(claimId);
    const everywhere = await auditEntryCount();
    const refusedByRecordRule = await subgraph.query(
      `mutation($id: ID!) { archiveClaim(id: $id, version: 3) { id } }`,
      { id: claimId },
      { as: { role: 'finance-officer', org: OTHER } },
    );
    const refusedByScope = await subgraph.query(
      `mutation($id: ID!) { markClaimPaid(id: $id, version: 3) { id } }`,
      { id: claimId },
      { as: controller },
    );
    // Its own partner may not withdraw a validated claim.
    const refusedByStatus = await subgraph.query(
      `mutation($id: ID!) { archiveClaim(id: $id, version: 3) { id } }`,
      { id: claimId },
      { as: financeOfficer },
    );
    for (const result of [refusedByRecordRule, refusedByScope, refusedByStatus])
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await auditEntryCount(claimId)).toBe(entries);
    expect(await auditEntryCount()).toBe(everywhere);
  });
});

describe('MongoDB operators smuggled into arguments', () => {
  const operators = ['{"$ne": null}', '{"$gt": ""}', '{"$regex": ".*"}', '$where'];
  let world: World;
  beforeAll(async () => {
    world = await newWorld();
  });

  test.each(operators)('%s as a key finds nothing', async (operator) => {
    const data = await asAdmin<Record<string, unknown>>(
      `query($x: ID!) { claim(id: $x) { id } project(id: $x) { id } workPackage(id: $x) { id } programme(id: $x) { id }
        workPackages(projectId: $x) { id } reportingPeriods(projectId: $x) { id }
        claims(projectId: $x) { totalCount } partnerBudgets(projectId: $x) { totalCount }
        partnerBudget(id: $x) { id } reportingPeriod(id: $x) { id } }`,
      { x: operator },
    );
    expect(data).toEqual({
      claim: null,
      project: null,
      workPackage: null,
      programme: null,
      partnerBudget: null,
      reportingPeriod: null,
      workPackages: [],
      reportingPeriods: [],
      claims: { totalCount: 0 },
      partnerBudgets: { totalCount: 0 },
    });
  });

  test.each(operators)('%s as a filter value matches literally, so nothing', async (operator) => {
    const data = await asAdmin<Record<string, unknown>>(
      `query($p: ID!, $x: ID!) {
        byOrganisation: claims(projectId: $p, filter: { organisationId: $x }) { totalCount }
        byPeriod: claims(projectId: $p, filter: { periodId: $x }) { totalCount }
        byWorkPackage: claims(projectId: $p, filter: { workPackageId: $x }) { totalCount }
        budgets: partnerBudgets(projectId: $p, filter: { organisationId: $x }) { totalCount } }`,
      { p: world.projectId, x: operator },
    );
    expect(data).toEqual({
      byOrganisation: { totalCount: 0 },
      byPeriod: { totalCount: 0 },
      byWorkPackage: { totalCount: 0 },
      budgets: { totalCount: 0 },
    });
  });

  test('a partner cannot widen its claims with an operator in the organisation filter', async () => {
    const result = await subgraph.query<{ claims: { totalCount: number } }>(
      `query($p: ID!) { claims(projectId: $p, filter: { organisationId: "{\\"$ne\\": null}" }) { totalCount } }`,
      { p: world.projectId },
      { as: { role: 'partner-member', org: OWNER } },
    );
    expect(result.data?.claims).toEqual({ totalCount: 0 });
  });

  test('search text is never a pattern: regex characters are dropped, $where is a word', async () => {
    const count = async (search: string) =>
      (
        await asAdmin<{ projects: { totalCount: number } }>(
          `query($s: String) { projects(filter: { search: $s }) { totalCount } }`,
          { s: search },
        )
      ).projects.totalCount;
    const all = (await asAdmin<{ projects: { totalCount: number } }>(`{ projects { totalCount } }`)).projects
      .totalCount;
    expect(all).toBeGreaterThan(0);
    // As a regex `^a.*z` would match "authz..."; folded it is the words "a z", which nothing starts with.
    expect(await count('a.*z')).toBe(0);
    expect(await count('authz')).toBe(all);
    expect(await count('$where')).toBe(0);
    expect(await count('{"$ne": null}')).toBe(0);
    // Only punctuation folds to no search at all: the whole list, as without a filter, not a pattern.
    expect(await count('.*')).toBe(all);
  });

  test.each([
    [
      'updateClaim',
      `mutation($x: ID!) { updateClaim(id: $x, version: 1, input: { amount: "1.00" }) { id } }`,
    ],
    ['archiveClaim', `mutation($x: ID!) { archiveClaim(id: $x, version: 1) { id } }`],
    [
      'validateClaim',
      `mutation($x: ID!) { validateClaim(id: $x, version: 1, controller: "C", validatedOn: "2020-08-01") { id } }`,
    ],
    ['markClaimPaid', `mutation($x: ID!) { markClaimPaid(id: $x, version: 1) { id } }`],
    ['archiveProject', `mutation($x: ID!) { archiveProject(id: $x, version: 1) { id } }`],
    [
      'updateWorkPackage',
      `mutation($x: ID!) { updateWorkPackage(id: $x, version: 1, input: { title: "T" }) { id } }`,
    ],
    ['archivePartnerBudget', `mutation($x: ID!) { archivePartnerBudget(id: $x, version: 1) { id } }`],
  ])('%s of an operator-looking id is NOT_FOUND and changes nothing', async (_mutation, document) => {
    const before = await subgraph.storedDocuments();
    for (const operator of operators) {
      const result = await subgraph.query(document, { x: operator });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', key: operator });
    }
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test('submitClaim with operator-looking references is refused as bad input and changes nothing', async () => {
    const before = await subgraph.storedDocuments();
    const valid = {
      projectId: world.projectId,
      organisationId: OWNER,
      periodId: world.periodId,
      workPackageId: world.workPackageId,
      amount: '1.00',
      source: 'synthetic',
    };
    for (const field of ['projectId', 'periodId', 'workPackageId', 'organisationId'] as const) {
      const result = await subgraph.query(
        `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id } }`,
        {
          input: { ...valid, [field]: '{"$ne": null}' },
        },
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: `input.${field}`,
      });
    }
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test.each([
    ['an id', `query($x: ID!) { claim(id: $x) { id } }`, { x: { $ne: null } }],
    ['a mutation id', `mutation($x: ID!) { archiveClaim(id: $x, version: 1) { id } }`, { x: { $gt: '' } }],
    [
      'a filter value',
      `query($f: ExpenditureClaimFilter) { claims(projectId: "p", filter: $f) { totalCount } }`,
      {
        f: { organisationId: { $ne: null } },
      },
    ],
    [
      'a search text',
      `query($f: ProjectFilter) { projects(filter: $f) { totalCount } }`,
      {
        f: { search: { $regex: '.*' } },
      },
    ],
    [
      'an input field',
      `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id } }`,
      {
        input: {
          projectId: { $ne: null },
          organisationId: OWNER,
          periodId: 'p',
          workPackageId: 'w',
          amount: '1.00',
          source: 'synthetic',
        },
      },
    ],
  ])(
    'a JSON object sent as %s is refused by GraphQL before any resolver',
    async (_where, document, variables) => {
      const before = await subgraph.storedDocuments();
      subgraph.commands.reset();
      const result = await subgraph.query(document, variables);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.data ?? null).toBeNull();
      // No resolver ran: not one command reached the database.
      expect(subgraph.commands.names()).toEqual([]);
      expect(await subgraph.storedDocuments()).toEqual(before);
    },
  );

  test('an object literal written into the document where a string belongs fails validation', async () => {
    subgraph.commands.reset();
    const result = await subgraph.query(`{ claim(id: { ne: null }) { id } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(subgraph.commands.names()).toEqual([]);
  });
});
describe('each protected or public field against each caller', () => {
  let world: World;
  beforeAll(async () => {
    world = await newWorld();
    // One audited change, for the audit trail to show.
    await asAdmin(
      `mutation($id: ID!) { updateProject(id: $id, version: 1, input: { title: "Audited" }) { id } }`,
      {
        id: world.projectId,
      },
    );
  });

  interface FieldCase {
    field: string;
    query: string;
    variables: (w: World) => Record<string, unknown>;
    /** What the caller sees, made comparable (ids, mostly). */
    seen: (data: Record<string, unknown>, w: World) => unknown;
    expected: (caller: CallerName, w: World) => unknown;
  }

  const ids = (nodes: { id: string }[]) => nodes.map((node) => node.id).sort();
  const ownersClaims = (w: World) => [w.submittedClaimId, w.validatedClaimId].sort();
  /** A single claim of the owner: its organisation's people and the project-wide roles see it. */
  const ownerClaimTo = (caller: CallerName, w: World) =>
    caller === 'anonymous'
      ? 'UNAUTHENTICATED'
      : OTHER_BOUND.includes(caller)
        ? 'FORBIDDEN'
        : [w.submittedClaimId];

  const cases: FieldCase[] = [
    {
      field: 'Query.claims (list and totalCount)',
      query: `query($p: ID!) { claims(projectId: $p) { totalCount nodes { id } } }`,
      variables: (w) => ({ p: w.projectId }),
      seen: (data) => {
        const { claims } = data as { claims: { totalCount: number; nodes: { id: string }[] } };
        return { totalCount: claims.totalCount, ids: ids(claims.nodes) };
      },
      expected: (caller, w) => {
        if (caller === 'anonymous') return 'UNAUTHENTICATED';
        const visible = OWNER_BOUND.includes(caller)
          ? ownersClaims(w)
          : OTHER_BOUND.includes(caller)
            ? [w.otherClaimId]
            : [...ownersClaims(w), w.otherClaimId].sort();
        return { totalCount: visible.length, ids: visible };
      },
    },
    {
      field: 'Query.claim',
      query: `query($id: ID!) { claim(id: $id) { id amount { amount } } }`,
      variables: (w) => ({ id: w.submittedClaimId }),
      seen: (data) => [(data as { claim: { id: string } }).claim.id],
      expected: ownerClaimTo,
    },
    {
      field: 'ExpenditureClaim by reference (_entities)',
      query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ExpenditureClaim { id amount { amount } } } }`,
      variables: (w) => ({ representations: [{ __typename: 'ExpenditureClaim', id: w.submittedClaimId }] }),
      seen: (data) => ids((data as { _entities: { id: string }[] })._entities),
      expected: ownerClaimTo,
    },
    {
      field: "Organisation.claims (the owner's)",
      query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { claims { id } } } }`,
      variables: () => ({ representations: [{ __typename: 'Organisation', id: OWNER }] }),
      // The owner has claims in every test's project; this one's are those to compare.
      seen: (data, w) =>
        ids((data as { _entities: { claims: { id: string }[] }[] })._entities[0]!.claims).filter((id) =>
          id.startsWith(`${w.projectId}-`),
        ),
      expected: (caller, w) =>
        caller === 'anonymous' ? 'UNAUTHENTICATED' : OTHER_BOUND.includes(caller) ? [] : ownersClaims(w),
    },
    {
      field: 'Query.projectsAuditLog',
      query: `query($id: ID!) { projectsAuditLog(recordId: $id) { totalCount nodes { action recordType actor } } }`,
      variables: (w) => ({ id: w.projectId }),
      seen: (data) => (data as { projectsAuditLog: unknown }).projectsAuditLog,
      expected: (caller) =>
        ['controller', 'coordinator', 'admin'].includes(caller)
          ? { totalCount: 1, nodes: [{ action: 'UPDATE', recordType: 'Project', actor: 'test-admin' }] }
          : refusalFor(caller),
    },
    {
      // Public by choice: the programme publishes absorption; sums never show a single claim.
      // Each figure here sums one claim (or none): withheld from all but those who may read
      // every claim anyway, while a figure of none stays 0.00.
      field: 'Query.absorption (public)',
      query: `query($p: ID!) { absorption(projectId: $p, by: PARTNER) { key spent { amount } submitted { amount } suppressed } }`,
      variables: (w) => ({ p: w.projectId }),
      seen: (data) => (data as { absorption: unknown }).absorption,
      expected: (caller) =>
        caller === 'anonymous' || OWNER_BOUND.includes(caller) || OTHER_BOUND.includes(caller)
          ? [
              { key: OTHER, spent: { amount: '0.00' }, submitted: null, suppressed: true },
              { key: OWNER, spent: null, submitted: null, suppressed: true },
            ]
          : [
              { key: OTHER, spent: { amount: '0.00' }, submitted: { amount: '50.00' }, suppressed: false },
              { key: OWNER, spent: { amount: '200.00' }, submitted: { amount: '100.00' }, suppressed: false },
            ],
    },
    {
      // Public as Query.partnerBudgets, the list it belongs to: the programme publishes budgets.
      field: 'Query.partnerBudget (public)',
      query: `query($id: ID!) { partnerBudget(id: $id) { id organisation { id } total { amount } } }`,
      variables: (w) => ({ id: w.ownerBudgetId }),
      seen: (data) => (data as { partnerBudget: unknown }).partnerBudget,
      expected: (_caller, w) => ({
        id: w.ownerBudgetId,
        organisation: { id: OWNER },
        total: { amount: '600.00' },
      }),
    },
    {
      // Public as Query.reportingPeriods, the list it belongs to.
      field: 'Query.reportingPeriod (public)',
      query: `query($id: ID!) { reportingPeriod(id: $id) { id number project { id } } }`,
      variables: (w) => ({ id: w.periodId }),
      seen: (data) => (data as { reportingPeriod: unknown }).reportingPeriod,
      expected: (_caller, w) => ({ id: w.periodId, number: 1, project: { id: w.projectId } }),
    },
  ];

  const table = cases.flatMap((fieldCase) =>
    CALLER_NAMES.map((caller) => [fieldCase.field, caller, fieldCase] as const),
  );

  test.each(table)('%s by %s', async (_field, caller, fieldCase) => {
    const result = await subgraph.query(fieldCase.query, fieldCase.variables(world), { as: CALLERS[caller] });
    const expected = fieldCase.expected(caller, world);
    if (expected === 'UNAUTHENTICATED' || expected === 'FORBIDDEN') {
      expect(result.errors?.[0]?.extensions?.code).toBe(expected);
      // Nothing of the refused record reaches the caller.
      expect(JSON.stringify(result.data ?? null)).not.toMatch(world.projectId);
    } else {
      expect(result.errors).toBeUndefined();
      expect(fieldCase.seen(result.data!, world)).toEqual(expected);
    }
  });

  test("another organisation's claims are not even asked of the database", async () => {
    const claimsOfOwner = async (caller: TestCaller) => {
      subgraph.commands.reset();
      const result = await subgraph.query(
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { claims { id } } } }`,
        { representations: [{ __typename: 'Organisation', id: OWNER }] },
        { as: caller },
      );
      expect(result.errors).toBeUndefined();
      return subgraph.commands.names();
    };
    expect(await claimsOfOwner(CALLERS['partner-member of another organisation'])).toEqual([]);
    expect(await claimsOfOwner(CALLERS['partner-member of the owner'])).toContain('find expenditureClaims');
  });
});

describe('each mutation against each caller', () => {
  const PROJECT_WRITERS: CallerName[] = ['coordinator', 'admin'];
  const CLAIM_SUBMITTERS: CallerName[] = ['finance-officer of the owner', 'coordinator', 'admin'];

  interface MutationCase {
    mutation: string;
    /** Who may; everyone else is refused. */
    allowed: CallerName[];
    document: string;
    variables: (w: World) => Record<string, unknown>;
    /** A query (and its variables) reading back what the mutation would change. */
    readBack: (w: World) => [string, Record<string, unknown>];
  }

  const newProjectAcronym = (w: World) => `NEW-${w.projectId}`;
  const projectBack = (w: World): [string, Record<string, unknown>] => [
    `query($id: ID!) { project(id: $id) { title version archived } }`,
    { id: w.projectId },
  ];
  const workPackageBack = (w: World): [string, Record<string, unknown>] => [
    `query($id: ID!) { workPackage(id: $id) { title version archived } }`,
    { id: w.workPackageId },
  ];
  const claimBack =
    (claim: 'submittedClaimId' | 'validatedClaimId') =>
    (w: World): [string, Record<string, unknown>] => [claimQuery, { id: w[claim] }];

  const cases: MutationCase[] = [
    {
      mutation: 'createProject',
      allowed: PROJECT_WRITERS,
      document: `mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }`,
      variables: (w) => ({
        input: {
          acronym: newProjectAcronym(w),
          title: 'A project someone adds',
          reference: `NEW/${w.projectId}`,
          programmeId: PROGRAMME,
          priorityAxis: 1,
          startDate: '2021-01-01',
          endDate: '2021-12-31',
          totalBudget: '1000.00',
          source: 'synthetic',
        },
      }),
      readBack: (w) => [`query($id: ID!) { project(id: $id) { id } }`, { id: slugId(newProjectAcronym(w)) }],
    },
    {
      mutation: 'updateProject',
      allowed: PROJECT_WRITERS,
      document: `mutation($id: ID!) { updateProject(id: $id, version: 1, input: { title: "Renamed" }) { id } }`,
      variables: (w) => ({ id: w.projectId }),
      readBack: projectBack,
    },
    {
      mutation: 'archiveProject',
      allowed: PROJECT_WRITERS,
      document: `mutation($id: ID!) { archiveProject(id: $id, version: 1) { id } }`,
      variables: (w) => ({ id: w.projectId }),
      readBack: projectBack,
    },
    {
      mutation: 'createWorkPackage',
      allowed: PROJECT_WRITERS,
      document: `mutation($input: CreateWorkPackageInput!) { createWorkPackage(input: $input) { id } }`,
      variables: (w) => ({
        input: { projectId: w.projectId, code: 'WP2', title: 'Added', source: 'synthetic' },
      }),
      readBack: (w) => [
        `query($p: ID!) { workPackages(projectId: $p, includeArchived: true) { code } }`,
        { p: w.projectId },
      ],
    },
    {
      mutation: 'updateWorkPackage',
      allowed: PROJECT_WRITERS,
      document: `mutation($id: ID!) { updateWorkPackage(id: $id, version: 1, input: { title: "Renamed" }) { id } }`,
      variables: (w) => ({ id: w.workPackageId }),
      readBack: workPackageBack,
    },
    {
      mutation: 'archiveWorkPackage',
      allowed: PROJECT_WRITERS,
      document: `mutation($id: ID!) { archiveWorkPackage(id: $id, version: 1) { id } }`,
      variables: (w) => ({ id: w.workPackageId }),
      readBack: workPackageBack,
    },
    {
      // The owner's people raising their own budget is the case that matters.
      mutation: "setPartnerBudget (the owner's)",
      allowed: PROJECT_WRITERS,
      document: `mutation($input: SetPartnerBudgetInput!) { setPartnerBudget(input: $input, version: 1) { id } }`,
      variables: (w) => ({
        input: {
          projectId: w.projectId,
          organisationId: OWNER,
          countryCode: 'IT',
          total: '700.00',
          erdf: '595.00',
          ipa: '0.00',
          nationalContribution: '105.00',
          source: 'synthetic',
        },
      }),
      readBack: (w) => [
        `query($p: ID!) { partnerBudgets(projectId: $p, filter: { includeArchived: true }) { nodes { id total { amount } version archived } } }`,
        { p: w.projectId },
      ],
    },
    {
      mutation: "archivePartnerBudget (the owner's)",
      allowed: PROJECT_WRITERS,
      document: `mutation($id: ID!) { archivePartnerBudget(id: $id, version: 1) { id } }`,
      variables: (w) => ({ id: w.ownerBudgetId }),
      readBack: (w) => [
        `query($p: ID!) { partnerBudgets(projectId: $p, filter: { includeArchived: true }) { nodes { id version archived } } }`,
        { p: w.projectId },
      ],
    },
    {
      mutation: 'submitClaim (for the owner)',
      allowed: CLAIM_SUBMITTERS,
      document: `mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id } }`,
      variables: (w) => ({
        input: {
          projectId: w.projectId,
          organisationId: OWNER,
          periodId: w.periodId,
          workPackageId: w.workPackageId,
          amount: '100.00',
          submittedOn: '2020-07-20',
          source: 'synthetic',
        },
      }),
      readBack: (w) => [
        `query($p: ID!) { claims(projectId: $p, first: 100, filter: { includeArchived: true }) { totalCount nodes { id } } }`,
        { p: w.projectId },
      ],
    },
    {
      mutation: "updateClaim (the owner's)",
      allowed: CLAIM_SUBMITTERS,
      document: `mutation($id: ID!) { updateClaim(id: $id, version: 1, input: { amount: "150.00" }) { id } }`,
      variables: (w) => ({ id: w.submittedClaimId }),
      readBack: claimBack('submittedClaimId'),
    },
    {
      mutation: "validateClaim (the owner's)",
      allowed: ['controller', 'admin'],
      document: `mutation($id: ID!) { validateClaim(id: $id, version: 1, controller: "B. Controller", validatedOn: "2020-08-01") { id } }`,
      variables: (w) => ({ id: w.submittedClaimId }),
      readBack: claimBack('submittedClaimId'),
    },
    {
      mutation: "markClaimPaid (the owner's)",
      allowed: ['coordinator', 'admin'],
      document: `mutation($id: ID!) { markClaimPaid(id: $id, version: 1) { id } }`,
      variables: (w) => ({ id: w.validatedClaimId }),
      readBack: claimBack('validatedClaimId'),
    },
    {
      mutation: "archiveClaim (the owner's, submitted)",
      allowed: CLAIM_SUBMITTERS,
      document: `mutation($id: ID!) { archiveClaim(id: $id, version: 1) { id } }`,
      variables: (w) => ({ id: w.submittedClaimId }),
      readBack: claimBack('submittedClaimId'),
    },
    {
      // Certified spend: its partner may not make it disappear.
      mutation: "archiveClaim (the owner's, validated)",
      allowed: ['coordinator', 'admin'],
      document: `mutation($id: ID!) { archiveClaim(id: $id, version: 1) { id } }`,
      variables: (w) => ({ id: w.validatedClaimId }),
      readBack: claimBack('validatedClaimId'),
    },
  ];

  const table = cases.flatMap((mutationCase) =>
    CALLER_NAMES.map(
      (caller) =>
        [
          mutationCase.mutation,
          caller,
          mutationCase.allowed.includes(caller) ? 'allowed' : refusalFor(caller),
          mutationCase,
        ] as const,
    ),
  );

  test.each(table)('%s by %s: %s', async (_mutation, caller, outcome, mutationCase) => {
    const world = await newWorld();
    const [readQuery, readVariables] = mutationCase.readBack(world);
    const before = await asAdmin(readQuery, readVariables);
    const entriesBefore = await auditEntryCount();

    const result = await subgraph.query(mutationCase.document, mutationCase.variables(world), {
      as: CALLERS[caller],
    });

    const after = await asAdmin(readQuery, readVariables);
    if (outcome === 'allowed') {
      expect(result.errors).toBeUndefined();
      expect(after).not.toEqual(before);
      expect(await auditEntryCount()).toBeGreaterThan(entriesBefore);
    } else {
      expect(result.errors?.[0]?.extensions?.code).toBe(outcome);
      expect(answeredFields(result)).toEqual([]);
      expect(after).toEqual(before);
      expect(await auditEntryCount()).toBe(entriesBefore);
    }
  });
});
