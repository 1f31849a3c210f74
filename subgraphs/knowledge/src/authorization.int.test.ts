import {
  answeredFields,
  FORGED_IDENTITIES,
  asIdentity,
  startTestSubgraph,
  type GraphQLResponse,
  type TestCaller,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { knowledge } from '.';
import { WorkingGroup } from './entities';

/**
 * Who may change what in the knowledge subgraph, through real HTTP and real signatures: every
 * mutation and protected field against every role, partners kept to their own organisation's
 * records, requests that bypass the gateway, the audit trail, and MongoDB operators smuggled
 * into arguments. Reads are public, so they are checked once, for every role alike.
 */
let subgraph: TestSubgraph;

const OWNER = 'it-marche-region';
const OTHER = 'hr-istrian-development-agency';

const CALLERS = {
  anonymous: { role: 'anonymous' },
  'a partner-member of the owning organisation': { role: 'partner-member', org: OWNER, sub: 'anna@marche' },
  'a partner-member of another organisation': { role: 'partner-member', org: OTHER, sub: 'ivan@ida' },
  'a finance-officer of the owning organisation': {
    role: 'finance-officer',
    org: OWNER,
    sub: 'franca@marche',
  },
  'a controller': { role: 'controller', sub: 'carla@flc' },
  'a coordinator': { role: 'coordinator', sub: 'marco@marche' },
  'an analyst': { role: 'analyst', sub: 'ana@lysis' },
  'an admin': { role: 'admin', sub: 'root@hub' },
} satisfies Record<string, TestCaller>;
type CallerName = keyof typeof CALLERS;
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';
type Outcomes = Record<CallerName, Outcome>;

/** write:knowledge on a record with an owner: partner roles only for their own organisation's. */
const OWN_ORGANISATION: Outcomes = {
  anonymous: 'UNAUTHENTICATED',
  'a partner-member of the owning organisation': 'allowed',
  'a partner-member of another organisation': 'FORBIDDEN',
  'a finance-officer of the owning organisation': 'allowed',
  'a controller': 'FORBIDDEN',
  'a coordinator': 'allowed',
  'an analyst': 'FORBIDDEN',
  'an admin': 'allowed',
};
/**
 * write:governance, or write:knowledge on a record of the project as a whole (refused to partner
 * roles by the record rule): the same callers either way.
 */
const COORDINATOR_ONLY: Outcomes = {
  ...OWN_ORGANISATION,
  'a partner-member of the owning organisation': 'FORBIDDEN',
  'a finance-officer of the owning organisation': 'FORBIDDEN',
};
const READ_AUDIT: Outcomes = {
  ...COORDINATOR_ONLY,
  'a controller': 'allowed',
};

type Input = Record<string, unknown>;

interface WriteSpec {
  type: string;
  collection: string;
  /** The argument naming one record: working groups have a code, the rest an id. */
  key: 'id' | 'code';
  outcomes: Outcomes;
  /** A valid create input; `owner` goes into the owner field where the type has one. */
  input(owner: string): Input;
  update: Input;
  /** Read back to show a refused change left the record as it was. */
  fields: string;
  /** The input field naming the owning organisation, for the types partners may own. */
  ownerField?: string;
  /** Whether the owner may be left empty (the record then belongs to the project as a whole). */
  ownerOptional?: boolean;
}

let nextCode = 20;
const SPECS: WriteSpec[] = [
  {
    type: 'WorkingGroup',
    collection: 'workingGroups',
    key: 'code',
    outcomes: COORDINATOR_ONLY,
    // Led by the owner organisation: even the lead's partner-member may not change the group.
    input: (owner) => ({
      code: `WG${nextCode++}`,
      title: 'Synthetic group',
      leadOrganisationId: owner,
      source: 'synthetic',
    }),
    update: { title: 'Renamed group' },
    fields: 'title lead { id }',
  },
  {
    type: 'ClusterPolicy',
    collection: 'clusterPolicies',
    key: 'id',
    outcomes: OWN_ORGANISATION,
    input: (owner) => ({
      title: 'Regional cluster programme',
      countryCode: 'IT',
      level: 'NATIONAL',
      responsibleOrganisationId: owner,
      periodStart: 2010,
      source: 'synthetic',
    }),
    update: { title: 'Renamed programme' },
    fields: 'title responsibleOrganisation { id }',
    ownerField: 'responsibleOrganisationId',
    ownerOptional: true,
  },
  {
    type: 'PolicyAssessment',
    collection: 'policyAssessments',
    key: 'id',
    outcomes: OWN_ORGANISATION,
    input: (owner) => ({ region: 'Marche', countryCode: 'IT', organisationId: owner, source: 'synthetic' }),
    update: { currentState: 'Seven active clusters' },
    fields: 'currentState organisation { id }',
    ownerField: 'organisationId',
  },
  {
    type: 'GoodPractice',
    collection: 'goodPractices',
    key: 'id',
    outcomes: OWN_ORGANISATION,
    input: (owner) => ({
      title: 'Innovation vouchers',
      workingGroup: 'WG1',
      countryCode: 'IT',
      organisationId: owner,
      transferability: 'HIGH',
      source: 'synthetic',
    }),
    update: { title: 'Cluster vouchers' },
    fields: 'title organisation { id }',
    ownerField: 'organisationId',
    ownerOptional: true,
  },
  {
    type: 'PilotAction',
    collection: 'pilotActions',
    key: 'id',
    outcomes: OWN_ORGANISATION,
    input: (owner) => ({
      title: 'Internationalisation pilot',
      leadOrganisationId: owner,
      countryCode: 'IT',
      workingGroup: 'WG1',
      startDate: '2014-01-01',
      endDate: '2014-06-30',
      source: 'synthetic',
    }),
    update: { title: 'Renamed pilot' },
    fields: 'title lead { id }',
    ownerField: 'leadOrganisationId',
  },
  {
    type: 'LearningMechanism',
    collection: 'learningMechanisms',
    key: 'id',
    outcomes: COORDINATOR_ONLY,
    input: () => ({ title: 'Peer review of cluster policies', source: 'synthetic' }),
    update: { title: 'Peer learning' },
    fields: 'title',
  },
  {
    type: 'StrategyDocument',
    collection: 'strategyDocuments',
    key: 'id',
    outcomes: COORDINATOR_ONLY,
    input: () => ({ type: 'JOINT_STRATEGIC_PLAN', title: 'Joint Strategic Plan', source: 'synthetic' }),
    update: { title: 'Joint Strategic Plan, revised' },
    fields: 'title',
  },
  {
    type: 'ClusterOrganisation',
    collection: 'clusterOrganisations',
    key: 'id',
    outcomes: COORDINATOR_ONLY,
    input: () => ({
      name: 'Automotive Cluster Slovakia',
      countryCode: 'SK',
      memberCount: 40,
      source: 'synthetic',
    }),
    update: { name: 'Automotive Cluster of Slovakia' },
    fields: 'name',
  },
];
const OWNED_SPECS = SPECS.filter((spec) => spec.ownerField);

beforeAll(async () => {
  subgraph = await startTestSubgraph(knowledge);
  const em = subgraph.orm.em.fork();
  em.create(WorkingGroup, { _id: 'WG1', title: 'Innovation', source: 'project description' });
  await em.flush();
});
afterAll(() => subgraph.close());

const lower = (type: string) => type[0]!.toLowerCase() + type.slice(1);
const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions?.code;

interface Written {
  key: string;
  version: number;
}

function create(spec: WriteSpec, input: Input, as?: TestCaller) {
  return subgraph.query<Record<string, Written>>(
    `mutation($input: Create${spec.type}Input!) { result: create${spec.type}(input: $input) { key: ${spec.key} version } }`,
    { input },
    { as },
  );
}

function update(spec: WriteSpec, record: Written, input: Input, as?: TestCaller) {
  return subgraph.query<Record<string, Written>>(
    `mutation($key: ID!, $version: Int!, $input: Update${spec.type}Input!) {
      result: update${spec.type}(${spec.key}: $key, version: $version, input: $input) { key: ${spec.key} version } }`,
    { key: record.key, version: record.version, input },
    { as },
  );
}

function archive(spec: WriteSpec, record: Written, as?: TestCaller) {
  return subgraph.query<Record<string, Written>>(
    `mutation($key: ID!, $version: Int!) { result: archive${spec.type}(${spec.key}: $key, version: $version) { key: ${spec.key} version } }`,
    { key: record.key, version: record.version },
    { as },
  );
}

/** A new record owned by `owner`, created by the default admin. */
async function seed(spec: WriteSpec, owner = OWNER): Promise<Written> {
  const result = await create(spec, spec.input(owner));
  expect(result.errors).toBeUndefined();
  return result.data!.result!;
}

/** The record as an admin reads it through the API. */
async function readBack(spec: WriteSpec, key: string) {
  const result = await subgraph.query<Record<string, unknown>>(
    `query($key: ID!) { record: ${lower(spec.type)}(${spec.key}: $key) { version archived ${spec.fields} } }`,
    { key },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.record;
}

function storedCollection(collection: string) {
  return subgraph.orm.em.getConnection().getDb().collection(collection).find().sort({ _id: 1 }).toArray();
}

interface AuditEntry {
  actor: string;
  actorRole: string;
  actorOrganisationId: string | null;
  requestId: string | null;
  at: string;
  action: 'CREATE' | 'UPDATE';
  recordType: string;
  recordId: string;
  changes: { field: string; before: string | null; after: string | null }[];
}

async function auditLog(filter: { recordType?: string; recordId?: string } = {}, as?: TestCaller) {
  return subgraph.query<{ knowledgeAuditLog: { totalCount: number; nodes: AuditEntry[] } }>(
    `query($recordType: String, $recordId: ID) {
      knowledgeAuditLog(recordType: $recordType, recordId: $recordId, first: 100) {
        totalCount nodes { actor actorRole actorOrganisationId requestId at action recordType recordId changes { field before after } } } }`,
    filter,
    { as },
  );
}

/** Entries in the trail, counted in the database itself, so that no filter of the API can hide one. */
function storedAuditEntries(filter: { recordType?: string; recordId?: string } = {}) {
  return subgraph.orm.em.getConnection().getDb().collection('audit_log').countDocuments(filter);
}

/**
 * Runs a write as `caller` and checks its outcome: allowed, it answers and adds exactly one audit
 * entry by the caller for the record; refused, it answers with the code, and the collection and
 * the audit trail are as they were.
 */
async function expectWrite(
  spec: WriteSpec,
  callerName: CallerName,
  run: (as: TestCaller) => Promise<GraphQLResponse<Record<string, Written>>>,
  action: 'CREATE' | 'UPDATE',
): Promise<void> {
  const caller = CALLERS[callerName];
  const outcome = spec.outcomes[callerName];
  const stored = await storedCollection(spec.collection);
  const entries = await storedAuditEntries();
  const result = await run(caller);
  if (outcome === 'allowed') {
    expect(result.errors).toBeUndefined();
    const key = result.data!.result!.key;
    expect(await storedAuditEntries()).toBe(entries + 1);
    const trail = (await auditLog({ recordId: key })).data!.knowledgeAuditLog.nodes;
    expect(trail).toContainEqual(
      expect.objectContaining({
        actor: asIdentity(caller).subject,
        action,
        recordType: spec.type,
        recordId: key,
      }),
    );
  } else {
    expect(codeOf(result)).toBe(outcome);
    expect(result.data?.result ?? null).toBeNull();
    expect(await storedCollection(spec.collection)).toEqual(stored);
    expect(await storedAuditEntries()).toBe(entries);
  }
}

const callerNames = Object.keys(CALLERS) as CallerName[];

describe.each(SPECS)('$type mutations, by role', (spec) => {
  const cases = callerNames.map((name) => [name, spec.outcomes[name]] as const);

  test.each(cases)(`create${spec.type} as %s: %s`, async (callerName) => {
    await expectWrite(spec, callerName, (as) => create(spec, spec.input(OWNER), as), 'CREATE');
  });

  test.each(cases)(`update${spec.type} as %s: %s`, async (callerName) => {
    const record = await seed(spec);
    const before = await readBack(spec, record.key);
    await expectWrite(spec, callerName, (as) => update(spec, record, spec.update, as), 'UPDATE');
    const after = await readBack(spec, record.key);
    if (spec.outcomes[callerName] === 'allowed') expect(after).toMatchObject({ ...spec.update, version: 2 });
    else expect(after).toEqual(before);
  });

  test.each(cases)(`archive${spec.type} as %s: %s`, async (callerName) => {
    const record = await seed(spec);
    const before = await readBack(spec, record.key);
    await expectWrite(spec, callerName, (as) => archive(spec, record, as), 'UPDATE');
    const after = await readBack(spec, record.key);
    if (spec.outcomes[callerName] === 'allowed') expect(after).toMatchObject({ archived: true, version: 2 });
    else expect(after).toEqual(before);
  });
});

describe('protected fields, by role', () => {
  test.each(callerNames.map((name) => [name, READ_AUDIT[name]] as const))(
    'knowledgeAuditLog as %s: %s',
    async (callerName, outcome) => {
      await seed(SPECS[1]!);
      const result = await subgraph.query<{ knowledgeAuditLog: { totalCount: number } }>(
        `{ knowledgeAuditLog(first: 1) { totalCount nodes { recordType } } }`,
        undefined,
        { as: CALLERS[callerName] },
      );
      if (outcome === 'allowed') {
        expect(result.errors).toBeUndefined();
        expect(result.data?.knowledgeAuditLog.totalCount).toBe(await storedAuditEntries());
      } else {
        expect(codeOf(result)).toBe(outcome);
        expect(answeredFields(result)).toEqual([]);
      }
    },
  );

  test.each(callerNames)('every read is public: %s sees what an admin sees', async (callerName) => {
    const everything = `{
      workingGroups(filter: { includeArchived: true }) { code title lead { id } memberships { organisation { id } source } }
      clusterPolicies(first: 100, filter: { includeArchived: true }) { totalCount nodes { id title responsibleOrganisation { id } } }
      policyAssessments(first: 100, filter: { includeArchived: true }) { totalCount nodes { id currentState organisation { id } } }
      goodPractices(first: 100, filter: { includeArchived: true }) { totalCount nodes { id title organisation { id } } }
      pilotActions(first: 100, filter: { includeArchived: true }) { totalCount nodes { id title lead { id } } }
      learningMechanisms(first: 100, filter: { includeArchived: true }) { totalCount nodes { id title } }
      strategyDocuments(first: 100, filter: { includeArchived: true }) { totalCount nodes { id title } }
      clusterOrganisations(first: 100, filter: { includeArchived: true }) { totalCount nodes { id name website } }
      goodPracticesByCountry { country { code } count }
      pilotActionsByWorkingGroup { workingGroup { code } count }
    }`;
    const [asAdmin, asCaller] = await Promise.all([
      subgraph.query(everything),
      subgraph.query(everything, undefined, { as: CALLERS[callerName] }),
    ]);
    expect(asCaller.errors).toBeUndefined();
    expect(asCaller.data).toEqual(asAdmin.data);
    expect(
      (asAdmin.data as { clusterPolicies: { totalCount: number } }).clusterPolicies.totalCount,
    ).toBeGreaterThan(0);
  });
});

describe.each(OWNED_SPECS)('a partner-member of one organisation and $type of another', (spec) => {
  const partnerOfOwner = CALLERS['a partner-member of the owning organisation'];

  async function expectRefusedUnchanged(record: Written, run: () => Promise<GraphQLResponse<unknown>>) {
    const before = await readBack(spec, record.key);
    const entries = await storedAuditEntries({ recordId: record.key });
    const result = await run();
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(await readBack(spec, record.key)).toEqual(before);
    expect(await storedAuditEntries({ recordId: record.key })).toBe(entries);
  }

  test(`may not update the other organisation's ${spec.type}`, async () => {
    const theirs = await seed(spec, OTHER);
    await expectRefusedUnchanged(theirs, () => update(spec, theirs, spec.update, partnerOfOwner));
  });

  test(`may not archive the other organisation's ${spec.type}`, async () => {
    const theirs = await seed(spec, OTHER);
    await expectRefusedUnchanged(theirs, () => archive(spec, theirs, partnerOfOwner));
  });

  test(`may not create a ${spec.type} for the other organisation`, async () => {
    const stored = await storedCollection(spec.collection);
    const result = await create(spec, spec.input(OTHER), partnerOfOwner);
    expect(codeOf(result)).toBe('FORBIDDEN');
    expect(await storedCollection(spec.collection)).toEqual(stored);
  });

  test(`may not hand its own ${spec.type} to the other organisation`, async () => {
    const own = await seed(spec, OWNER);
    await expectRefusedUnchanged(own, () =>
      update(spec, own, { ...spec.update, [spec.ownerField!]: OTHER }, partnerOfOwner),
    );
  });

  if (spec.ownerOptional)
    test(`may not hand its own ${spec.type} to the project as a whole by clearing the owner`, async () => {
      const own = await seed(spec, OWNER);
      await expectRefusedUnchanged(own, () =>
        update(spec, own, { [spec.ownerField!]: null }, partnerOfOwner),
      );
    });
});

describe('a request that does not come through the gateway', () => {
  const policy = SPECS[1]!;

  test.each(FORGED_IDENTITIES)(
    '%s: HTTP 401 UNAUTHENTICATED, for a read and a write, nothing written',
    async (_case, forge) => {
      const options = await forge(subgraph);
      const read = await subgraph.query(`{ workingGroups { code } }`, undefined, options);
      expect(read.status).toBe(401);
      expect(codeOf(read)).toBe('UNAUTHENTICATED');
      expect(read.data ?? null).toBeNull();

      const stored = await storedCollection(policy.collection);
      const entries = await storedAuditEntries();
      const write = await subgraph.query(
        `mutation($input: CreateClusterPolicyInput!) { createClusterPolicy(input: $input) { id } }`,
        { input: policy.input(OWNER) },
        options,
      );
      expect(write.status).toBe(401);
      expect(codeOf(write)).toBe('UNAUTHENTICATED');
      expect(await storedCollection(policy.collection)).toEqual(stored);
      expect(await storedAuditEntries()).toBe(entries);
    },
  );
});

describe('the audit trail', () => {
  const policy = SPECS[1]!;
  const anna = CALLERS['a partner-member of the owning organisation'];
  let id: string;

  beforeAll(async () => {
    const created = await create(
      policy,
      { ...policy.input(OWNER), title: 'Marche cluster programme', periodEnd: 2013 },
      anna,
    );
    expect(created.errors).toBeUndefined();
    id = created.data!.result!.key;
    const updated = await update(
      policy,
      { key: id, version: 1 },
      { title: 'Marche cluster programme 2014-2020', periodEnd: 2020 },
      anna,
    );
    expect(updated.errors).toBeUndefined();
  });

  test.each([['a coordinator'], ['a controller']] as const)(
    'shows %s who created and changed a record, and each changed field before and after',
    async (reader) => {
      const result = await auditLog({ recordId: id }, CALLERS[reader]);
      expect(result.errors).toBeUndefined();
      const { totalCount, nodes } = result.data!.knowledgeAuditLog;
      expect(totalCount).toBe(2);
      const who = {
        actor: 'anna@marche',
        actorRole: 'partner-member',
        actorOrganisationId: OWNER,
        recordType: 'ClusterPolicy',
        recordId: id,
      };
      const created = nodes.find((entry) => entry.action === 'CREATE')!;
      const updated = nodes.find((entry) => entry.action === 'UPDATE')!;
      expect(created).toMatchObject(who);
      expect(updated).toMatchObject(who);
      expect(created.requestId).toEqual(expect.any(String));
      expect(updated.requestId).not.toBe(created.requestId);
      expect(Date.parse(updated.at)).toBeGreaterThanOrEqual(Date.parse(created.at));
      expect(created.changes).toEqual(
        expect.arrayContaining([
          { field: 'title', before: null, after: '"Marche cluster programme"' },
          { field: 'responsibleOrganisationId', before: null, after: `"${OWNER}"` },
          { field: 'periodEnd', before: null, after: '2013' },
          { field: 'version', before: null, after: '1' },
        ]),
      );
      expect(updated.changes.map((change) => change.field)).toEqual([
        'periodEnd',
        'searchKeys',
        'sortName',
        'title',
        'version',
      ]);
      expect(updated.changes).toEqual(
        expect.arrayContaining([
          {
            field: 'title',
            before: '"Marche cluster programme"',
            after: '"Marche cluster programme 2014-2020"',
          },
          { field: 'periodEnd', before: '2013', after: '2020' },
          { field: 'version', before: '1', after: '2' },
        ]),
      );
    },
  );

  test('a refused change leaves no entry', async () => {
    const intruder = CALLERS['a partner-member of another organisation'];
    const entries = await storedAuditEntries({ recordType: 'ClusterPolicy' });
    const refusedUpdate = await update(policy, { key: id, version: 2 }, { title: 'Taken over' }, intruder);
    expect(codeOf(refusedUpdate)).toBe('FORBIDDEN');
    const refusedCreate = await create(policy, policy.input(OWNER), intruder);
    expect(codeOf(refusedCreate)).toBe('FORBIDDEN');
    const refusedByScope = await archive(policy, { key: id, version: 2 }, CALLERS['an analyst']);
    expect(codeOf(refusedByScope)).toBe('FORBIDDEN');
    expect(await storedAuditEntries({ recordType: 'ClusterPolicy' })).toBe(entries);
    expect(await storedAuditEntries({ recordId: id })).toBe(2);
  });
});

describe('MongoDB operators smuggled into arguments', () => {
  const OPERATORS = ['{"$ne": null}', '{"$gt": ""}', '{"$regex": ".*"}', '$where'];
  const policy = SPECS[1]!;
  let where: Written;

  beforeAll(async () => {
    where = (
      await create(policy, {
        ...policy.input(OWNER),
        title: 'Where clusters meet',
      })
    ).data!.result!;
  });

  test.each(OPERATORS)('an id or code %s finds nothing', async (key) => {
    const result = await subgraph.query(
      `query($key: ID!) { clusterPolicy(id: $key) { id } goodPractice(id: $key) { id } pilotAction(id: $key) { id }
        policyAssessment(id: $key) { id } learningMechanism(id: $key) { id } strategyDocument(id: $key) { id }
        clusterOrganisation(id: $key) { id } workingGroup(code: $key) { code } }`,
      { key },
    );
    expect(result.errors).toBeUndefined();
    expect(Object.values(result.data!)).toEqual(Array(8).fill(null));
  });

  test.each(OPERATORS)('an update or archive of %s is NOT_FOUND and changes nothing', async (key) => {
    const stored = await Promise.all(SPECS.map((spec) => storedCollection(spec.collection)));
    const entries = await storedAuditEntries();
    for (const spec of SPECS) {
      const updated = await update(spec, { key, version: 1 }, spec.update);
      expect(codeOf(updated)).toBe('NOT_FOUND');
      const archived = await archive(spec, { key, version: 1 });
      expect(codeOf(archived)).toBe('NOT_FOUND');
    }
    expect(await Promise.all(SPECS.map((spec) => storedCollection(spec.collection)))).toEqual(stored);
    expect(await storedAuditEntries()).toBe(entries);
  });

  test('a search text is matched literally, as words, never as a pattern or operator', async () => {
    const search = async (text: string) => {
      const result = await subgraph.query<{ clusterPolicies: { nodes: { id: string }[] } }>(
        `query($text: String) { clusterPolicies(first: 100, filter: { search: $text }) { nodes { id } } }`,
        { text },
      );
      expect(result.errors).toBeUndefined();
      return result.data!.clusterPolicies.nodes.map((node) => node.id);
    };
    const all = await search('');
    expect(all.length).toBeGreaterThan(1);
    // A regular expression would match every "Regional ... programme"; the words "r e" match none.
    expect(await search('r.*e')).toEqual([]);
    expect(await search('{"$ne": null}')).toEqual([]);
    expect(await search('$where')).toEqual([where.key]);
    // Punctuation alone is no search at all, just as an empty text.
    expect(await search('.*')).toEqual(all);
  });

  test.each(OPERATORS)('a filter or audit value %s matches nothing', async (value) => {
    const result = await subgraph.query<Record<string, { totalCount: number }>>(
      `query($value: String, $id: ID) {
        byCountry: clusterPolicies(filter: { country: $value }) { totalCount }
        byGroup: goodPractices(filter: { workingGroup: $id }) { totalCount }
        byOrganisation: policyAssessments(filter: { organisationId: $id }) { totalCount }
        byType: knowledgeAuditLog(recordType: $value) { totalCount }
        byRecord: knowledgeAuditLog(recordId: $id) { totalCount }
      }`,
      { value, id: value },
    );
    expect(result.errors).toBeUndefined();
    expect(Object.values(result.data!).map((list) => list.totalCount)).toEqual([0, 0, 0, 0, 0]);
    expect(await storedAuditEntries()).toBeGreaterThan(0);
  });

  test.each([
    ['an id', `query($v: ID!) { clusterPolicy(id: $v) { id } }`, (v: unknown) => ({ v })],
    [
      'a filter value',
      `query($v: ClusterPolicyFilter) { clusterPolicies(filter: $v) { totalCount } }`,
      (v: unknown) => ({ v: { country: v } }),
    ],
    [
      'the id of an update',
      `mutation($v: ID!) { updateClusterPolicy(id: $v, version: 1, input: { title: "Taken over" }) { id } }`,
      (v: unknown) => ({ v }),
    ],
    [
      'a field of a create input',
      `mutation($v: CreateClusterPolicyInput!) { createClusterPolicy(input: $v) { id } }`,
      (v: unknown) => ({ v: { ...policy.input(OWNER), responsibleOrganisationId: v } }),
    ],
  ])(
    'a JSON object sent as %s is refused by GraphQL before any resolver',
    async (_case, query, variables) => {
      const stored = await storedCollection(policy.collection);
      const entries = await storedAuditEntries();
      for (const operator of [{ $ne: null }, { $gt: '' }]) {
        const result = await subgraph.query(query, variables(operator));
        expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(codeOf(result));
        // No data at all: the operation never started executing.
        expect(result.data).toBeUndefined();
      }
      expect(await storedCollection(policy.collection)).toEqual(stored);
      expect(await storedAuditEntries()).toBe(entries);
    },
  );

  test.each([
    ['WorkingGroup', { __typename: 'WorkingGroup', code: { $ne: null } }, [null]],
    ['Organisation', { __typename: 'Organisation', id: { $gt: '' } }, [{ goodPractices: null }]],
  ])(
    'a %s reference whose key is an object is refused, not passed to the database',
    async (_type, representation, nothingFound) => {
      const result = await subgraph.query(
        `query($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on WorkingGroup { code } ... on Organisation { goodPractices { id } } } }`,
        { representations: [representation] },
      );
      // The kit's loaders refuse the key alone: what it would load is null, nothing reached the database.
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.data?._entities).toEqual(nothingFound);
    },
  );

  test('a list cursor carrying an operator is refused', async () => {
    const stored = await storedCollection(policy.collection);
    for (const value of [{ $ne: null }, { $gt: '' }, { date: { $ne: null } }]) {
      const after = Buffer.from(JSON.stringify([value, ''])).toString('base64url');
      const result = await subgraph.query(
        `query($after: String) { clusterPolicies(after: $after) { nodes { id } } }`,
        { after },
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    }
    expect(await storedCollection(policy.collection)).toEqual(stored);
  });
});
