import { GOVERNING_BODIES, seedPartners } from '@clusterpolisee/infra/seed/partners';
import { formatIsoDate, isOwnRecord, slugId } from '@clusterpolisee/kit';
import { identityFor, type Scope } from '@clusterpolisee/kit/auth';
import {
  answeredFields,
  FORGED_IDENTITIES,
  asIdentity,
  startTestSubgraph,
  type TestCaller,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { partners } from '.';
import { Person, projectPartnerId } from './entities';

/**
 * Who may read and change what in this subgraph, tried over real HTTP with the gateway's signed
 * identity: each protected field and each mutation against each role, the own-organisation
 * record rule across partners, requests that bypass the gateway, the audit trail, and MongoDB
 * operators smuggled into arguments.
 */
let subgraph: TestSubgraph;
const MARCHE = 'it-marche-region';
const IDA = 'hr-istrian-development-agency';
const STEERING = GOVERNING_BODIES[0]!._id;
const BOARD = GOVERNING_BODIES[1]!._id;
/** A project without a known period, so that partnerships of fixtures need no partner numbers or dates in range. */
const FIXTURE_PROJECT = 'authorization-fixtures';

beforeAll(async () => {
  subgraph = await startTestSubgraph(partners);
  await seedPartners(subgraph.orm.em.fork(), { scale: 1 });
});
afterAll(() => subgraph.close());

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** As the default admin: arranging fixtures and reading back must not depend on the rules under test. */
async function asAdmin(query: string, variables?: Record<string, unknown>): Promise<Data> {
  const result = await subgraph.query<Data>(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const codesOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (result.errors ?? []).map((error) => error.extensions?.code);

type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** The callers of the tables; `owner` is the organisation the record at stake belongs to. */
const CALLERS = {
  anonymous: () => ({ role: 'anonymous' }),
  'partner-member of the owner': (owner) => ({ role: 'partner-member', org: owner }),
  'partner-member of another organisation': () => ({ role: 'partner-member', org: IDA }),
  'finance-officer of the owner': (owner) => ({ role: 'finance-officer', org: owner }),
  controller: () => ({ role: 'controller' }),
  coordinator: () => ({ role: 'coordinator' }),
  analyst: () => ({ role: 'analyst' }),
  admin: () => ({ role: 'admin' }),
} satisfies Record<string, (owner: string) => TestCaller>;
type CallerName = keyof typeof CALLERS;

/** What the SDL requires of a field, and what each caller must get. */
interface Rule {
  scope: Scope;
  outcomes: Record<CallerName, Outcome>;
}

const READ_PERSONAL: Rule = {
  scope: 'read:personal',
  outcomes: {
    anonymous: 'UNAUTHENTICATED',
    'partner-member of the owner': 'allowed',
    'partner-member of another organisation': 'allowed',
    'finance-officer of the owner': 'allowed',
    controller: 'allowed',
    coordinator: 'allowed',
    analyst: 'FORBIDDEN',
    admin: 'allowed',
  },
};
const READ_AUDIT: Rule = {
  scope: 'read:audit',
  outcomes: {
    anonymous: 'UNAUTHENTICATED',
    'partner-member of the owner': 'FORBIDDEN',
    'partner-member of another organisation': 'FORBIDDEN',
    'finance-officer of the owner': 'FORBIDDEN',
    controller: 'allowed',
    coordinator: 'allowed',
    analyst: 'FORBIDDEN',
    admin: 'allowed',
  },
};
/** write:organisation, narrowed by the record rule to the caller's own organisation. */
const WRITE_OWN_ORGANISATION: Rule = {
  scope: 'write:organisation',
  outcomes: {
    anonymous: 'UNAUTHENTICATED',
    'partner-member of the owner': 'allowed',
    'partner-member of another organisation': 'FORBIDDEN',
    'finance-officer of the owner': 'allowed',
    controller: 'FORBIDDEN',
    coordinator: 'allowed',
    analyst: 'FORBIDDEN',
    admin: 'allowed',
  },
};
const WRITE_GOVERNANCE: Rule = {
  scope: 'write:governance',
  outcomes: {
    anonymous: 'UNAUTHENTICATED',
    'partner-member of the owner': 'FORBIDDEN',
    'partner-member of another organisation': 'FORBIDDEN',
    'finance-officer of the owner': 'FORBIDDEN',
    controller: 'FORBIDDEN',
    coordinator: 'allowed',
    analyst: 'FORBIDDEN',
    admin: 'allowed',
  },
};

/**
 * A refusal for want of a scope names the scope, so that the tables pin the SDL's scope and not
 * only the outcome (the record rule alone would refuse some callers with the same code).
 */
function expectRefused(
  result: { errors?: { extensions?: Record<string, unknown> }[] },
  outcome: Outcome,
  rule: Rule,
  caller: TestCaller,
): void {
  expect(codesOf(result)).toEqual([outcome]);
  const lacksScope = outcome === 'FORBIDDEN' && !asIdentity(caller).scopes.has(rule.scope);
  expect(result.errors?.[0]?.extensions?.requiredScopes).toEqual(lacksScope ? [[rule.scope]] : undefined);
}

let fixtures = 0;
let meetingDays = 0;

/** A new organisation, so that every case starts from records no other case touched. */
async function freshOrganisation(): Promise<string> {
  const data = await asAdmin(
    `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
    {
      input: {
        name: `Authorization fixture ${++fixtures}`,
        countryCode: 'SI',
        legalStatus: 'PUBLIC',
        type: 'NGO',
        source: 'synthetic',
      },
    },
  );
  return data.createOrganisation.id as string;
}

async function freshPerson(organisationId: string): Promise<string> {
  const data = await asAdmin(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
    input: {
      name: 'Fixture Person',
      organisationId,
      email: 'fixture@example.org',
      phone: '+386 1 000 000',
      source: 'synthetic',
    },
  });
  return data.createPerson.id as string;
}

async function freshPartnership(organisationId: string): Promise<string> {
  const data = await asAdmin(
    `mutation($input: AddProjectPartnerInput!) { addProjectPartner(input: $input) { id } }`,
    { input: partnershipInput(organisationId) },
  );
  return data.addProjectPartner.id as string;
}

const partnershipInput = (organisationId: string) => ({
  projectId: FIXTURE_PROJECT,
  organisationId,
  role: 'PARTNER',
  joinedOn: '2013-01-01',
  source: 'synthetic',
});

/** Days inside the project period from July 2012, which the seed leaves free (its next meeting is in November). */
function freshMeetingDate(): string {
  return formatIsoDate(new Date(Date.UTC(2012, 6, 1 + meetingDays++)));
}

async function freshMeeting(): Promise<string> {
  const data = await asAdmin(
    `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }`,
    {
      input: { bodyId: STEERING, date: freshMeetingDate(), place: 'Ancona', source: 'synthetic' },
    },
  );
  return data.createMeeting.id as string;
}

async function bodyVersion(id: string): Promise<number> {
  return (await asAdmin(`query($id: ID!) { governingBody(id: $id) { version } }`, { id })).governingBody
    .version as number;
}

/** What a case reads back as admin: the record (null if absent) and how many audit entries it has. */
const state = (record: string) =>
  `query($id: ID!) { record: ${record} audit: partnersAuditLog(recordId: $id) { totalCount } }`;
const ORGANISATION = state(`organisation(id: $id) { name acronym version archived }`);
const PERSON = state(`person(id: $id) { name position email version archived }`);
const PARTNER = state(`projectPartner(id: $id) { role version archived }`);
const BODY = state(`governingBody(id: $id) { version memberships { id role } }`);
const MEETING = state(`meeting(id: $id) { place version archived }`);

interface Arranged {
  variables: Record<string, unknown>;
  /** The record the mutation creates or changes. */
  recordId: string;
  /** The organisation the record belongs to (or would, for a creation). */
  owner: string;
}

interface MutationCase {
  rule: Rule;
  mutation: string;
  readBack: string;
  /** Stores, as admin, what the mutation needs. */
  arrange(): Promise<Arranged>;
}

const MUTATIONS: Record<string, MutationCase> = {
  createOrganisation: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
    readBack: ORGANISATION,
    arrange: async () => {
      const name = `Created organisation ${++fixtures}`;
      const recordId = slugId('SI', name);
      const input = { name, countryCode: 'SI', legalStatus: 'PRIVATE', type: 'NGO', source: 'synthetic' };
      return { variables: { input }, recordId, owner: recordId };
    },
  },
  updateOrganisation: {
    rule: WRITE_OWN_ORGANISATION,
    mutation: `mutation($id: ID!, $version: Int!, $input: UpdateOrganisationInput!) {
      updateOrganisation(id: $id, version: $version, input: $input) { id } }`,
    readBack: ORGANISATION,
    arrange: async () => {
      const owner = await freshOrganisation();
      return { variables: { id: owner, version: 1, input: { acronym: 'CHG' } }, recordId: owner, owner };
    },
  },
  archiveOrganisation: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($id: ID!, $version: Int!) { archiveOrganisation(id: $id, version: $version) { id } }`,
    readBack: ORGANISATION,
    arrange: async () => {
      const owner = await freshOrganisation();
      return { variables: { id: owner, version: 1 }, recordId: owner, owner };
    },
  },
  addProjectPartner: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($input: AddProjectPartnerInput!) { addProjectPartner(input: $input) { id } }`,
    readBack: PARTNER,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = projectPartnerId(FIXTURE_PROJECT, owner);
      return { variables: { input: partnershipInput(owner) }, recordId, owner };
    },
  },
  updateProjectPartner: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($id: ID!, $version: Int!, $input: UpdateProjectPartnerInput!) {
      updateProjectPartner(id: $id, version: $version, input: $input) { id } }`,
    readBack: PARTNER,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = await freshPartnership(owner);
      return { variables: { id: recordId, version: 1, input: { role: 'ASSOCIATED' } }, recordId, owner };
    },
  },
  archiveProjectPartner: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($id: ID!, $version: Int!) { archiveProjectPartner(id: $id, version: $version) { id } }`,
    readBack: PARTNER,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = await freshPartnership(owner);
      return { variables: { id: recordId, version: 1 }, recordId, owner };
    },
  },
  createPerson: {
    rule: WRITE_OWN_ORGANISATION,
    mutation: `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`,
    readBack: PERSON,
    arrange: async () => {
      const owner = await freshOrganisation();
      const input = {
        name: 'New Person',
        organisationId: owner,
        email: 'new@example.org',
        source: 'synthetic',
      };
      return { variables: { input }, recordId: slugId(owner, 'New Person'), owner };
    },
  },
  updatePerson: {
    rule: WRITE_OWN_ORGANISATION,
    mutation: `mutation($id: ID!, $version: Int!, $input: UpdatePersonInput!) {
      updatePerson(id: $id, version: $version, input: $input) { id } }`,
    readBack: PERSON,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = await freshPerson(owner);
      return {
        variables: { id: recordId, version: 1, input: { position: 'Head of unit' } },
        recordId,
        owner,
      };
    },
  },
  archivePerson: {
    rule: WRITE_OWN_ORGANISATION,
    mutation: `mutation($id: ID!, $version: Int!) { archivePerson(id: $id, version: $version) { id } }`,
    readBack: PERSON,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = await freshPerson(owner);
      return { variables: { id: recordId, version: 1 }, recordId, owner };
    },
  },
  addMembership: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($bodyId: ID!, $version: Int!, $input: AddMembershipInput!) {
      addMembership(bodyId: $bodyId, version: $version, input: $input) { id } }`,
    readBack: BODY,
    arrange: async () => {
      const owner = await freshOrganisation();
      const input = { organisationId: owner, role: 'MEMBER', source: 'synthetic' };
      return {
        variables: { bodyId: BOARD, version: await bodyVersion(BOARD), input },
        recordId: BOARD,
        owner,
      };
    },
  },
  removeMembership: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($bodyId: ID!, $version: Int!, $membershipId: ID!) {
      removeMembership(bodyId: $bodyId, version: $version, membershipId: $membershipId) { id } }`,
    readBack: BODY,
    arrange: async () => {
      const owner = await freshOrganisation();
      const added = await asAdmin(
        `mutation($bodyId: ID!, $version: Int!, $input: AddMembershipInput!) {
          addMembership(bodyId: $bodyId, version: $version, input: $input) { version } }`,
        {
          bodyId: BOARD,
          version: await bodyVersion(BOARD),
          input: { organisationId: owner, role: 'MEMBER', source: 'synthetic' },
        },
      );
      // A seat held by the organisation itself has the organisation's id.
      const variables = { bodyId: BOARD, version: added.addMembership.version, membershipId: owner };
      return { variables, recordId: BOARD, owner };
    },
  },
  createMeeting: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { id } }`,
    readBack: MEETING,
    arrange: async () => {
      const owner = await freshOrganisation();
      const date = freshMeetingDate();
      const input = { bodyId: STEERING, date, place: 'Ljubljana', source: 'synthetic' };
      return { variables: { input }, recordId: `${STEERING}-${date}`, owner };
    },
  },
  updateMeeting: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($id: ID!, $version: Int!, $input: UpdateMeetingInput!) {
      updateMeeting(id: $id, version: $version, input: $input) { id } }`,
    readBack: MEETING,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = await freshMeeting();
      return { variables: { id: recordId, version: 1, input: { place: 'Maribor' } }, recordId, owner };
    },
  },
  archiveMeeting: {
    rule: WRITE_GOVERNANCE,
    mutation: `mutation($id: ID!, $version: Int!) { archiveMeeting(id: $id, version: $version) { id } }`,
    readBack: MEETING,
    arrange: async () => {
      const owner = await freshOrganisation();
      const recordId = await freshMeeting();
      return { variables: { id: recordId, version: 1 }, recordId, owner };
    },
  },
};

const callerNames = Object.keys(CALLERS) as CallerName[];

describe('each mutation against each role', () => {
  const cases = Object.entries(MUTATIONS).flatMap(([name, mutationCase]) =>
    callerNames.map((caller) => [name, caller, mutationCase.rule.outcomes[caller], mutationCase] as const),
  );

  test.each(cases)('%s as %s: %s', async (_name, caller, outcome, { rule, mutation, readBack, arrange }) => {
    const { variables, recordId, owner } = await arrange();
    const before = await asAdmin(readBack, { id: recordId });
    const as = CALLERS[caller](owner);
    const result = await subgraph.query<Data>(mutation, variables, { as });
    const after = await asAdmin(readBack, { id: recordId });
    if (outcome === 'allowed') {
      expect(result.errors).toBeUndefined();
      expect(after.record).not.toEqual(before.record);
      expect(after.audit.totalCount).toBe(before.audit.totalCount + 1);
    } else {
      expectRefused(result, outcome, rule, as);
      expect(answeredFields(result)).toEqual([]);
      expect(after).toEqual(before);
    }
  });
});

describe('each protected field against each role', () => {
  let owner = '';
  let person = '';
  beforeAll(async () => {
    owner = await freshOrganisation();
    person = await freshPerson(owner);
  });

  const contactFields = (['email', 'phone'] as const).flatMap((field) =>
    callerNames.map((caller) => [`Person.${field}`, caller, READ_PERSONAL.outcomes[caller], field] as const),
  );

  test.each(contactFields)('%s as %s: %s', async (_coordinate, caller, outcome, field) => {
    const stored = (await asAdmin(`query($id: ID!) { person(id: $id) { ${field} } }`, { id: person })).person[
      field
    ] as string;
    expect(stored).toBeTruthy();
    const as = CALLERS[caller](owner);
    const result = await subgraph.query<Data>(
      `query($id: ID!) { person(id: $id) { name ${field} } }`,
      { id: person },
      { as },
    );
    if (outcome === 'allowed') {
      expect(result.errors).toBeUndefined();
      expect(result.data?.person).toEqual({ name: 'Fixture Person', [field]: stored });
    } else {
      expectRefused(result, outcome, READ_PERSONAL, as);
      expect(result.errors?.[0]?.path).toEqual(['person', field]);
      // Names stay public: only the contact field is withheld.
      expect(result.data?.person).toEqual({ name: 'Fixture Person', [field]: null });
    }
  });

  test.each(
    callerNames.map((caller) => ['Query.partnersAuditLog', caller, READ_AUDIT.outcomes[caller]] as const),
  )('%s as %s: %s', async (_coordinate, caller, outcome) => {
    const as = CALLERS[caller](MARCHE);
    const result = await subgraph.query<Data>(
      `{ partnersAuditLog(first: 1) { totalCount nodes { recordType } } }`,
      {},
      { as },
    );
    if (outcome === 'allowed') {
      expect(result.errors).toBeUndefined();
      expect(result.data?.partnersAuditLog.totalCount).toBeGreaterThan(0);
      expect(result.data?.partnersAuditLog.nodes).toHaveLength(1);
    } else {
      expectRefused(result, outcome, READ_AUDIT, as);
      expect(answeredFields(result)).toEqual([]);
    }
  });

  test('contact data is withheld from anonymous callers on every path to a person', async () => {
    const result = await subgraph.query<Data>(
      `{ people(first: 3) { nodes { name email phone } }
         organisation(id: "${MARCHE}") { people { name email } }
         governingBody(id: "${STEERING}") { memberships { person { phone } } } }`,
      {},
      { as: { role: 'anonymous' } },
    );
    const { people, organisation, governingBody } = result.data!;
    const seated = (governingBody.memberships as { person: unknown }[]).filter((m) => m.person !== null);
    expect(people.nodes).toHaveLength(3);
    expect(organisation.people.length).toBeGreaterThan(0);
    expect(seated.length).toBeGreaterThan(0);
    // One refusal per contact field asked for, and the names still answered.
    expect(codesOf(result)).toEqual(
      Array(people.nodes.length * 2 + organisation.people.length + seated.length).fill('UNAUTHENTICATED'),
    );
    for (const person of people.nodes) {
      expect(person).toEqual({ name: expect.any(String), email: null, phone: null });
    }
    for (const person of organisation.people)
      expect(person).toEqual({ name: expect.any(String), email: null });
    for (const { person } of seated) expect(person).toEqual({ phone: null });
  });

  test('anonymous callers cannot find people by e-mail or phone through the search', async () => {
    const owner = await freshOrganisation();
    await asAdmin(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
      input: {
        name: 'Probe Target',
        organisationId: owner,
        email: 'hidden.mailbox@example.org',
        phone: '+386 1 555 0101',
        source: 'synthetic',
      },
    });
    const search = (text: string) =>
      subgraph.query<Data>(
        `query($text: String) { people(filter: { search: $text }) { totalCount nodes { name } } }`,
        { text },
        { as: { role: 'anonymous' } },
      );
    expect((await search('Probe Target')).data?.people.nodes).toEqual([{ name: 'Probe Target' }]);
    for (const probe of ['hidden.mailbox@example.org', 'hidden', '+386 1 555 0101', '555']) {
      expect((await search(probe)).data?.people).toEqual({ totalCount: 0, nodes: [] });
    }
  });
});

describe('cross-partner writes', () => {
  const marcheMember = { role: 'partner-member', org: MARCHE, sub: 'marche-editor' } as const;
  let idaPerson = '';
  let marchePerson = '';
  beforeAll(async () => {
    idaPerson = await freshPerson(IDA);
    marchePerson = await freshPerson(MARCHE);
  });

  async function refusedFor(
    caller: TestCaller,
    mutation: string,
    variables: Record<string, unknown>,
    code: string,
  ): Promise<void> {
    const before = await subgraph.storedDocuments();
    const result = await subgraph.query(mutation, variables, { as: caller });
    expect(codesOf(result)).toEqual([code]);
    expect(await subgraph.storedDocuments()).toBe(before);
  }

  test("a partner-member of A may not update B's organisation", async () => {
    const { version } = (await asAdmin(`{ organisation(id: "${IDA}") { version } }`)).organisation;
    await refusedFor(
      marcheMember,
      `mutation($id: ID!, $version: Int!) { updateOrganisation(id: $id, version: $version, input: { name: "Taken over" }) { id } }`,
      { id: IDA, version },
      'FORBIDDEN',
    );
    expect((await asAdmin(`{ organisation(id: "${IDA}") { name } }`)).organisation.name).toBe(
      'Istrian Development Agency',
    );
  });

  test("a partner-member of A may not update or archive B's people", async () => {
    await refusedFor(
      marcheMember,
      `mutation($id: ID!) { updatePerson(id: $id, version: 1, input: { email: "diverted@example.org" }) { id } }`,
      { id: idaPerson },
      'FORBIDDEN',
    );
    await refusedFor(
      marcheMember,
      `mutation($id: ID!) { archivePerson(id: $id, version: 1) { id } }`,
      { id: idaPerson },
      'FORBIDDEN',
    );
    expect((await asAdmin(`{ person(id: "${idaPerson}") { email archived version } }`)).person).toEqual({
      email: 'fixture@example.org',
      archived: false,
      version: 1,
    });
  });

  test('a partner-member of A may not record a person for B', async () => {
    const id = slugId(IDA, 'Planted Person');
    await refusedFor(
      marcheMember,
      `mutation { createPerson(input: { name: "Planted Person", organisationId: "${IDA}", source: "synthetic" }) { id } }`,
      {},
      'FORBIDDEN',
    );
    expect((await asAdmin(`{ person(id: "${id}") { id } }`)).person).toBeNull();
  });

  test('a partner-member of A cannot move its own person to B', async () => {
    // The API has no way to say it: a person's organisation is fixed at creation, and GraphQL
    // refuses the field before any resolver runs.
    await refusedFor(
      marcheMember,
      `mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, version: 1, input: $input) { id } }`,
      { id: marchePerson, input: { organisationId: IDA } },
      'BAD_USER_INPUT',
    );
    expect((await asAdmin(`{ person(id: "${marchePerson}") { organisation { id } } }`)).person).toEqual({
      organisation: { id: MARCHE },
    });
    // Should an update ever carry it, the record rule judges the person as it would be after.
    const moved = Object.assign(new Person(), { _id: marchePerson, organisationId: IDA });
    const stays = Object.assign(new Person(), { _id: marchePerson, organisationId: MARCHE });
    expect(isOwnRecord(asIdentity(marcheMember), stays)).toBe(true);
    expect(isOwnRecord(asIdentity(marcheMember), moved)).toBe(false);
  });

  test('a partner-member of A may still change its own organisation and people', async () => {
    const result = await subgraph.query<Data>(
      `mutation($id: ID!) { updatePerson(id: $id, version: 1, input: { position: "Cluster manager" }) { position version } }`,
      { id: marchePerson },
      { as: marcheMember },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.updatePerson).toEqual({ position: 'Cluster manager', version: 2 });
  });
});

describe('requests that bypass the gateway', () => {
  const QUERY = `{ organisation(id: "${MARCHE}") { name } }`;
  const caller = identityFor('intruder', 'admin');

  async function expectRefused(options: Parameters<TestSubgraph['query']>[2]): Promise<void> {
    const result = await subgraph.query(QUERY, {}, options);
    expect(result.status).toBe(401);
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.data).toBeUndefined();
  }

  test('a signed request is answered (the control for the cases below)', async () => {
    const result = await subgraph.query<Data>(QUERY, {}, { as: caller });
    expect(result.status).toBe(200);
    expect(result.data?.organisation).toEqual({ name: 'Marche Region' });
  });

  test.each(FORGED_IDENTITIES)('%s: 401', async (_case, forge) => expectRefused(await forge(subgraph)));

  test('an unsigned mutation changes nothing', async () => {
    const before = await subgraph.storedDocuments();
    const result = await subgraph.query(
      `mutation { updateOrganisation(id: "${MARCHE}", version: 1, input: { name: "Hijacked" }) { id } }`,
      {},
      { unsigned: true },
    );
    expect(result.status).toBe(401);
    expect(codesOf(result)).toEqual(['UNAUTHENTICATED']);
    expect(await subgraph.storedDocuments()).toBe(before);
  });
});

describe('audit trail', () => {
  const editor = { role: 'partner-member', org: MARCHE, sub: 'marche-audit-editor' } as const;
  const AUDIT = `query($id: ID!) { partnersAuditLog(recordId: $id) { totalCount nodes {
    actor actorRole actorOrganisationId action recordType recordId requestId subgraph at
    changes { field before after } } } }`;
  let id = '';

  beforeAll(async () => {
    const created = await subgraph.query<Data>(
      `mutation { createPerson(input: { name: "Audited Person", organisationId: "${MARCHE}",
        position: "Officer", email: "audited@example.org", source: "synthetic" }) { id } }`,
      {},
      { as: editor },
    );
    expect(created.errors).toBeUndefined();
    id = created.data!.createPerson.id as string;
    const updated = await subgraph.query(
      `mutation($id: ID!) { updatePerson(id: $id, version: 1, input: { position: "Head of unit", phone: "+39 071 111 111" }) { id } }`,
      { id },
      { as: editor },
    );
    expect(updated.errors).toBeUndefined();
  });

  test.each([['coordinator'], ['controller']] as const)(
    'as %s: who changed what, with each field before and after, newest first',
    async (role) => {
      const result = await subgraph.query<Data>(AUDIT, { id }, { as: { role } });
      expect(result.errors).toBeUndefined();
      const { totalCount, nodes } = result.data!.partnersAuditLog;
      expect(totalCount).toBe(2);
      const who = {
        actor: 'marche-audit-editor',
        actorRole: 'partner-member',
        actorOrganisationId: MARCHE,
        recordType: 'Person',
        recordId: id,
        subgraph: 'partners',
        requestId: expect.any(String),
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      };
      expect(nodes[0]).toEqual({
        ...who,
        action: 'UPDATE',
        changes: [
          { field: 'phone', before: null, after: '"+39 071 111 111"' },
          { field: 'position', before: '"Officer"', after: '"Head of unit"' },
          { field: 'version', before: '1', after: '2' },
        ],
      });
      expect(nodes[1]).toMatchObject({ ...who, action: 'CREATE' });
      expect(nodes[1].changes).toEqual(
        expect.arrayContaining([
          { field: 'name', before: null, after: '"Audited Person"' },
          { field: 'organisationId', before: null, after: `"${MARCHE}"` },
          { field: 'email', before: null, after: '"audited@example.org"' },
          { field: 'position', before: null, after: '"Officer"' },
        ]),
      );
      expect(nodes[0].requestId).not.toBe(nodes[1].requestId);
    },
  );

  test.each([
    [{ role: 'partner-member', org: MARCHE }, 'FORBIDDEN'],
    [{ role: 'analyst' }, 'FORBIDDEN'],
    [{ role: 'anonymous' }, 'UNAUTHENTICATED'],
  ] as const)('refused to %j: %s', async (caller, code) => {
    const result = await subgraph.query(AUDIT, { id }, { as: caller });
    expect(codesOf(result)).toEqual([code]);
    expect(answeredFields(result)).toEqual([]);
  });

  test('a refused mutation leaves no entry', async () => {
    const result = await subgraph.query(
      `mutation($id: ID!) { updatePerson(id: $id, version: 2, input: { position: "Usurped" }) { id } }`,
      { id },
      { as: { role: 'partner-member', org: IDA } },
    );
    expect(codesOf(result)).toEqual(['FORBIDDEN']);
    const after = await subgraph.query<Data>(AUDIT, { id }, { as: { role: 'coordinator' } });
    expect(after.data?.partnersAuditLog.totalCount).toBe(2);
    expect((await asAdmin(`{ person(id: "${id}") { position version } }`)).person).toEqual({
      position: 'Head of unit',
      version: 2,
    });
  });
});

describe('MongoDB operators in arguments are plain text', () => {
  const OPERATORS = ['{"$ne": null}', '{"$gt": ""}', '{"$regex": ".*"}'];

  test.each(OPERATORS)('a key %s finds nothing', async (key) => {
    const data = await asAdmin(
      `query($key: ID!) { organisation(id: $key) { id } person(id: $key) { id } projectPartner(id: $key) { id }
         country(code: $key) { code } governingBody(id: $key) { id } meeting(id: $key) { id } }`,
      { key },
    );
    expect(data).toEqual({
      organisation: null,
      person: null,
      projectPartner: null,
      country: null,
      governingBody: null,
      meeting: null,
    });
  });

  test.each(OPERATORS)('a filter value %s matches nothing', async (value) => {
    const data = await asAdmin(
      `query($value: ID!, $text: String!) {
         byCountry: organisations(filter: { country: $value }) { totalCount }
         byOrganisation: people(filter: { organisationId: $value }) { totalCount }
         byProject: projectPartners(projectId: $value) { totalCount }
         byBody: meetings(bodyId: $value) { totalCount }
         counts: partnerCountsByCountry(projectId: $value) { count }
         trail: partnersAuditLog(recordId: $value, recordType: $text) { totalCount } }`,
      { value, text: value },
    );
    expect(data).toEqual({
      byCountry: { totalCount: 0 },
      byOrganisation: { totalCount: 0 },
      byProject: { totalCount: 0 },
      byBody: { totalCount: 0 },
      counts: [],
      trail: { totalCount: 0 },
    });
  });

  test('search text is matched literally, never as a regular expression or JavaScript', async () => {
    const search = async (text: string) =>
      (
        await asAdmin(
          `query($text: String) { organisations(first: 100, filter: { search: $text }) { totalCount } }`,
          {
            text,
          },
        )
      ).organisations.totalCount as number;
    const all = await search('');
    expect(all).toBeGreaterThanOrEqual(25);
    // Without letters or digits there is nothing to search for, as with an empty search.
    expect(await search('.*')).toBe(all);
    expect(await search('$where')).toBe(0);
    expect(await search('reg.*ion')).toBe(0);
    expect(await search('{"$ne": null}')).toBe(0);
    expect(await search('marche')).toBe(1);
  });

  test.each(OPERATORS)('mutations given the key %s find nothing and change nothing', async (key) => {
    const before = await subgraph.storedDocuments();
    const results = await Promise.all([
      subgraph.query(
        `mutation($key: ID!) { updateOrganisation(id: $key, version: 1, input: { name: "x" }) { id } }`,
        { key },
      ),
      subgraph.query(`mutation($key: ID!) { archivePerson(id: $key, version: 1) { id } }`, { key }),
      subgraph.query(`mutation($key: ID!) { archiveMeeting(id: $key, version: 1) { id } }`, { key }),
      subgraph.query(
        `mutation($key: ID!) { addMembership(bodyId: $key, version: 1, input: { organisationId: "${MARCHE}", role: MEMBER, source: "x" }) { id } }`,
        { key },
      ),
    ]);
    expect(results.map(codesOf)).toEqual([['NOT_FOUND'], ['NOT_FOUND'], ['NOT_FOUND'], ['NOT_FOUND']]);
    const unknownSeat = await subgraph.query(
      `mutation($key: ID!, $version: Int!) { removeMembership(bodyId: "${BOARD}", version: $version, membershipId: $key) { id } }`,
      { key, version: await bodyVersion(BOARD) },
    );
    expect(codesOf(unknownSeat)).toEqual(['BAD_USER_INPUT']);
    const unknownOrganisation = await subgraph.query(
      `mutation($key: ID!) { createPerson(input: { name: "Smuggled", organisationId: $key, source: "x" }) { id } }`,
      { key },
    );
    expect(codesOf(unknownOrganisation)).toEqual(['BAD_USER_INPUT']);
    expect(await subgraph.storedDocuments()).toBe(before);
  });

  test.each([
    ['an id', `query($v: ID!) { organisation(id: $v) { id } }`, { $ne: null }],
    [
      'a search text',
      `query($v: String) { people(filter: { search: $v }) { totalCount } }`,
      { $regex: '.*' },
    ],
    ['a mutation key', `mutation($v: ID!) { archiveOrganisation(id: $v, version: 1) { id } }`, { $gt: '' }],
  ])('a JSON object for %s is refused by GraphQL before any resolver', async (_case, query, value) => {
    const before = await subgraph.storedDocuments();
    const result = await subgraph.query(query, { v: value });
    expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.data).toBeUndefined();
    expect(await subgraph.storedDocuments()).toBe(before);
  });

  test('an object written into the query where a string belongs fails validation', async () => {
    const result = await subgraph.query(`{ organisation(id: { ne: null }) { id } }`);
    expect(codesOf(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  test.each([
    [
      'organisations',
      `query($after: String) { list: organisations(first: 2, after: $after) { nodes { id } } }`,
    ],
    ['people', `query($after: String) { list: people(first: 2, after: $after) { nodes { id } } }`],
    [
      'the audit trail',
      `query($after: String) { list: partnersAuditLog(first: 2, after: $after) { nodes { id } } }`,
    ],
  ])('a page cursor of %s carrying an operator is refused', async (_list, query) => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify([value, ''])).toString('base64url');
    // The control: a well-formed cursor is accepted, so the refusals below are the operators' doing.
    expect((await asAdmin(query, { after: cursor('a') })).list.nodes).toEqual(expect.any(Array));
    for (const forged of [{ $ne: null }, { $gt: '' }, { date: { $gt: '' } }]) {
      const result = await subgraph.query(query, { after: cursor(forged) });
      expect(codesOf(result)).toEqual(['BAD_USER_INPUT']);
      expect(answeredFields(result)).toEqual([]);
    }
  });
});
