import { insertMissing } from '@clusterpolisee/kit';
import {
  answeredFields,
  raceOutcome,
  startTestSubgraph,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { knowledge } from '.';
import { GoodPractice, WorkingGroup } from './entities';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(knowledge);
  const em = subgraph.orm.em.fork();
  em.create(WorkingGroup, {
    _id: 'WG3',
    title: 'International cluster cooperation and networking',
    leadOrganisationId: 'bg-bsmepa',
    memberships: [
      { organisationId: 'it-marche-region', source: 'synthetic' },
      { organisationId: 'hr-istrian-development-agency', source: 'synthetic' },
    ],
    source: 'project description',
  });
  em.create(WorkingGroup, {
    _id: 'WG1',
    title: 'Innovation, R&D-driven cluster development',
    memberships: [{ organisationId: 'it-marche-region', source: 'synthetic' }],
    source: 'project description',
  });
  // Made up, to show that WG10 sorts after WG3 rather than between WG1 and WG3.
  em.create(WorkingGroup, {
    _id: 'WG10',
    title: 'A synthetic tenth group',
    memberships: [{ organisationId: 'bg-bsmepa', source: 'synthetic' }],
    source: 'synthetic',
  });
  await em.flush();
});
afterAll(() => subgraph.close());

async function storedGroups() {
  const rows = await subgraph.orm.em.fork().find(WorkingGroup, {}, { orderBy: { _id: 'asc' } });
  return rows.map(
    ({
      _id,
      title,
      description,
      leadOrganisationId,
      memberships,
      organisationIds,
      searchKeys,
      source,
      version,
      archived,
    }) => ({
      _id,
      title,
      description,
      leadOrganisationId,
      memberships,
      organisationIds,
      searchKeys,
      source,
      version,
      archived,
    }),
  );
}

test('lists working groups in the order of their numbers, with lead and members', async () => {
  const result = await subgraph.query(`{ workingGroups { code title lead { id } members { id } source } }`);
  expect(result.errors).toBeUndefined();
  expect(result.data?.workingGroups).toEqual([
    {
      code: 'WG1',
      title: 'Innovation, R&D-driven cluster development',
      lead: null,
      members: [{ id: 'it-marche-region' }],
      source: 'project description',
    },
    {
      code: 'WG3',
      title: 'International cluster cooperation and networking',
      lead: { id: 'bg-bsmepa' },
      members: [{ id: 'it-marche-region' }, { id: 'hr-istrian-development-agency' }],
      source: 'project description',
    },
    {
      code: 'WG10',
      title: 'A synthetic tenth group',
      lead: null,
      members: [{ id: 'bg-bsmepa' }],
      source: 'synthetic',
    },
  ]);
});

test('gets a working group by code', async () => {
  const result = await subgraph.query(
    `{ workingGroup(code: "WG3") { code lead { id } } missing: workingGroup(code: "WG9") { code } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({ workingGroup: { code: 'WG3', lead: { id: 'bg-bsmepa' } }, missing: null });
});

test('resolves working group references for the gateway in one database command', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on WorkingGroup { code title } } }`,
    {
      representations: [
        { __typename: 'WorkingGroup', code: 'WG3' },
        { __typename: 'WorkingGroup', code: 'WG7' },
        { __typename: 'WorkingGroup', code: 'WG1' },
      ],
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    { code: 'WG3', title: 'International cluster cooperation and networking' },
    null,
    { code: 'WG1', title: 'Innovation, R&D-driven cluster development' },
  ]);
  expect(subgraph.commands.names()).toEqual(['find workingGroups']);
});

test('adds the groups an organisation leads or joins, for many organisations in one database command', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id workingGroups { code } } } }`,
    {
      representations: [
        { __typename: 'Organisation', id: 'bg-bsmepa' },
        { __typename: 'Organisation', id: 'it-marche-region' },
        { __typename: 'Organisation', id: 'hr-istrian-development-agency' },
        { __typename: 'Organisation', id: 'at-unknown' },
      ],
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    { id: 'bg-bsmepa', workingGroups: [{ code: 'WG3' }, { code: 'WG10' }] },
    { id: 'it-marche-region', workingGroups: [{ code: 'WG1' }, { code: 'WG3' }] },
    { id: 'hr-istrian-development-agency', workingGroups: [{ code: 'WG3' }] },
    { id: 'at-unknown', workingGroups: [] },
  ]);
  expect(subgraph.commands.names()).toEqual(['find workingGroups']);
});

test('derives the stored fields when a seed inserts through insertMissing', async () => {
  const em = subgraph.orm.em.fork();
  const record = {
    _id: 'WG2',
    title: 'Sustainability through cluster development',
    leadOrganisationId: 'si-maribor',
    memberships: [{ organisationId: 'ro-ief', source: 'synthetic' }],
    source: 'synthetic',
  };
  expect(await insertMissing(em, WorkingGroup, [record])).toBe(1);
  expect(await insertMissing(subgraph.orm.em.fork(), WorkingGroup, [{ ...record, title: 'Changed' }])).toBe(
    0,
  );
  const stored = await subgraph.orm.em.fork().findOneOrFail(WorkingGroup, { _id: 'WG2' });
  expect(stored).toMatchObject({
    title: 'Sustainability through cluster development',
    codeNumber: 2,
    organisationIds: ['si-maribor', 'ro-ief'],
    version: 1,
    archived: false,
  });
  expect(stored.searchKeys).toContain('cluster development');

  const result = await subgraph.query(
    `{ _entities(representations: [{ __typename: "Organisation", id: "ro-ief" }, { __typename: "Organisation", id: "ro-north-east" }]) {
      ... on Organisation { workingGroups { code } } } }`,
  );
  expect(result.data?._entities).toEqual([{ workingGroups: [{ code: 'WG2' }] }, { workingGroups: [] }]);
  const list = await subgraph.query<{ workingGroups: { code: string }[] }>(`{ workingGroups { code } }`);
  expect(list.data?.workingGroups.map((g) => g.code)).toEqual(['WG1', 'WG2', 'WG3', 'WG10']);
  await subgraph.orm.em.fork().nativeDelete(WorkingGroup, { _id: 'WG2' });
});

describe('createWorkingGroup', () => {
  const create = (input: string) =>
    subgraph.query<{ createWorkingGroup: { code: string } }>(
      `mutation { createWorkingGroup(input: ${input}) { code title description lead { id } members { id } source } }`,
    );

  test('creates a working group that its lead and members then list', async () => {
    const result = await create(
      `{ code: "WG4", title: " Financial framework improvement ", description: "Cluster financing", leadOrganisationId: "at-aws",
         memberOrganisationIds: ["it-marche-region", " sk-union-of-slovak-clusters ", "it-marche-region"], source: "project description" }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createWorkingGroup).toEqual({
      code: 'WG4',
      title: 'Financial framework improvement',
      description: 'Cluster financing',
      lead: { id: 'at-aws' },
      members: [{ id: 'it-marche-region' }, { id: 'sk-union-of-slovak-clusters' }],
      source: 'project description',
    });
    const stored = await subgraph.orm.em.fork().findOneOrFail(WorkingGroup, { _id: 'WG4' });
    expect(stored).toMatchObject({
      leadOrganisationId: 'at-aws',
      memberships: [
        { organisationId: 'it-marche-region', source: 'project description' },
        { organisationId: 'sk-union-of-slovak-clusters', source: 'project description' },
      ],
      organisationIds: ['at-aws', 'it-marche-region', 'sk-union-of-slovak-clusters'],
      codeNumber: 4,
      version: 1,
      archived: false,
    });

    const lead = await subgraph.query(
      `{ _entities(representations: [{ __typename: "Organisation", id: "at-aws" }]) { ... on Organisation { workingGroups { code } } } }`,
    );
    expect(lead.data?._entities).toEqual([{ workingGroups: [{ code: 'WG4' }] }]);
  });

  test('creates a working group with neither lead nor members', async () => {
    const result = await create(
      `{ code: "WG5", title: "Cluster and regional specialisation", source: "project description" }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createWorkingGroup).toMatchObject({ code: 'WG5', lead: null, members: [] });
  });

  test.each([
    ['a code without WG', '{ code: "7", title: "T", source: "s" }', 'input.code'],
    ['a lower-case code', '{ code: "wg7", title: "T", source: "s" }', 'input.code'],
    ['a three-digit code', '{ code: "WG100", title: "T", source: "s" }', 'input.code'],
    ['a code with a leading zero', '{ code: "WG07", title: "T", source: "s" }', 'input.code'],
    ['an empty title', '{ code: "WG7", title: "  ", source: "s" }', 'input.title'],
    ['an empty source', '{ code: "WG7", title: "T", source: "" }', 'input.source'],
    [
      'an empty lead id',
      '{ code: "WG7", title: "T", leadOrganisationId: " ", source: "s" }',
      'input.leadOrganisationId',
    ],
    [
      'an empty member id',
      '{ code: "WG7", title: "T", memberOrganisationIds: ["a", ""], source: "s" }',
      'input.memberOrganisationIds',
    ],
  ])('rejects %s with BAD_USER_INPUT naming the field and writes nothing', async (_case, input, field) => {
    const before = await storedGroups();
    const result = await create(input);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(await storedGroups()).toEqual(before);
  });

  // The kit's working-group code rule, as communications checks it too.
  test('refuses WG07 in the hub-wide wording', async () => {
    const result = await create(`{ code: "WG07", title: "T", source: "s" }`);
    expect(result.errors?.[0]?.message).toBe(
      'input.code: must be "WG" followed by a number from 0 to 99 without leading zero, such as "WG7"',
    );
  });

  test('refuses a code already used with BAD_USER_INPUT naming input.code and writes nothing', async () => {
    const before = await subgraph.storedDocuments();
    const result = await create(`{ code: "WG3", title: "Something else", source: "s" }`);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.code' });
    expect(result.errors?.[0]?.message).toBe(
      'input.code: WG3 is already used by another working group; choose another code',
    );
    expect(answeredFields(result)).toEqual([]);
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test('lets exactly one of simultaneous creations of a code win, the others refused on input.code', async () => {
    const input = '{ code: "WG6", title: "New skills and jobs creation", source: "project description" }';
    const results = await Promise.all([create(input), create(input), create(input)]);
    expect(raceOutcome(results)).toEqual({
      winners: 1,
      refusals: [
        { taken: true, field: 'input.code' },
        { taken: true, field: 'input.code' },
      ],
    });
    expect(await subgraph.orm.em.fork().count(WorkingGroup, { _id: 'WG6' })).toBe(1);
  });
});

test('searches working groups by word prefixes of the title', async () => {
  const result = await subgraph.query(`{ a: workingGroups(filter: { search: "INTERN" }) { code }
    b: workingGroups(filter: { search: "cluster dev" }) { code } c: workingGroups(filter: { search: "(intern[" }) { code } }`);
  expect(result.data).toEqual({ a: [{ code: 'WG3' }], b: [{ code: 'WG1' }], c: [{ code: 'WG3' }] });
});

describe('updateWorkingGroup', () => {
  const update = (code: string, version: number, input: string) =>
    subgraph.query<{ updateWorkingGroup: Record<string, unknown> }>(
      `mutation { updateWorkingGroup(code: "${code}", version: ${version}, input: ${input}) {
        code title description lead { id } memberships { organisation { id } source } source version archived } }`,
    );

  beforeAll(async () => {
    await subgraph.query(`mutation { createWorkingGroup(input: { code: "WG20", title: "Twenty", leadOrganisationId: "at-aws",
      memberOrganisationIds: ["it-marche-region", "hr-ida"], source: "project description" }) { code } }`);
  });

  test('changes the given fields, keeps the others, and re-derives what depends on them', async () => {
    const result = await update(
      'WG20',
      1,
      `{ title: " Cluster financing ", leadOrganisationId: null, memberOrganisationIds: ["hr-ida", "ro-ief"], source: "synthetic" }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateWorkingGroup).toEqual({
      code: 'WG20',
      title: 'Cluster financing',
      description: null,
      lead: null,
      // the kept member keeps its provenance; the new one takes the group's
      memberships: [
        { organisation: { id: 'hr-ida' }, source: 'project description' },
        { organisation: { id: 'ro-ief' }, source: 'synthetic' },
      ],
      source: 'synthetic',
      version: 2,
      archived: false,
    });
    const stored = await subgraph.orm.em.fork().findOneOrFail(WorkingGroup, { _id: 'WG20' });
    expect(stored).toMatchObject({ organisationIds: ['hr-ida', 'ro-ief'], codeNumber: 20, version: 2 });
    expect(stored.searchKeys).toEqual(['cluster financing', 'financing']);
    const search = await subgraph.query(`{ workingGroups(filter: { search: "financ" }) { code } }`);
    expect(search.data?.workingGroups).toContainEqual({ code: 'WG20' });
    const former = await subgraph.query(
      `{ _entities(representations: [{ __typename: "Organisation", id: "it-marche-region" }]) { ... on Organisation { workingGroups { code } } } }`,
    );
    expect(former.data?._entities).toEqual([
      { workingGroups: [{ code: 'WG1' }, { code: 'WG3' }, { code: 'WG4' }] },
    ]);
  });

  test.each([
    ['an empty title', '{ title: " " }', 'input.title'],
    ['a null title', '{ title: null }', 'input.title'],
    ['a too long title', `{ title: "${'x'.repeat(301)}" }`, 'input.title'],
    ['an empty source', '{ source: "" }', 'input.source'],
    ['an empty lead id', '{ leadOrganisationId: "  " }', 'input.leadOrganisationId'],
    ['an empty member id', '{ memberOrganisationIds: ["a", " "] }', 'input.memberOrganisationIds'],
  ])('rejects %s with BAD_USER_INPUT naming the field and changes nothing', async (_case, input, field) => {
    const before = await storedGroups();
    const result = await update('WG20', 2, input);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await storedGroups()).toEqual(before);
  });

  test('refuses a stale version with CONFLICT and changes nothing', async () => {
    const before = await storedGroups();
    const result = await update('WG20', 1, '{ title: "Lost update" }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(await storedGroups()).toEqual(before);
  });

  test('answers NOT_FOUND for an unknown code', async () => {
    const result = await update('WG77', 1, '{ title: "X" }');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('archiveWorkingGroup', () => {
  test('archives a group that good practices refer to: hidden from lists, still there by code and for its references', async () => {
    const practice = await subgraph.query<{ createGoodPractice: { id: string } }>(
      `mutation { createGoodPractice(input: { title: "Cluster vouchers", workingGroup: "WG5", countryCode: "IT",
        organisationId: "it-marche-region", transferability: HIGH, source: "synthetic" }) { id } }`,
    );
    expect(practice.errors).toBeUndefined();
    const result = await subgraph.query(
      `mutation { archiveWorkingGroup(code: "WG5", version: 1) { code archived version } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.archiveWorkingGroup).toEqual({ code: 'WG5', archived: true, version: 2 });
    expect((await subgraph.orm.em.fork().findOneOrFail(WorkingGroup, { _id: 'WG5' })).archived).toBe(true);

    const read = await subgraph.query<{
      workingGroups: { code: string }[];
      all: { code: string }[];
      workingGroup: { archived: boolean };
      goodPractice: { workingGroup: { code: string; archived: boolean } };
    }>(
      `query($id: ID!) { workingGroups { code } all: workingGroups(filter: { includeArchived: true }) { code }
        workingGroup(code: "WG5") { archived } goodPractice(id: $id) { workingGroup { code archived } } }`,
      { id: practice.data!.createGoodPractice.id },
    );
    expect(read.data?.workingGroups.map((g) => g.code)).not.toContain('WG5');
    expect(read.data?.all.map((g) => g.code)).toContain('WG5');
    expect(read.data?.workingGroup).toEqual({ archived: true });
    expect(read.data?.goodPractice).toEqual({ workingGroup: { code: 'WG5', archived: true } });

    // New references to an archived group are refused.
    const before = await subgraph.orm.em.fork().count(GoodPractice, {});
    const refused = await subgraph.query(
      `mutation { createGoodPractice(input: { title: "Late", workingGroup: "WG5", countryCode: "IT", transferability: LOW, source: "s" }) { id } }`,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.workingGroup',
    });
    expect(await subgraph.orm.em.fork().count(GoodPractice, {})).toBe(before);
  });

  test("keeps an archived group's code taken: a new group under it is BAD_USER_INPUT and writes nothing", async () => {
    const before = await subgraph.storedDocuments();
    const result = await subgraph.query(
      `mutation { createWorkingGroup(input: { code: "WG5", title: "Reborn", source: "s" }) { code } }`,
    );
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.code' });
    expect(result.errors?.[0]?.message).toBe(
      'input.code: WG5 is already used by an archived working group; choose another code',
    );
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test('refuses a stale version with CONFLICT and changes nothing', async () => {
    const before = await storedGroups();
    const result = await subgraph.query(`mutation { archiveWorkingGroup(code: "WG6", version: 7) { code } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 1 });
    expect(await storedGroups()).toEqual(before);
  });
});
