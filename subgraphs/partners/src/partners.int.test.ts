import { countries, partners as partnerFacts } from '@clusterpolisee/infra/seed/facts';
import { organisationId } from '@clusterpolisee/infra/seed/organisations';
import { GOVERNING_BODIES, seedPartners } from '@clusterpolisee/infra/seed/partners';
import { foldForSearch, slugId } from '@clusterpolisee/kit';
import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { partners } from '.';
import { Country, GoverningBody, Meeting, Organisation, Person, ProjectPartner } from './entities';

let subgraph: TestSubgraph;
const MARCHE = 'it-marche-region';
const IDA = 'hr-istrian-development-agency';
const AWS = 'at-austria-wirtschaftsservice';
const STEERING = GOVERNING_BODIES[0]!._id;
const BOARD = GOVERNING_BODIES[1]!._id;

beforeAll(async () => {
  subgraph = await startTestSubgraph(partners);
  await seedPartners(subgraph.orm.em.fork(), { scale: 1 });
});
afterAll(() => subgraph.close());

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;

async function ok<T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const result = await subgraph.query<T>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

/** Runs a mutation that must fail with `code` (and `field`), and checks that nothing was written. */
async function refused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
): Promise<Errors> {
  const before = await subgraph.storedDocuments();
  const result = await subgraph.query(query, variables);
  expect(result.errors?.[0]?.extensions).toMatchObject(field ? { code, field } : { code });
  if (field) expect(result.errors?.[0]?.message.startsWith(`${field}: `)).toBe(true);
  expect(await subgraph.storedDocuments()).toBe(before);
  return result.errors;
}

const stored = {
  organisation: (id: string) => subgraph.orm.em.fork().findOne(Organisation, { _id: id }),
  partner: (id: string) => subgraph.orm.em.fork().findOne(ProjectPartner, { _id: id }),
  person: (id: string) => subgraph.orm.em.fork().findOne(Person, { _id: id }),
  body: (id: string) => subgraph.orm.em.fork().findOneOrFail(GoverningBody, { _id: id }),
  meeting: (id: string) => subgraph.orm.em.fork().findOne(Meeting, { _id: id }),
};

describe('reads', () => {
  test('lists organisations of a country with their country', async () => {
    const data = await ok<{ organisations: { nodes: unknown[]; totalCount: number } }>(
      `{ organisations(filter: { country: "IT" }) { totalCount nodes { id name type legalStatus source
         country { code name programmeStatus } } } }`,
    );
    const italian = partnerFacts.filter((p) => p.country === 'IT').map((p) => p.name);
    expect(data.organisations.totalCount).toBe(italian.length);
    expect(data.organisations.nodes).toContainEqual({
      id: MARCHE,
      name: 'Marche Region',
      type: 'REGIONAL_AUTHORITY',
      legalStatus: 'PUBLIC',
      source: 'project description',
      country: { code: 'IT', name: 'Italy', programmeStatus: 'EU_MEMBER' },
    });
  });

  test('resolves organisation references for the gateway in one database command', async () => {
    subgraph.commands.reset();
    const result = await subgraph.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id name } } }`,
      {
        representations: [
          { __typename: 'Organisation', id: MARCHE },
          { __typename: 'Organisation', id: 'nope' },
        ],
      },
    );
    expect(result.data).toEqual({ _entities: [{ id: MARCHE, name: 'Marche Region' }, null] });
    expect(subgraph.commands.names()).toEqual(['find organisations']);
  });

  test('the lead partner of a project, asked from the Project entity', async () => {
    const data = await ok<{ _entities: unknown[] }>(
      `{ _entities(representations: [{ __typename: "Project", id: "clusterpolisee" }]) {
         ... on Project { id partners(role: LEAD) { role partnerNumber organisation { name } } all: partners { id } } } }`,
    );
    expect(data._entities).toEqual([
      {
        id: 'clusterpolisee',
        partners: [{ role: 'LEAD', partnerNumber: 'LP', organisation: { name: 'Marche Region' } }],
        all: expect.any(Array),
      },
    ]);
    const all = (data._entities[0] as { all: { id: string }[] }).all;
    expect(all).toHaveLength(25);
    expect(all[0]!.id).toBe(`clusterpolisee--${MARCHE}`);
  });

  test('pages walk all organisations once, in name order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: {
        organisations: { nodes: { name: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      } = await ok(
        `query($after: String) { organisations(first: 7, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...data.organisations.nodes.map((n) => n.name));
      if (!data.organisations.pageInfo.hasNextPage) break;
      after = data.organisations.pageInfo.endCursor;
    }
    expect(seen).toEqual(partnerFacts.map((p) => p.name).sort());
  });

  test('orders by country, descending', async () => {
    const data = await ok<{ organisations: { nodes: { country: { code: string } }[] } }>(
      `{ organisations(first: 100, orderBy: { field: COUNTRY, direction: DESC }) { nodes { country { code } } } }`,
    );
    const codes = data.organisations.nodes.map((n) => n.country.code);
    expect(codes).toEqual(
      partnerFacts
        .map((p) => p.country)
        .sort()
        .reverse(),
    );
  });

  test('filters by type and legal status', async () => {
    const data = await ok<{ ministries: { nodes: { name: string }[] }; privates: { totalCount: number } }>(
      `{ ministries: organisations(filter: { type: MINISTRY }) { nodes { name } }
         privates: organisations(filter: { legalStatus: PRIVATE }) { totalCount } }`,
    );
    expect(data.ministries.nodes.map((n) => n.name).sort()).toEqual(
      partnerFacts
        .filter((p) => p.name.startsWith('Ministry'))
        .map((p) => p.name)
        .sort(),
    );
    expect(data.privates.totalCount).toBe(2);
  });

  test.each([
    [
      'reg',
      (p: (typeof partnerFacts)[number]) =>
        foldForSearch(p.name)
          .split(' ')
          .some((w) => w.startsWith('reg')),
    ],
    ['IDA', (p: (typeof partnerFacts)[number]) => p.acronym === 'IDA'],
    ['насърчаване', (p: (typeof partnerFacts)[number]) => p.acronym === 'BSMEPA'],
    ['economic development', (p: (typeof partnerFacts)[number]) => /Economic Development/.test(p.name)],
    ['reg.*ion', () => false],
  ])('searches names, original names and acronyms: %s', async (search, expected) => {
    const data = await ok<{ organisations: { nodes: { name: string }[] } }>(
      `query($search: String) { organisations(first: 100, filter: { search: $search }) { nodes { name } } }`,
      { search },
    );
    expect(data.organisations.nodes.map((n) => n.name).sort()).toEqual(
      partnerFacts
        .filter(expected)
        .map((p) => p.name)
        .sort(),
    );
  });

  test('countries come from the facts, each with its organisations', async () => {
    const data = await ok<{
      countries: { code: string; programmeStatus: string; organisations: { id: string }[] }[];
    }>(`{ countries { code programmeStatus organisations { id } } }`);
    expect(data.countries.map((c) => [c.code, c.programmeStatus])).toEqual(
      countries.map((c) => [c.code, c.programmeStatus]).sort(),
    );
    for (const country of data.countries) {
      expect(country.organisations.map((o) => o.id).sort()).toEqual(
        partnerFacts
          .filter((p) => p.country === country.code)
          .map(organisationId)
          .sort(),
      );
    }
  });

  test('project partners: one lead with LP, funding from the country status, no invented numbers', async () => {
    const data = await ok<{
      all: {
        totalCount: number;
        nodes: {
          role: string;
          partnerNumber: string | null;
          joinedOn: string;
          fundingSource: string;
          country: { code: string };
          source: string;
        }[];
      };
      ipa: { nodes: { organisation: { id: string } }[] };
      serbia: { totalCount: number };
    }>(
      `{ all: projectPartners(projectId: "clusterpolisee", first: 100) { totalCount nodes { role partnerNumber joinedOn fundingSource source country { code } } }
         ipa: projectPartners(projectId: "clusterpolisee", filter: { fundingSource: IPA }) { nodes { organisation { id } } }
         serbia: projectPartners(projectId: "clusterpolisee", filter: { country: "RS" }) { totalCount } }`,
    );
    expect(data.all.totalCount).toBe(25);
    expect(data.all.nodes.filter((n) => n.role === 'LEAD')).toHaveLength(1);
    expect(data.all.nodes.filter((n) => n.partnerNumber !== null).map((n) => n.partnerNumber)).toEqual([
      'LP',
    ]);
    expect(new Set(data.all.nodes.map((n) => n.joinedOn))).toEqual(new Set(['2012-05-01']));
    expect(new Set(data.all.nodes.map((n) => n.source))).toEqual(new Set(['project description']));
    const ipaCountries = countries.filter((c) => c.programmeStatus === 'IPA').map((c) => c.code);
    for (const node of data.all.nodes) {
      expect(node.fundingSource).toBe(ipaCountries.includes(node.country.code) ? 'IPA' : 'ERDF');
    }
    expect(data.ipa.nodes.map((n) => n.organisation.id).sort()).toEqual(
      partnerFacts
        .filter((p) => ipaCountries.includes(p.country))
        .map(organisationId)
        .sort(),
    );
    expect(data.serbia.totalCount).toBe(2);
  });

  test('partner counts by country are computed in the database and match the facts', async () => {
    subgraph.commands.reset();
    const data = await ok<{ partnerCountsByCountry: { country: { code: string }; count: number }[] }>(
      `{ partnerCountsByCountry(projectId: "clusterpolisee") { count country { code name } } }`,
    );
    expect(subgraph.commands.names()).toEqual(['aggregate project_partners', 'find countries']);
    const counts = Object.fromEntries(data.partnerCountsByCountry.map((c) => [c.country.code, c.count]));
    expect(counts).toEqual({ AT: 2, BG: 1, GR: 3, HU: 2, IT: 4, RO: 4, SK: 3, SI: 2, AL: 1, HR: 1, RS: 2 });
    const independent: Record<string, number> = {};
    for (const p of partnerFacts) independent[p.country] = (independent[p.country] ?? 0) + 1;
    expect(counts).toEqual(independent);
    const numbers = data.partnerCountsByCountry.map((c) => c.count);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  test('people: one synthetic representative per partner, searchable, with a reserved e-mail domain', async () => {
    const data = await ok<{
      people: { totalCount: number; nodes: { email: string; source: string }[] };
      ida: { nodes: { name: string; organisation: { id: string } }[] };
      found: { nodes: { name: string }[] };
    }>(
      `{ people(first: 100) { totalCount nodes { email source } }
         ida: people(filter: { organisationId: "${IDA}" }) { nodes { name organisation { id } } }
         found: people(filter: { search: "representative of ida" }) { nodes { name } } }`,
    );
    expect(data.people.totalCount).toBe(25);
    for (const person of data.people.nodes) {
      expect(person.source).toBe('synthetic');
      expect(person.email).toMatch(/@example\.org$/);
    }
    expect(data.ida.nodes).toEqual([
      { name: 'Representative of IDA (synthetic)', organisation: { id: IDA } },
    ]);
    expect(data.found.nodes).toEqual([{ name: 'Representative of IDA (synthetic)' }]);
  });

  test('governing bodies with their seats and meetings', async () => {
    const data = await ok<{
      governingBodies: {
        id: string;
        kind: string;
        source: string;
        memberships: {
          role: string;
          source: string;
          person: { organisation: { id: string } };
          organisation: { id: string };
        }[];
        meetings: { date: string; source: string; decisions: string[] }[];
      }[];
    }>(
      `{ governingBodies { id kind source memberships { role source person { organisation { id } } organisation { id } }
         meetings { date source decisions } } }`,
    );
    const [steering, board] = data.governingBodies;
    expect(steering).toMatchObject({
      id: STEERING,
      kind: 'STEERING_COMMITTEE',
      source: 'project description',
    });
    expect(steering!.memberships.map((m) => m.organisation.id).sort()).toEqual(
      partnerFacts.map(organisationId).sort(),
    );
    for (const m of steering!.memberships) {
      expect(m.person.organisation.id).toBe(m.organisation.id);
      expect(m.source).toBe('synthetic');
    }
    expect(board).toMatchObject({ id: BOARD, kind: 'ADVISORY_BOARD' });
    expect(board!.memberships.find((m) => m.role === 'COORDINATOR')?.organisation.id).toBe(MARCHE);
    for (const body of data.governingBodies) {
      expect(body.meetings.length).toBeGreaterThan(0);
      const dates = body.meetings.map((m) => m.date);
      expect(dates).toEqual([...dates].sort());
      for (const meeting of body.meetings) {
        expect(meeting.date >= '2012-05-01' && meeting.date <= '2014-10-30').toBe(true);
        expect(meeting.source).toBe('synthetic');
      }
    }
  });

  test('meetings of a body, paged', async () => {
    const data = await ok<{
      meetings: { totalCount: number; nodes: { body: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
    }>(
      `{ meetings(bodyId: "${STEERING}", first: 2) { totalCount nodes { body { id } } pageInfo { hasNextPage } } }`,
    );
    expect(data.meetings.totalCount).toBe(6);
    expect(data.meetings.nodes).toEqual([{ body: { id: STEERING } }, { body: { id: STEERING } }]);
    expect(data.meetings.pageInfo.hasNextPage).toBe(true);
  });

  test('seeding again writes nothing', async () => {
    expect(await seedPartners(subgraph.orm.em.fork(), { scale: 1 })).toBe(0);
  });
});

const CREATE_ORGANISATION = `mutation($input: CreateOrganisationInput!) {
  createOrganisation(input: $input) { id name nutsRegion website version archived country { code } } }`;
const UPDATE_ORGANISATION = `mutation($id: ID!, $version: Int!, $input: UpdateOrganisationInput!) {
  updateOrganisation(id: $id, version: $version, input: $input) { id name acronym nutsRegion website version } }`;
const ARCHIVE_ORGANISATION = `mutation($id: ID!, $version: Int!) { archiveOrganisation(id: $id, version: $version) { id archived version } }`;

const organisationInput = (overrides: Record<string, unknown> = {}) => ({
  name: 'Region of Western Macedonia',
  countryCode: 'GR',
  nutsRegion: 'EL53',
  legalStatus: 'PUBLIC',
  type: 'REGIONAL_AUTHORITY',
  website: 'https://www.pdm.gov.gr',
  source: 'https://www.pdm.gov.gr',
  ...overrides,
});

describe('organisation mutations', () => {
  test('creates an organisation with a readable id, search keys and version 1', async () => {
    const data = await ok<{ createOrganisation: unknown }>(CREATE_ORGANISATION, {
      input: organisationInput({
        name: ' Region of Western Macedonia ',
        nameOriginal: 'Περιφέρεια Δυτικής Μακεδονίας',
      }),
    });
    expect(data.createOrganisation).toEqual({
      id: 'gr-region-of-western-macedonia',
      name: 'Region of Western Macedonia',
      nutsRegion: 'EL53',
      website: 'https://www.pdm.gov.gr',
      version: 1,
      archived: false,
      country: { code: 'GR' },
    });
    const row = await stored.organisation('gr-region-of-western-macedonia');
    expect(row).toMatchObject({
      legalStatus: 'PUBLIC',
      type: 'REGIONAL_AUTHORITY',
      version: 1,
      archived: false,
    });
    expect(row?.searchKeys).toContain('περιφερεια δυτικης μακεδονιας');
  });

  test.each([
    ['an empty name', { name: '  ' }, 'input.name'],
    ['a malformed country code', { countryCode: 'grc' }, 'input.countryCode'],
    ['an unknown country', { countryCode: 'ZZ', nutsRegion: null }, 'input.countryCode'],
    ['an overlong acronym', { acronym: 'A'.repeat(31) }, 'input.acronym'],
    ['a malformed NUTS code', { nutsRegion: 'el53' }, 'input.nutsRegion'],
    ['a NUTS code of another country', { nutsRegion: 'ITI3' }, 'input.nutsRegion'],
    ["Greece's ISO code as NUTS prefix", { nutsRegion: 'GR12' }, 'input.nutsRegion'],
    ['a website that is not http(s)', { website: 'ftp://pdm.gov.gr' }, 'input.website'],
    ['a website that is no URL', { website: 'www pdm gov gr' }, 'input.website'],
    ['an empty source', { source: '' }, 'input.source'],
  ])(
    'refuses %s with BAD_USER_INPUT naming the field and writes nothing',
    async (_case, overrides, field) => {
      await refused(
        CREATE_ORGANISATION,
        { input: organisationInput({ name: 'Refused', ...overrides }) },
        'BAD_USER_INPUT',
        field,
      );
    },
  );

  test('refuses a duplicate organisation with CONFLICT and changes nothing', async () => {
    await refused(
      CREATE_ORGANISATION,
      { input: organisationInput({ name: 'Marche Region', countryCode: 'IT', nutsRegion: 'ITI3' }) },
      'CONFLICT',
    );
    expect((await stored.organisation(MARCHE))?.source).toBe('project description');
  });

  test('updates, clears with null, keeps the id, and refreshes search keys', async () => {
    const id = 'gr-region-of-western-macedonia';
    const data = await ok<{ updateOrganisation: unknown }>(UPDATE_ORGANISATION, {
      id,
      version: 1,
      input: { name: 'Western Macedonia Region', acronym: 'RWM', website: null },
    });
    expect(data.updateOrganisation).toEqual({
      id,
      name: 'Western Macedonia Region',
      acronym: 'RWM',
      nutsRegion: 'EL53',
      website: null,
      version: 2,
    });
    expect(await stored.organisation(id)).toMatchObject({
      name: 'Western Macedonia Region',
      website: null,
      version: 2,
    });
    const found = await ok<{ organisations: { nodes: { id: string }[] } }>(
      `{ organisations(filter: { search: "rwm" }) { nodes { id } } }`,
    );
    expect(found.organisations.nodes).toEqual([{ id }]);
  });

  test.each([
    ['an empty name', { name: '' }, 'input.name'],
    ['a NUTS code of another country', { nutsRegion: 'AT12' }, 'input.nutsRegion'],
    ['a bad website', { website: 'javascript:alert(1)' }, 'input.website'],
    ['a cleared legal status', { legalStatus: null }, 'input.legalStatus'],
  ])('refuses an update with %s and changes nothing', async (_case, input, field) => {
    await refused(
      UPDATE_ORGANISATION,
      { id: 'gr-region-of-western-macedonia', version: 2, input },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses an update based on a stale version with CONFLICT, and an unknown id with NOT_FOUND', async () => {
    const errors = await refused(
      UPDATE_ORGANISATION,
      { id: 'gr-region-of-western-macedonia', version: 1, input: { name: 'Lost update' } },
      'CONFLICT',
    );
    expect(errors?.[0]?.extensions?.currentVersion).toBe(2);
    await refused(UPDATE_ORGANISATION, { id: 'nope', version: 1, input: { name: 'x' } }, 'NOT_FOUND');
  });

  test('archives: hidden from lists, still found by key, stale archive refused', async () => {
    const id = 'gr-region-of-western-macedonia';
    await refused(ARCHIVE_ORGANISATION, { id, version: 1 }, 'CONFLICT');
    const data = await ok<{ archiveOrganisation: unknown }>(ARCHIVE_ORGANISATION, { id, version: 2 });
    expect(data.archiveOrganisation).toEqual({ id, archived: true, version: 3 });
    expect((await stored.organisation(id))?.archived).toBe(true);
    const lists = await ok<{
      visible: { nodes: { id: string }[] };
      all: { nodes: { id: string }[] };
      byKey: { archived: boolean };
      greece: { organisations: { id: string }[] };
    }>(
      `{ visible: organisations(first: 100, filter: { country: "GR" }) { nodes { id } }
         all: organisations(first: 100, filter: { country: "GR", includeArchived: true }) { nodes { id } }
         byKey: organisation(id: "${id}") { archived }
         greece: country(code: "GR") { organisations { id } } }`,
    );
    expect(lists.visible.nodes.map((n) => n.id)).not.toContain(id);
    expect(lists.all.nodes.map((n) => n.id)).toContain(id);
    expect(lists.byKey).toEqual({ archived: true });
    expect(lists.greece.organisations.map((o) => o.id)).not.toContain(id);
  });
});

const ADD_PARTNER = `mutation($input: AddProjectPartnerInput!) {
  addProjectPartner(input: $input) { id role partnerNumber fundingSource joinedOn leftOn version country { code } organisation { id } project { id } } }`;
const UPDATE_PARTNER = `mutation($id: ID!, $version: Int!, $input: UpdateProjectPartnerInput!) {
  updateProjectPartner(id: $id, version: $version, input: $input) { id role partnerNumber leftOn version } }`;
const ARCHIVE_PARTNER = `mutation($id: ID!, $version: Int!) { archiveProjectPartner(id: $id, version: $version) { id archived version } }`;

describe('project partner mutations', () => {
  const newcomer = 'md-ministry-of-economy';
  const newcomerPartner = `clusterpolisee--${newcomer}`;
  const partnerInput = (overrides: Record<string, unknown> = {}) => ({
    projectId: 'clusterpolisee',
    organisationId: newcomer,
    role: 'PARTNER',
    partnerNumber: 'PP26',
    joinedOn: '2014-01-01',
    source: 'final activity report',
    ...overrides,
  });

  beforeAll(async () => {
    // Moldova's ministry joined in 2014, per the final report; Moldova took part through ENPI.
    // No mutation creates countries (they are the programme's), so the test stores it directly.
    const em = subgraph.orm.em.fork();
    em.create(Country, {
      _id: 'MD',
      name: 'Moldova',
      programmeStatus: 'ENPI',
      source: 'final activity report',
    });
    await em.flush();
    await ok(
      `mutation { createOrganisation(input: { name: "Ministry of Economy", countryCode: "MD", legalStatus: PUBLIC, type: MINISTRY, source: "final activity report" }) { id } }`,
    );
    // A number for one real partner, so that reusing it can be refused.
    await ok(UPDATE_PARTNER, { id: `clusterpolisee--${IDA}`, version: 1, input: { partnerNumber: 'PP5' } });
  });

  test('adds a partner, funding from its country, read back', async () => {
    const data = await ok<{ addProjectPartner: unknown }>(ADD_PARTNER, { input: partnerInput() });
    expect(data.addProjectPartner).toEqual({
      id: newcomerPartner,
      role: 'PARTNER',
      partnerNumber: 'PP26',
      fundingSource: 'ENPI',
      joinedOn: '2014-01-01',
      leftOn: null,
      version: 1,
      country: { code: 'MD' },
      organisation: { id: newcomer },
      project: { id: 'clusterpolisee' },
    });
    expect(await stored.partner(newcomerPartner)).toMatchObject({
      countryCode: 'MD',
      partnerNumber: 'PP26',
      version: 1,
    });
    const partnerships = await ok<{ organisation: { partnerships: { id: string }[] } }>(
      `{ organisation(id: "${newcomer}") { partnerships { id } } }`,
    );
    expect(partnerships.organisation.partnerships).toEqual([{ id: newcomerPartner }]);
  });

  test('other projects are not bound to the ClusterPoliSEE period', async () => {
    const data = await ok<{ addProjectPartner: { id: string; leftOn: string } }>(ADD_PARTNER, {
      input: partnerInput({
        projectId: 'another-project',
        role: 'LEAD',
        partnerNumber: 'LP',
        joinedOn: '2016-01-01',
        leftOn: '2018-12-31',
      }),
    });
    expect(data.addProjectPartner).toMatchObject({
      id: `another-project--${newcomer}`,
      leftOn: '2018-12-31',
    });
  });

  test.each([
    ['a malformed project id', { projectId: 'Cluster PoliSEE' }, 'input.projectId'],
    ['an unknown organisation', { organisationId: 'xx-nobody' }, 'input.organisationId'],
    [
      'an archived organisation',
      { organisationId: 'gr-region-of-western-macedonia' },
      'input.organisationId',
    ],
    ['a malformed partner number', { partnerNumber: 'P2' }, 'input.partnerNumber'],
    ['a three-digit partner number', { partnerNumber: 'PP100' }, 'input.partnerNumber'],
    ['LP for a partner that does not lead', { partnerNumber: 'LP' }, 'input.partnerNumber'],
    ['a lead without LP', { role: 'LEAD', partnerNumber: 'PP3' }, 'input.partnerNumber'],
    ['a second lead', { role: 'LEAD', partnerNumber: 'LP' }, 'input.role'],
    [
      'a partner number another partner holds',
      { organisationId: AWS, partnerNumber: 'PP5' },
      'input.partnerNumber',
    ],
    ['an impossible date', { joinedOn: '2013-02-30' }, 'input.joinedOn'],
    ['joining before the project began', { joinedOn: '2012-04-30' }, 'input.joinedOn'],
    ['leaving after the project ended', { leftOn: '2015-01-01' }, 'input.leftOn'],
    ['leaving before joining', { joinedOn: '2013-06-01', leftOn: '2013-05-31' }, 'input.leftOn'],
    ['an empty source', { source: ' ' }, 'input.source'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
    await refused(
      ADD_PARTNER,
      { input: partnerInput({ organisationId: IDA, ...overrides }) },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses the same organisation twice in a project with CONFLICT', async () => {
    await refused(ADD_PARTNER, { input: partnerInput({ partnerNumber: null }) }, 'CONFLICT');
  });

  test('updates: leaves the project, read back', async () => {
    const data = await ok<{ updateProjectPartner: unknown }>(UPDATE_PARTNER, {
      id: newcomerPartner,
      version: 1,
      input: { leftOn: '2014-10-30' },
    });
    expect(data.updateProjectPartner).toEqual({
      id: newcomerPartner,
      role: 'PARTNER',
      partnerNumber: 'PP26',
      leftOn: '2014-10-30',
      version: 2,
    });
    expect((await stored.partner(newcomerPartner))?.leftOn?.toISOString()).toBe('2014-10-30T00:00:00.000Z');
  });

  test.each([
    ['a partner number another partner holds', { partnerNumber: 'PP5' }, 'input.partnerNumber'],
    ['LP for a partner', { partnerNumber: 'LP' }, 'input.partnerNumber'],
    ['a second lead', { role: 'LEAD', partnerNumber: 'LP' }, 'input.role'],
    ['a lead without LP', { role: 'LEAD' }, 'input.partnerNumber'],
    ['joining after leaving', { joinedOn: '2014-10-30', leftOn: '2014-06-30' }, 'input.leftOn'],
    ['leaving after the project ended', { leftOn: '2015-03-01' }, 'input.leftOn'],
    ['a cleared role', { role: null }, 'input.role'],
    ['a malformed partner number', { partnerNumber: 'pp7' }, 'input.partnerNumber'],
  ])('refuses an update with %s and changes nothing', async (_case, input, field) => {
    await refused(UPDATE_PARTNER, { id: newcomerPartner, version: 2, input }, 'BAD_USER_INPUT', field);
  });

  // The kit's ClusterPoliSEE period, as knowledge, communications and projects check it too.
  test('refuses a day after the project period, in the hub-wide wording', async () => {
    const errors = await refused(
      UPDATE_PARTNER,
      { id: newcomerPartner, version: 2, input: { leftOn: '2014-11-15' } },
      'BAD_USER_INPUT',
      'input.leftOn',
    );
    expect(errors?.[0]?.message).toBe(
      'input.leftOn: must be inside the project period 2012-05-01 to 2014-10-30 (got 2014-11-15)',
    );
  });

  test('refuses a stale update with CONFLICT', async () => {
    const errors = await refused(
      UPDATE_PARTNER,
      { id: newcomerPartner, version: 1, input: { leftOn: null } },
      'CONFLICT',
    );
    expect(errors?.[0]?.extensions?.currentVersion).toBe(2);
  });

  test('archives: gone from lists and counts, still found by key', async () => {
    await refused(ARCHIVE_PARTNER, { id: newcomerPartner, version: 1 }, 'CONFLICT');
    const data = await ok<{ archiveProjectPartner: unknown }>(ARCHIVE_PARTNER, {
      id: newcomerPartner,
      version: 2,
    });
    expect(data.archiveProjectPartner).toEqual({ id: newcomerPartner, archived: true, version: 3 });
    const after = await ok<{
      projectPartners: { totalCount: number };
      archived: { totalCount: number };
      partnerCountsByCountry: { country: { code: string } }[];
      projectPartner: { archived: boolean };
    }>(
      `{ projectPartners(projectId: "clusterpolisee") { totalCount }
         archived: projectPartners(projectId: "clusterpolisee", filter: { includeArchived: true }) { totalCount }
         partnerCountsByCountry(projectId: "clusterpolisee") { country { code } }
         projectPartner(id: "${newcomerPartner}") { archived } }`,
    );
    expect(after.projectPartners.totalCount).toBe(25);
    expect(after.archived.totalCount).toBe(26);
    expect(after.partnerCountsByCountry.map((c) => c.country.code)).not.toContain('MD');
    expect(after.projectPartner).toEqual({ archived: true });
  });
});

const CREATE_PERSON = `mutation($input: CreatePersonInput!) {
  createPerson(input: $input) { id name position email phone version organisation { id } } }`;
const UPDATE_PERSON = `mutation($id: ID!, $version: Int!, $input: UpdatePersonInput!) {
  updatePerson(id: $id, version: $version, input: $input) { id name email phone version } }`;
const ARCHIVE_PERSON = `mutation($id: ID!, $version: Int!) { archivePerson(id: $id, version: $version) { id archived version } }`;

describe('person mutations', () => {
  const id = `${MARCHE}-jane-example`;
  const personInput = (overrides: Record<string, unknown> = {}) => ({
    name: 'Jane Example',
    organisationId: MARCHE,
    position: 'Project officer',
    email: 'jane@example.org',
    phone: '+39 071 000 000',
    source: 'synthetic',
    ...overrides,
  });

  test('creates a person, read back', async () => {
    const data = await ok<{ createPerson: unknown }>(CREATE_PERSON, { input: personInput() });
    expect(data.createPerson).toEqual({
      id,
      name: 'Jane Example',
      position: 'Project officer',
      email: 'jane@example.org',
      phone: '+39 071 000 000',
      version: 1,
      organisation: { id: MARCHE },
    });
    expect(await stored.person(id)).toMatchObject({
      organisationId: MARCHE,
      searchKeys: ['jane example', 'example'],
    });
  });

  test.each([
    ['an empty name', { name: '' }, 'input.name'],
    ['an unknown organisation', { organisationId: 'xx-nobody' }, 'input.organisationId'],
    ['a malformed e-mail', { email: 'jane@example' }, 'input.email'],
    ['a phone with letters', { phone: '+39 071 CALL ME' }, 'input.phone'],
    ['a too short phone', { phone: '12345' }, 'input.phone'],
    ['an empty source', { source: '' }, 'input.source'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
    await refused(
      CREATE_PERSON,
      { input: personInput({ name: 'Refused Person', ...overrides }) },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses the same person twice with CONFLICT', async () => {
    await refused(CREATE_PERSON, { input: personInput() }, 'CONFLICT');
  });

  test('updates contact details, read back', async () => {
    const data = await ok<{ updatePerson: unknown }>(UPDATE_PERSON, {
      id,
      version: 1,
      input: { email: 'jane.example@example.org', phone: null },
    });
    expect(data.updatePerson).toEqual({
      id,
      name: 'Jane Example',
      email: 'jane.example@example.org',
      phone: null,
      version: 2,
    });
    expect(await stored.person(id)).toMatchObject({
      email: 'jane.example@example.org',
      phone: null,
      version: 2,
    });
  });

  test.each([
    ['a malformed e-mail', { email: 'not an address' }, 'input.email'],
    ['a malformed phone', { phone: '071/000' }, 'input.phone'],
    ['a cleared name', { name: null }, 'input.name'],
  ])('refuses an update with %s and changes nothing', async (_case, input, field) => {
    await refused(UPDATE_PERSON, { id, version: 2, input }, 'BAD_USER_INPUT', field);
  });

  test('refuses a stale update with CONFLICT', async () => {
    await refused(UPDATE_PERSON, { id, version: 1, input: { name: 'Lost' } }, 'CONFLICT');
  });

  test('archives: hidden from lists and the organisation, still found by key', async () => {
    await refused(ARCHIVE_PERSON, { id, version: 1 }, 'CONFLICT');
    expect((await ok<{ archivePerson: unknown }>(ARCHIVE_PERSON, { id, version: 2 })).archivePerson).toEqual({
      id,
      archived: true,
      version: 3,
    });
    const data = await ok<{
      people: { nodes: { id: string }[] };
      organisation: { people: { id: string }[] };
      person: { archived: boolean };
    }>(
      `{ people(filter: { organisationId: "${MARCHE}" }) { nodes { id } }
         organisation(id: "${MARCHE}") { people { id } }
         person(id: "${id}") { archived } }`,
    );
    expect(data.people.nodes.map((n) => n.id)).not.toContain(id);
    expect(data.organisation.people.map((n) => n.id)).not.toContain(id);
    expect(data.person).toEqual({ archived: true });
  });
});

const ADD_MEMBERSHIP = `mutation($bodyId: ID!, $version: Int!, $input: AddMembershipInput!) {
  addMembership(bodyId: $bodyId, version: $version, input: $input) { version memberships { id role person { id } organisation { id } } } }`;
const REMOVE_MEMBERSHIP = `mutation($bodyId: ID!, $version: Int!, $membershipId: ID!) {
  removeMembership(bodyId: $bodyId, version: $version, membershipId: $membershipId) { version memberships { id } } }`;

describe('membership mutations', () => {
  const corallia = 'gr-athena-research-and-innovation-center-corallia-clusters-initiative';
  let coralliaPerson = '';
  beforeAll(async () => {
    const data = await ok<{ people: { nodes: { id: string }[] } }>(
      `{ people(filter: { organisationId: "${corallia}" }) { nodes { id } } }`,
    );
    coralliaPerson = data.people.nodes[0]!.id;
  });
  const membershipInput = (overrides: Record<string, unknown> = {}) => ({
    organisationId: corallia,
    personId: coralliaPerson as string | null,
    role: 'MEMBER',
    source: 'synthetic',
    ...overrides,
  });

  test('adds a seat to the advisory board, read back', async () => {
    const data = await ok<{
      addMembership: { version: number; memberships: { id: string; person: { id: string } | null }[] };
    }>(ADD_MEMBERSHIP, { bodyId: BOARD, version: 1, input: membershipInput() });
    expect(data.addMembership.version).toBe(2);
    expect(data.addMembership.memberships).toHaveLength(3);
    expect(data.addMembership.memberships[2]).toEqual({
      id: slugId(corallia, coralliaPerson),
      role: 'MEMBER',
      person: { id: coralliaPerson },
      organisation: { id: corallia },
    });
    expect((await stored.body(BOARD)).memberships).toHaveLength(3);
  });

  test('a seat may be held by an organisation without a named person', async () => {
    const data = await ok<{ addMembership: { memberships: { id: string; person: null }[] } }>(
      ADD_MEMBERSHIP,
      {
        bodyId: BOARD,
        version: 2,
        input: membershipInput({ organisationId: IDA, personId: null }),
      },
    );
    expect(data.addMembership.memberships[3]).toMatchObject({ id: IDA, person: null });
  });

  test.each([
    ['an unknown organisation', { organisationId: 'xx-nobody' }, 'input.organisationId'],
    ['an unknown person', { personId: 'nobody' }, 'input.personId'],
    ['a person of another organisation', { organisationId: IDA }, 'input.personId'],
    ['a second coordinator', { role: 'COORDINATOR' }, 'input.role'],
    ['an empty source', { source: '' }, 'input.source'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
    await refused(
      ADD_MEMBERSHIP,
      { bodyId: BOARD, version: 3, input: membershipInput(overrides) },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses a second seat for the same person with CONFLICT', async () => {
    await refused(ADD_MEMBERSHIP, { bodyId: BOARD, version: 3, input: membershipInput() }, 'CONFLICT');
  });

  test('refuses a stale version with CONFLICT and an unknown body with NOT_FOUND', async () => {
    await refused(
      ADD_MEMBERSHIP,
      { bodyId: BOARD, version: 2, input: membershipInput({ organisationId: AWS, personId: null }) },
      'CONFLICT',
    );
    await refused(ADD_MEMBERSHIP, { bodyId: 'nope', version: 1, input: membershipInput() }, 'NOT_FOUND');
  });

  test('removes a seat, read back', async () => {
    const data = await ok<{ removeMembership: { version: number; memberships: { id: string }[] } }>(
      REMOVE_MEMBERSHIP,
      {
        bodyId: BOARD,
        version: 3,
        membershipId: IDA,
      },
    );
    expect(data.removeMembership.version).toBe(4);
    expect(data.removeMembership.memberships.map((m) => m.id)).not.toContain(IDA);
    expect((await stored.body(BOARD)).memberships.map((m) => m.id)).not.toContain(IDA);
  });

  test('refuses to remove a seat the body does not have, or from a stale version', async () => {
    await refused(
      REMOVE_MEMBERSHIP,
      { bodyId: BOARD, version: 4, membershipId: IDA },
      'BAD_USER_INPUT',
      'membershipId',
    );
    await refused(
      REMOVE_MEMBERSHIP,
      { bodyId: BOARD, version: 3, membershipId: slugId(corallia, coralliaPerson) },
      'CONFLICT',
    );
  });
});

const CREATE_MEETING = `mutation($input: CreateMeetingInput!) {
  createMeeting(input: $input) { id date place decisions version body { id } } }`;
const UPDATE_MEETING = `mutation($id: ID!, $version: Int!, $input: UpdateMeetingInput!) {
  updateMeeting(id: $id, version: $version, input: $input) { id place decisions version } }`;
const ARCHIVE_MEETING = `mutation($id: ID!, $version: Int!) { archiveMeeting(id: $id, version: $version) { id archived version } }`;

describe('meeting mutations', () => {
  const id = `${STEERING}-2014-09-25`;
  const meetingInput = (overrides: Record<string, unknown> = {}) => ({
    bodyId: STEERING,
    date: '2014-09-25',
    place: 'Bratislava, Slovakia',
    decisions: ['Approved the factsheets'],
    source: 'synthetic',
    ...overrides,
  });

  test('creates a meeting, read back', async () => {
    const data = await ok<{ createMeeting: unknown }>(CREATE_MEETING, { input: meetingInput() });
    expect(data.createMeeting).toEqual({
      id,
      date: '2014-09-25',
      place: 'Bratislava, Slovakia',
      decisions: ['Approved the factsheets'],
      version: 1,
      body: { id: STEERING },
    });
    expect(await stored.meeting(id)).toMatchObject({
      bodyId: STEERING,
      decisions: ['Approved the factsheets'],
    });
  });

  test.each([
    ['an unknown body', { bodyId: 'nope' }, 'input.bodyId'],
    ['a date before the project', { date: '2012-04-30' }, 'input.date'],
    ['a date after the project', { date: '2015-01-01' }, 'input.date'],
    ['an impossible date', { date: '2014-13-01' }, 'input.date'],
    ['an empty place', { place: '' }, 'input.place'],
    ['an empty decision', { decisions: ['ok', ' '] }, 'input.decisions.1'],
    ['an empty source', { source: '' }, 'input.source'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
    await refused(
      CREATE_MEETING,
      { input: meetingInput({ date: '2014-09-26', ...overrides }) },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('refuses a second meeting of a body on one day with CONFLICT', async () => {
    await refused(CREATE_MEETING, { input: meetingInput() }, 'CONFLICT');
  });

  test('updates decisions, read back', async () => {
    const decisions = ['Approved the factsheets', 'Set the date of the final conference'];
    const data = await ok<{ updateMeeting: unknown }>(UPDATE_MEETING, {
      id,
      version: 1,
      input: { decisions },
    });
    expect(data.updateMeeting).toEqual({ id, place: 'Bratislava, Slovakia', decisions, version: 2 });
    expect((await stored.meeting(id))?.decisions).toEqual(decisions);
  });

  test.each([
    ['an empty place', { place: ' ' }, 'input.place'],
    ['an empty decision', { decisions: [''] }, 'input.decisions.0'],
    ['a cleared place', { place: null }, 'input.place'],
  ])('refuses an update with %s and changes nothing', async (_case, input, field) => {
    await refused(UPDATE_MEETING, { id, version: 2, input }, 'BAD_USER_INPUT', field);
  });

  test('refuses a stale update with CONFLICT', async () => {
    await refused(UPDATE_MEETING, { id, version: 1, input: { place: 'Lost' } }, 'CONFLICT');
  });

  test('archives: hidden from the body and the list, still found by key', async () => {
    await refused(ARCHIVE_MEETING, { id, version: 1 }, 'CONFLICT');
    expect(
      (await ok<{ archiveMeeting: unknown }>(ARCHIVE_MEETING, { id, version: 2 })).archiveMeeting,
    ).toEqual({
      id,
      archived: true,
      version: 3,
    });
    const data = await ok<{
      meetings: { totalCount: number };
      all: { totalCount: number };
      governingBody: { meetings: { id: string }[] };
      meeting: { archived: boolean };
    }>(
      `{ meetings(bodyId: "${STEERING}") { totalCount }
         all: meetings(bodyId: "${STEERING}", filter: { includeArchived: true }) { totalCount }
         governingBody(id: "${STEERING}") { meetings { id } }
         meeting(id: "${id}") { archived } }`,
    );
    expect(data.meetings.totalCount).toBe(6);
    expect(data.all.totalCount).toBe(7);
    expect(data.governingBody.meetings.map((m) => m.id)).not.toContain(id);
    expect(data.meeting).toEqual({ archived: true });
  });
});
