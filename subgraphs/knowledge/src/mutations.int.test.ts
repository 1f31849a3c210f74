import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { knowledge } from '.';
import { WorkingGroup } from './entities';

/**
 * Every mutation but the working groups' (in knowledge.int.test.ts), run through one table per
 * type: valid create and update read back from the database, one rejection per validation rule
 * (BAD_USER_INPUT naming the field, the collection unchanged), a stale version refused with
 * CONFLICT, and archiving that hides from lists but not from get-by-id.
 */
let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(knowledge);
  const em = subgraph.orm.em.fork();
  em.create(WorkingGroup, { _id: 'WG1', title: 'Innovation', source: 'project description' });
  em.create(WorkingGroup, { _id: 'WG2', title: 'Sustainability', source: 'project description' });
  em.create(WorkingGroup, { _id: 'WG8', title: 'Retired group', source: 'synthetic', archived: true });
  await em.flush();
});
afterAll(() => subgraph.close());

type Input = Record<string, unknown>;
/** [case, input changes, field named in the error] */
type Rule = [string, Input, string];

interface Spec {
  type: string;
  collection: string;
  list: string;
  selection: string;
  valid: Input;
  /** What the valid input is stored as (normalised). */
  stored: Input;
  createRules: Rule[];
  update: Input;
  updatedStored: Input;
  updateRules: Rule[];
}

const lower = (type: string) => type[0]!.toLowerCase() + type.slice(1);

async function snapshot(collection: string) {
  return subgraph.orm.em.getConnection().getDb().collection(collection).find().sort({ _id: 1 }).toArray();
}

function describeMutations(spec: Spec) {
  const get = lower(spec.type);
  const create = (input: Input) =>
    subgraph.query<Record<string, { id: string; version: number } & Input>>(
      `mutation($input: Create${spec.type}Input!) { create${spec.type}(input: $input) { id version archived source ${spec.selection} } }`,
      { input },
    );
  const update = (id: string, version: number, input: Input) =>
    subgraph.query<Record<string, { id: string; version: number } & Input>>(
      `mutation($id: ID!, $version: Int!, $input: Update${spec.type}Input!) {
        update${spec.type}(id: $id, version: $version, input: $input) { id version ${spec.selection} } }`,
      { id, version, input },
    );
  let id: string;

  describe(spec.type, () => {
    test(`create${spec.type} stores valid input, normalised, at version 1`, async () => {
      const result = await create(spec.valid);
      expect(result.errors).toBeUndefined();
      const created = result.data![`create${spec.type}`]!;
      expect(created).toMatchObject({ version: 1, archived: false });
      id = created.id;
      const [stored] = (await snapshot(spec.collection)).filter((doc) => String(doc._id) === id);
      expect(stored).toMatchObject({ ...spec.stored, version: 1, archived: false });
      const read = await subgraph.query(`query($id: ID!) { ${get}(id: $id) { id ${spec.selection} } }`, {
        id,
      });
      expect(read.data?.[get]).toEqual({
        id,
        ...Object.fromEntries(
          Object.keys(created)
            .filter((k) => !['version', 'archived', 'source'].includes(k))
            .map((k) => [k, created[k]]),
        ),
      });
    });

    test.each(spec.createRules)(
      `create${spec.type} rejects %s, naming the field, writing nothing`,
      async (_case, changes, field) => {
        const before = await snapshot(spec.collection);
        const result = await create({ ...spec.valid, ...changes });
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
        expect(await snapshot(spec.collection)).toEqual(before);
      },
    );

    test(`update${spec.type} changes the given fields and the version`, async () => {
      const result = await update(id, 1, spec.update);
      expect(result.errors).toBeUndefined();
      expect(result.data?.[`update${spec.type}`]).toMatchObject({ id, version: 2 });
      const [stored] = (await snapshot(spec.collection)).filter((doc) => String(doc._id) === id);
      expect(stored).toMatchObject({ ...spec.updatedStored, version: 2 });
    });

    test.each(spec.updateRules)(
      `update${spec.type} rejects %s, naming the field, changing nothing`,
      async (_case, changes, field) => {
        const before = await snapshot(spec.collection);
        const result = await update(id, 2, changes);
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
        expect(await snapshot(spec.collection)).toEqual(before);
      },
    );

    test(`update${spec.type} refuses a stale version with CONFLICT and changes nothing`, async () => {
      const before = await snapshot(spec.collection);
      const result = await update(id, 1, spec.update);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      expect(await snapshot(spec.collection)).toEqual(before);
      const missing = await update('no-such-id', 1, spec.update);
      expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    });

    test(`archive${spec.type} hides it from the list but not from ${get}(id)`, async () => {
      const stale = await subgraph.query(
        `mutation($id: ID!) { archive${spec.type}(id: $id, version: 1) { id } }`,
        { id },
      );
      expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
      const result = await subgraph.query(
        `mutation($id: ID!) { archive${spec.type}(id: $id, version: 2) { archived version } }`,
        { id },
      );
      expect(result.data?.[`archive${spec.type}`]).toEqual({ archived: true, version: 3 });
      const read = await subgraph.query<Record<string, { nodes: { id: string }[] } & { archived: boolean }>>(
        `query($id: ID!) { list: ${spec.list}(first: 100) { nodes { id } } all: ${spec.list}(first: 100, filter: { includeArchived: true }) { nodes { id } }
          one: ${get}(id: $id) { archived } }`,
        { id },
      );
      expect(read.data?.list?.nodes.map((n) => n.id)).not.toContain(id);
      expect(read.data?.all?.nodes.map((n) => n.id)).toContain(id);
      expect(read.data?.one).toEqual({ archived: true });
    });
  });
}

const tooLong = 'x'.repeat(301);

describeMutations({
  type: 'GoodPractice',
  collection: 'goodPractices',
  list: 'goodPractices',
  selection:
    'title description workingGroup { code } countryCode organisation { id } successFactors transferability',
  valid: {
    title: ' Innovation vouchers ',
    workingGroup: 'WG1',
    countryCode: 'IT',
    organisationId: 'it-marche-region',
    successFactors: [' simple application ', 'fast payment', 'simple application'],
    transferability: 'HIGH',
    source: 'synthetic',
  },
  stored: {
    title: 'Innovation vouchers',
    workingGroupCode: 'WG1',
    countryCode: 'IT',
    organisationId: 'it-marche-region',
    successFactors: ['simple application', 'fast payment'],
    transferability: 'HIGH',
    sortName: 'innovation vouchers',
    searchKeys: ['innovation vouchers', 'vouchers'],
    source: 'synthetic',
  },
  createRules: [
    ['an empty title', { title: '  ' }, 'input.title'],
    ['a too long title', { title: tooLong }, 'input.title'],
    ['a too long description', { description: 'x'.repeat(5001) }, 'input.description'],
    ['an unknown working group', { workingGroup: 'WG9' }, 'input.workingGroup'],
    ['an archived working group', { workingGroup: 'WG8' }, 'input.workingGroup'],
    ['a country code that is not ISO', { countryCode: 'XX' }, 'input.countryCode'],
    ['a three-letter country code', { countryCode: 'ITA' }, 'input.countryCode'],
    ['an empty organisation id', { organisationId: ' ' }, 'input.organisationId'],
    ['an empty success factor', { successFactors: ['a', ''] }, 'input.successFactors'],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: {
    title: 'Cluster vouchers',
    workingGroup: 'WG2',
    organisationId: null,
    successFactors: [],
    transferability: 'LOW',
  },
  updatedStored: {
    title: 'Cluster vouchers',
    workingGroupCode: 'WG2',
    organisationId: null,
    successFactors: [],
    transferability: 'LOW',
    countryCode: 'IT',
    searchKeys: ['cluster vouchers', 'vouchers'],
  },
  updateRules: [
    ['a null title', { title: null }, 'input.title'],
    ['an unknown working group', { workingGroup: 'WG77' }, 'input.workingGroup'],
    ['an archived working group', { workingGroup: 'WG8' }, 'input.workingGroup'],
    ['a country code that is not ISO', { countryCode: 'EU' }, 'input.countryCode'],
    ['an empty success factor', { successFactors: [' '] }, 'input.successFactors'],
    ['an empty source', { source: ' ' }, 'input.source'],
  ],
});

describeMutations({
  type: 'PilotAction',
  collection: 'pilotActions',
  list: 'pilotActions',
  selection: 'title lead { id } countryCode workingGroup { code } startDate endDate results',
  valid: {
    title: 'Cluster internationalisation pilot',
    leadOrganisationId: 'gr-corallia',
    countryCode: 'GR',
    workingGroup: 'WG1',
    startDate: '2014-01-01',
    endDate: '2014-06-30',
    source: 'synthetic',
  },
  stored: {
    title: 'Cluster internationalisation pilot',
    leadOrganisationId: 'gr-corallia',
    countryCode: 'GR',
    workingGroupCode: 'WG1',
    startDate: new Date('2014-01-01T00:00:00Z'),
    endDate: new Date('2014-06-30T00:00:00Z'),
  },
  createRules: [
    ['an empty title', { title: '' }, 'input.title'],
    ['an empty lead', { leadOrganisationId: ' ' }, 'input.leadOrganisationId'],
    ['a country code that is not ISO', { countryCode: 'ZZ' }, 'input.countryCode'],
    ['an unknown working group', { workingGroup: 'WG9' }, 'input.workingGroup'],
    ['an archived working group', { workingGroup: 'WG8' }, 'input.workingGroup'],
    ['a date that does not exist', { startDate: '2014-02-30' }, 'input.startDate'],
    ['a date in another format', { startDate: '01/02/2014' }, 'input.startDate'],
    ['a start before the project', { startDate: '2012-04-30' }, 'input.startDate'],
    ['an end after the project', { endDate: '2015-01-01' }, 'input.endDate'],
    ['an end before the start', { startDate: '2014-03-01', endDate: '2014-02-28' }, 'input.endDate'],
    ['too long results', { results: 'x'.repeat(5001) }, 'input.results'],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: { endDate: '2014-10-30', results: 'Two regional vouchers schemes adopted', countryCode: 'GR' },
  updatedStored: {
    endDate: new Date('2014-10-30T00:00:00Z'),
    startDate: new Date('2014-01-01T00:00:00Z'),
    results: 'Two regional vouchers schemes adopted',
    countryCode: 'GR',
  },
  updateRules: [
    ['an end before the stored start', { endDate: '2013-12-31' }, 'input.endDate'],
    ['a start after the stored end', { startDate: '2015-01-02' }, 'input.startDate'],
    [
      'a start after the stored end, inside the period',
      { startDate: '2014-10-30', endDate: '2014-06-01' },
      'input.endDate',
    ],
    ['a null start', { startDate: null }, 'input.startDate'],
    ['a country code that is not ISO', { countryCode: 'GRC' }, 'input.countryCode'],
    ['an unknown working group', { workingGroup: 'wg1' }, 'input.workingGroup'],
    ['an empty lead', { leadOrganisationId: '' }, 'input.leadOrganisationId'],
  ],
});

describeMutations({
  type: 'ClusterOrganisation',
  collection: 'clusterOrganisations',
  list: 'clusterOrganisations',
  selection: 'name countryCode sectors memberCount escaLabel escaValidUntil website',
  valid: {
    name: 'Automotive Cluster Slovakia',
    countryCode: 'SK',
    sectors: ['automotive', 'mobility'],
    memberCount: 0,
    escaLabel: 'GOLD',
    escaValidUntil: '2016-03-31',
    website: 'https://www.example.org/acs',
    source: 'synthetic',
  },
  stored: {
    name: 'Automotive Cluster Slovakia',
    countryCode: 'SK',
    sectors: ['automotive', 'mobility'],
    memberCount: 0,
    escaLabel: 'GOLD',
    escaValidUntil: new Date('2016-03-31T00:00:00Z'),
    website: 'https://www.example.org/acs',
  },
  createRules: [
    ['an empty name', { name: ' ' }, 'input.name'],
    ['a country code that is not ISO', { countryCode: 'YU' }, 'input.countryCode'],
    ['a negative member count', { memberCount: -1 }, 'input.memberCount'],
    ['a label without a validity date', { escaValidUntil: null }, 'input.escaValidUntil'],
    ['a validity date without a label', { escaLabel: null }, 'input.escaValidUntil'],
    ['a validity date that does not exist', { escaValidUntil: '2016-02-30' }, 'input.escaValidUntil'],
    ['a website that is not a URL', { website: 'example.org' }, 'input.website'],
    ['a website that is not http(s)', { website: 'ftp://example.org' }, 'input.website'],
    ['an empty sector', { sectors: ['ICT', ' '] }, 'input.sectors'],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: { memberCount: 120, escaLabel: null, escaValidUntil: null, sectors: ['automotive'] },
  updatedStored: {
    memberCount: 120,
    escaLabel: null,
    escaValidUntil: null,
    sectors: ['automotive'],
    name: 'Automotive Cluster Slovakia',
  },
  updateRules: [
    ['a negative member count', { memberCount: -5 }, 'input.memberCount'],
    ['a null member count', { memberCount: null }, 'input.memberCount'],
    ['a label alone where no date is stored', { escaLabel: 'SILVER' }, 'input.escaValidUntil'],
    ['a date alone where no label is stored', { escaValidUntil: '2017-01-01' }, 'input.escaValidUntil'],
    ['a website that is not a URL', { website: 'javascript:alert(1)' }, 'input.website'],
    ['a country code that is not ISO', { countryCode: '12' }, 'input.countryCode'],
    ['a null name', { name: null }, 'input.name'],
  ],
});

describeMutations({
  type: 'ClusterPolicy',
  collection: 'clusterPolicies',
  list: 'clusterPolicies',
  selection:
    'title countryCode region level responsibleOrganisation { id } periodStart periodEnd instruments { type name description }',
  valid: {
    title: 'Regional cluster programme',
    countryCode: 'IT',
    region: 'ITI3 Marche',
    level: 'REGIONAL',
    responsibleOrganisationId: 'it-marche-region',
    periodStart: 2007,
    periodEnd: 2013,
    instruments: [{ type: 'VOUCHER', name: ' Innovation vouchers ' }],
    source: 'synthetic',
  },
  stored: {
    countryCode: 'IT',
    level: 'REGIONAL',
    periodStart: 2007,
    periodEnd: 2013,
    instruments: [{ type: 'VOUCHER', name: 'Innovation vouchers', description: null }],
    searchKeys: ['regional cluster programme', 'cluster programme', 'programme', 'iti3 marche', 'marche'],
  },
  createRules: [
    ['an empty title', { title: '' }, 'input.title'],
    ['a country code that is not ISO', { countryCode: 'UK' }, 'input.countryCode'],
    ['a regional policy without region', { region: null }, 'input.region'],
    ['an end before the start', { periodEnd: 2006 }, 'input.periodEnd'],
    ['an implausible year', { periodStart: 1800 }, 'input.periodStart'],
    [
      'an instrument without name',
      { instruments: [{ type: 'GRANT', name: ' ' }] },
      'input.instruments.0.name',
    ],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: { level: 'NATIONAL', region: null, periodEnd: null, instruments: [] },
  updatedStored: { level: 'NATIONAL', region: null, periodEnd: null, instruments: [], periodStart: 2007 },
  updateRules: [
    ['a start after the stored end', { periodEnd: 2010, periodStart: 2011 }, 'input.periodEnd'],
    ['a regional level without region', { level: 'REGIONAL' }, 'input.region'],
    ['a country code that is not ISO', { countryCode: 'XK1' }, 'input.countryCode'],
  ],
});

describeMutations({
  type: 'PolicyAssessment',
  collection: 'policyAssessments',
  list: 'policyAssessments',
  selection: 'region countryCode organisation { id } pastActions currentState futureVision documentUrl',
  valid: {
    region: 'Istria',
    countryCode: 'HR',
    organisationId: 'hr-ida',
    pastActions: 'Cluster support since 2005',
    currentState: 'Five active clusters',
    futureVision: 'Smart specialisation',
    documentUrl: 'http://example.org/istria.pdf',
    source: 'synthetic',
  },
  stored: {
    region: 'Istria',
    countryCode: 'HR',
    organisationId: 'hr-ida',
    documentUrl: 'http://example.org/istria.pdf',
  },
  createRules: [
    ['an empty region', { region: '' }, 'input.region'],
    ['a country code that is not ISO', { countryCode: 'XX' }, 'input.countryCode'],
    ['an empty organisation', { organisationId: ' ' }, 'input.organisationId'],
    ['a document link that is not a URL', { documentUrl: 'istria.pdf' }, 'input.documentUrl'],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: { currentState: 'Seven active clusters', documentUrl: null },
  updatedStored: { currentState: 'Seven active clusters', documentUrl: null, region: 'Istria' },
  updateRules: [
    ['a document link that is not http(s)', { documentUrl: 'mailto:a@b.c' }, 'input.documentUrl'],
    ['a null region', { region: null }, 'input.region'],
  ],
});

describeMutations({
  type: 'LearningMechanism',
  collection: 'learningMechanisms',
  list: 'learningMechanisms',
  selection: 'title description workingGroup { code }',
  valid: { title: 'Peer review of cluster policies', workingGroup: 'WG1', source: 'synthetic' },
  stored: { title: 'Peer review of cluster policies', workingGroupCode: 'WG1' },
  createRules: [
    ['an empty title', { title: '' }, 'input.title'],
    ['an unknown working group', { workingGroup: 'WG4' }, 'input.workingGroup'],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: { workingGroup: null, description: 'Partners review each other' },
  updatedStored: { workingGroupCode: null, description: 'Partners review each other' },
  updateRules: [['an archived working group', { workingGroup: 'WG8' }, 'input.workingGroup']],
});

describeMutations({
  type: 'StrategyDocument',
  collection: 'strategyDocuments',
  list: 'strategyDocuments',
  selection: 'type title workingGroup { code } publishedOn publishedOnPrecision url',
  valid: {
    type: 'POLICY_FACTSHEET',
    title: 'Policy factsheet: Innovation',
    workingGroup: 'WG1',
    publishedOn: '2014-10-01',
    publishedOnPrecision: 'MONTH',
    source: 'synthetic',
  },
  stored: {
    type: 'POLICY_FACTSHEET',
    workingGroupCode: 'WG1',
    publishedOn: new Date('2014-10-01T00:00:00Z'),
    publishedOnPrecision: 'MONTH',
    url: null,
  },
  createRules: [
    ['a factsheet without working group', { workingGroup: null }, 'input.workingGroup'],
    ['a plan with a working group', { type: 'SUSTAINABILITY_PLAN' }, 'input.workingGroup'],
    ['a date outside the project period', { publishedOn: '2015-03-01' }, 'input.publishedOn'],
    ['a month-precise date not on the 1st', { publishedOn: '2014-10-15' }, 'input.publishedOn'],
    ['a precision without date', { publishedOn: null }, 'input.publishedOnPrecision'],
    ['a link that is not a URL', { url: 'www.example.org' }, 'input.url'],
    ['an unknown working group', { workingGroup: 'WG3' }, 'input.workingGroup'],
    ['an empty source', { source: '' }, 'input.source'],
  ],
  update: { publishedOn: '2014-10-20', url: 'https://example.org/factsheet.pdf' },
  updatedStored: {
    publishedOn: new Date('2014-10-20T00:00:00Z'),
    publishedOnPrecision: 'DAY',
    url: 'https://example.org/factsheet.pdf',
  },
  updateRules: [
    ['a plan type while a working group is set', { type: 'JOINT_STRATEGIC_PLAN' }, 'input.workingGroup'],
    ['removing the working group of a factsheet', { workingGroup: null }, 'input.workingGroup'],
    ['a date before the project', { publishedOn: '2012-01-01' }, 'input.publishedOn'],
  ],
});

// The kit's ClusterPoliSEE period, as partners, communications and projects check it too.
test('refuses a day after the project period, in the hub-wide wording', async () => {
  const result = await subgraph.query(
    `mutation($input: CreatePilotActionInput!) { createPilotAction(input: $input) { id } }`,
    {
      input: {
        title: 'Late pilot',
        leadOrganisationId: 'gr-corallia',
        countryCode: 'GR',
        workingGroup: 'WG1',
        startDate: '2014-10-30',
        endDate: '2014-11-15',
        source: 'synthetic',
      },
    },
  );
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endDate' });
  expect(result.errors?.[0]?.message).toBe(
    'input.endDate: must be inside the project period 2012-05-01 to 2014-10-30 (got 2014-11-15)',
  );
});
