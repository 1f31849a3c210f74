import { slugId } from '@clusterpolisee/kit';
import {
  answeredFields,
  FORGED_IDENTITIES,
  startTestSubgraph,
  type GraphQLResponse,
  type TestCaller,
  type TestQueryOptions,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { communications } from '.';
import { Event, NewsItem, Newsletter, Publication, translationIndex, type ContentStatus } from './entities';
import { stored } from './test-support';

let subgraph: TestSubgraph;

const OWNER = 'it-marche-region';
const OTHER = 'gr-corallia';
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** Every kind of caller, partners acting for the owner of the records under test or for another. */
const CALLERS = {
  anonymous: { role: 'anonymous' },
  ownPartner: { role: 'partner-member', org: OWNER, sub: 'maria@marche-region' },
  otherPartner: { role: 'partner-member', org: OTHER, sub: 'nikos@corallia' },
  financeOfficer: { role: 'finance-officer', org: OWNER },
  controller: { role: 'controller' },
  coordinator: { role: 'coordinator' },
  analyst: { role: 'analyst' },
  admin: { role: 'admin' },
} satisfies Record<string, TestCaller>;
type CallerName = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as CallerName[];

/** `hidden`: the answer to an id that does not exist, null without an error. */
type Outcome = 'allowed' | 'hidden' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';
type Expectations = Record<CallerName, Outcome>;

const PUBLIC: Expectations = {
  anonymous: 'allowed',
  ownPartner: 'allowed',
  otherPartner: 'allowed',
  financeOfficer: 'allowed',
  controller: 'allowed',
  coordinator: 'allowed',
  analyst: 'allowed',
  admin: 'allowed',
};
/** A draft of an organisation's: its partners (read:drafts) and admins; to anyone else it does not exist. */
const OWN_DRAFT: Expectations = {
  ...PUBLIC,
  anonymous: 'hidden',
  otherPartner: 'hidden',
  controller: 'hidden',
  coordinator: 'hidden',
  analyst: 'hidden',
};
/** A draft of the project's (a newsletter): admins only. */
const PROJECT_DRAFT: Expectations = { ...OWN_DRAFT, ownPartner: 'hidden', financeOfficer: 'hidden' };
/** Asking a list for drafts: signed-in roles with read:drafts; what each then sees is checked apart. */
const DRAFT_LIST: Expectations = {
  ...PUBLIC,
  anonymous: 'UNAUTHENTICATED',
  controller: 'FORBIDDEN',
  coordinator: 'FORBIDDEN',
  analyst: 'FORBIDDEN',
};
/** write:content, and the record is the caller's organisation's (roles not bound to one pass). */
const OWNED_WRITE: Expectations = {
  ...PUBLIC,
  anonymous: 'UNAUTHENTICATED',
  otherPartner: 'FORBIDDEN',
  controller: 'FORBIDDEN',
  analyst: 'FORBIDDEN',
};
/** write:content on a record of the project as a whole: coordinator and admins. */
const PROJECT_WRITE: Expectations = { ...OWNED_WRITE, ownPartner: 'FORBIDDEN', financeOfficer: 'FORBIDDEN' };
const AUDIT_READ: Expectations = {
  anonymous: 'UNAUTHENTICATED',
  ownPartner: 'FORBIDDEN',
  otherPartner: 'FORBIDDEN',
  financeOfficer: 'FORBIDDEN',
  controller: 'allowed',
  coordinator: 'allowed',
  analyst: 'FORBIDDEN',
  admin: 'allowed',
};

type Result = GraphQLResponse<Record<string, unknown>>;

const as = (caller: CallerName): TestQueryOptions => ({ as: CALLERS[caller] });
const query = (document: string, variables: Record<string, unknown> = {}, caller: CallerName = 'admin') =>
  subgraph.query(document, variables, as(caller));

function expectOutcome(result: Result, outcome: Outcome): void {
  if (outcome === 'allowed' || outcome === 'hidden') expect(result.errors).toBeUndefined();
  else expect(result.errors?.map((error) => error.extensions?.code)).toEqual([outcome]);
}

/** Each (caller, expected outcome) of a table, for test.each. */
const byCaller = (expectations: Expectations) =>
  CALLER_NAMES.map((caller) => [caller, expectations[caller]] as const);

// Content kinds -------------------------------------------------------------------------------------

interface ContentKind {
  typename: 'NewsItem' | 'Event' | 'Publication' | 'Newsletter';
  /** The by-id query field. */
  byId: string;
  list: string;
  collection: string;
  /** Stores a record directly, as seeding does, owned by `owner` where the kind has owners. */
  seed(id: string, title: string, owner: string, status: ContentStatus): Promise<void>;
  /** A valid create input for a record owned by `owner`, and the id it gets when created published. */
  createInput(title: string, owner: string, status: ContentStatus): { id: string; input: object };
  /** The update input that hands the record to `owner`; undefined where the kind has no owner. */
  move?: (owner: string) => object;
}

let nextIssue = 100;

async function insert(
  entity: typeof NewsItem | typeof Event | typeof Publication | typeof Newsletter,
  row: object,
) {
  const em = subgraph.orm.em.fork();
  em.create(entity, row as never);
  await em.flush();
}

const text = (title: string) => {
  const translations = [{ lang: 'en', title }];
  return { translations, ...translationIndex(translations) };
};

const KINDS: ContentKind[] = [
  {
    typename: 'NewsItem',
    byId: 'newsItem',
    list: 'news',
    collection: 'news',
    seed: (id, title, owner, status) =>
      insert(NewsItem, {
        _id: id,
        ...text(title),
        publishedOn: day('2013-05-01'),
        authorOrganisationId: owner,
        status,
        source: 'synthetic',
      }),
    createInput: (title, owner, status) => ({
      id: slugId('2013-05-01', title),
      input: {
        translations: [{ lang: 'en', title }],
        publishedOn: '2013-05-01',
        authorOrganisationId: owner,
        status,
        source: 'synthetic',
      },
    }),
    move: (owner) => ({ authorOrganisationId: owner }),
  },
  {
    typename: 'Event',
    byId: 'event',
    list: 'events',
    collection: 'events',
    seed: (id, title, owner, status) =>
      insert(Event, {
        _id: id,
        type: 'WORKSHOP',
        ...text(title),
        hostOrganisationId: owner,
        startDate: day('2013-05-01'),
        endDate: day('2013-05-02'),
        city: 'Ancona',
        countryCode: 'IT',
        status,
        source: 'synthetic',
      }),
    createInput: (title, owner, status) => ({
      id: slugId('2013-05-01', title),
      input: {
        type: 'WORKSHOP',
        translations: [{ lang: 'en', title }],
        hostOrganisationId: owner,
        startDate: '2013-05-01',
        endDate: '2013-05-02',
        place: { city: 'Ancona', countryCode: 'IT' },
        status,
        source: 'synthetic',
      },
    }),
    move: (owner) => ({ hostOrganisationId: owner }),
  },
  {
    typename: 'Publication',
    byId: 'publication',
    list: 'publications',
    collection: 'publications',
    seed: (id, title, owner, status) =>
      insert(Publication, {
        _id: id,
        type: 'REPORT',
        ...text(title),
        url: 'https://example.org/report.pdf',
        publishedOn: day('2013-05-01'),
        authorOrganisationId: owner,
        status,
        source: 'synthetic',
      }),
    createInput: (title, owner, status) => ({
      id: slugId('2013-05-01', title),
      input: {
        type: 'REPORT',
        translations: [{ lang: 'en', title }],
        url: 'https://example.org/report.pdf',
        publishedOn: '2013-05-01',
        authorOrganisationId: owner,
        status,
        source: 'synthetic',
      },
    }),
    move: (owner) => ({ authorOrganisationId: owner }),
  },
  {
    typename: 'Newsletter',
    byId: 'newsletter',
    list: 'newsletters',
    collection: 'newsletters',
    seed: (id, title, _owner, status) =>
      insert(Newsletter, {
        _id: id,
        issueNumber: nextIssue++,
        publishedOn: day('2013-06-30'),
        ...text(title),
        itemIds: [],
        status,
        source: 'synthetic',
      }),
    createInput: (title, _owner, status) => {
      const issueNumber = nextIssue++;
      return {
        id: `newsletter-${issueNumber}`,
        input: {
          issueNumber,
          publishedOn: '2013-06-30',
          translations: [{ lang: 'en', title }],
          itemIds: [],
          status,
          source: 'synthetic',
        },
      };
    },
  },
];
const kind = (typename: ContentKind['typename']) => KINDS.find((k) => k.typename === typename)!;
/** A draft's id says nothing of its title: the kind and 64 random bits. */
const DRAFT_ID = /^(news|event|publication)-[0-9a-f]{16}$/;
const OWNED_KINDS = KINDS.filter((k) => k.move);

const createMutation = (k: ContentKind) =>
  `mutation($input: Create${k.typename}Input!) { result: create${k.typename}(input: $input) { id version status } }`;
const updateMutation = (k: ContentKind) =>
  `mutation($id: ID!, $version: Int!, $input: Update${k.typename}Input!) { result: update${k.typename}(id: $id, version: $version, input: $input) { id version status } }`;
const archiveMutation = (k: ContentKind) =>
  `mutation($id: ID!, $version: Int!) { result: archive${k.typename}(id: $id, version: $version) { id version archived } }`;

interface ReadBack {
  record: { id: string; version: number; status: string; archived: boolean; owner?: { id: string } } | null;
  audit: { totalCount: number };
}

/** The record and the number of its audit entries, as an admin reads them through the API. */
async function readBack(k: ContentKind, id: string): Promise<ReadBack> {
  const owner = k.typename === 'Event' ? 'owner: host { id }' : k.move ? 'owner: author { id }' : '';
  const result = await query(
    `query($id: ID!) { record: ${k.byId}(id: $id) { id version status archived ${owner} } audit: communicationsAuditLog(recordId: $id) { totalCount } }`,
    { id },
  );
  expect(result.errors).toBeUndefined();
  return result.data as unknown as ReadBack;
}

// Fixtures for reads: found by the word "fixture", which no record the write tests create has. ---

const fixture = (k: ContentKind, name: string) => `fixture-${k.collection}-${name}`;

beforeAll(async () => {
  subgraph = await startTestSubgraph(communications);
  for (const k of KINDS) {
    await k.seed(fixture(k, 'published'), `Fixture ${k.typename} published`, OWNER, 'PUBLISHED');
    await k.seed(fixture(k, 'draft-owner'), `Fixture ${k.typename} draft of the owner`, OWNER, 'DRAFT');
    await k.seed(fixture(k, 'draft-other'), `Fixture ${k.typename} draft of another`, OTHER, 'DRAFT');
  }
  await subgraph.orm.em
    .fork()
    .nativeUpdate(
      Newsletter,
      { _id: fixture(kind('Newsletter'), 'published') },
      { itemIds: [fixture(kind('NewsItem'), 'published'), fixture(kind('NewsItem'), 'draft-owner')] },
    );
});
afterAll(() => subgraph.close());

// Reads -------------------------------------------------------------------------------------------

describe('drafts by id and by reference', () => {
  const cases = KINDS.flatMap((k) =>
    (['published', 'draft-owner'] as const).flatMap((name) =>
      byCaller(name === 'published' ? PUBLIC : k.move ? OWN_DRAFT : PROJECT_DRAFT).map(
        ([caller, outcome]) => [k.typename, name, caller, outcome, k] as const,
      ),
    ),
  );

  const byId = (k: ContentKind, id: string, caller: CallerName) =>
    query(`query($id: ID!) { record: ${k.byId}(id: $id) { id status } }`, { id }, caller);
  const byReference = (k: ContentKind, id: string, caller: CallerName) =>
    query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${k.typename} { id } } }`,
      { r: [{ __typename: k.typename, id }] },
      caller,
    );

  test.each(cases)('%s %s by id, as %s: %s', async (_typename, name, caller, outcome, k) => {
    const id = fixture(k, name);
    const result = await byId(k, id, caller);
    expectOutcome(result, outcome);
    expect(result.data?.record).toEqual(outcome === 'allowed' ? { id, status: expect.any(String) } : null);
    // A hidden draft answers exactly as an id that does not exist: a guessed id is not confirmed.
    if (outcome === 'hidden') expect(result).toEqual(await byId(k, fixture(k, 'never-stored'), caller));
  });

  test.each(cases)('%s %s through _entities, as %s: %s', async (_typename, name, caller, outcome, k) => {
    const id = fixture(k, name);
    const result = await byReference(k, id, caller);
    expectOutcome(result, outcome);
    expect(result.data?._entities).toEqual([outcome === 'allowed' ? { id } : null]);
    if (outcome === 'hidden')
      expect(result).toEqual(await byReference(k, fixture(k, 'never-stored'), caller));
  });

  test('a draft of another organisation is hidden even from a partner who may read its own', async () => {
    const id = fixture(kind('NewsItem'), 'draft-other');
    const missing = await query(`{ newsItem(id: "no-such-item") { id } }`, {}, 'ownPartner');
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ newsItem: null });
    expect(await query(`{ newsItem(id: "${id}") { id } }`, {}, 'ownPartner')).toEqual(missing);
    expectOutcome(await query(`{ newsItem(id: "${id}") { id } }`, {}, 'otherPartner'), 'allowed');
  });
});

describe('lists asking for drafts', () => {
  /** What each caller allowed to ask sees: published content, and drafts of its own organisation. */
  const visible = (k: ContentKind, caller: CallerName, includePublished: boolean): string[] => {
    const published = includePublished ? [fixture(k, 'published')] : [];
    if (caller === 'admin') return [...published, fixture(k, 'draft-owner'), fixture(k, 'draft-other')];
    if (!k.move) return published;
    return [...published, fixture(k, caller === 'otherPartner' ? 'draft-other' : 'draft-owner')];
  };
  const list = (k: ContentKind, filter: string, caller: CallerName) =>
    query(
      `{ list: ${k.list}(first: 10, filter: { search: "fixture", ${filter} }) { nodes { id } totalCount } }`,
      {},
      caller,
    );
  const ids = (result: Result) =>
    (result.data?.list as { nodes: { id: string }[] }).nodes.map((node) => node.id).sort();

  const cases = KINDS.flatMap((k) =>
    byCaller(DRAFT_LIST).map(([caller, outcome]) => [k.list, caller, outcome, k] as const),
  );

  test.each(cases)('%s with includeDrafts, as %s: %s', async (_list, caller, outcome, k) => {
    const result = await list(k, 'includeDrafts: true', caller);
    expectOutcome(result, outcome);
    const expected = visible(k, caller, true).sort();
    if (outcome === 'allowed') {
      expect(ids(result)).toEqual(expected);
      // Counted in the database query, so the count agrees with what the caller gets.
      expect((result.data?.list as { totalCount: number }).totalCount).toBe(expected.length);
    } else expect(answeredFields(result)).toEqual([]);
  });

  test.each(cases)('%s with status DRAFT, as %s: %s', async (_list, caller, outcome, k) => {
    const result = await list(k, 'status: DRAFT', caller);
    expectOutcome(result, outcome);
    const expected = visible(k, caller, false).sort();
    if (outcome === 'allowed') {
      expect(ids(result)).toEqual(expected);
      expect((result.data?.list as { totalCount: number }).totalCount).toBe(expected.length);
    } else expect(answeredFields(result)).toEqual([]);
  });

  test.each(byCaller(PUBLIC))('the published list, as %s: %s', async (caller, outcome) => {
    for (const k of KINDS) {
      const result = await list(k, '', caller);
      expectOutcome(result, outcome);
      expect(ids(result)).toEqual([fixture(k, 'published')]);
    }
  });

  test("a partner filtering on another organisation's drafts gets none, not that organisation's", async () => {
    for (const [k, field] of [
      [kind('NewsItem'), 'authorId'],
      [kind('Event'), 'hostId'],
      [kind('Publication'), 'authorId'],
    ] as const) {
      const result = await list(k, `status: DRAFT, ${field}: "${OTHER}"`, 'ownPartner');
      expect(result.errors).toBeUndefined();
      expect(result.data?.list).toEqual({ nodes: [], totalCount: 0 });
    }
  });

  test("a partner's pages of drafts and published items count only what it sees", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result: Result = await subgraph.query(
        `query($after: String) { news(first: 1, after: $after, filter: { search: "fixture", includeDrafts: true }) { nodes { id } totalCount pageInfo { hasNextPage endCursor } } }`,
        { after },
        as('ownPartner'),
      );
      expect(result.errors).toBeUndefined();
      const news = result.data?.news as {
        nodes: { id: string }[];
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      expect(news.totalCount).toBe(2);
      seen.push(...news.nodes.map((node) => node.id));
      if (!news.pageInfo.hasNextPage) break;
      after = news.pageInfo.endCursor;
    }
    expect(seen.sort()).toEqual([
      fixture(kind('NewsItem'), 'draft-owner'),
      fixture(kind('NewsItem'), 'published'),
    ]);
  });
});

describe('protected fields', () => {
  const ITEM_IDS: Expectations = { ...PROJECT_WRITE };

  test.each(byCaller(ITEM_IDS))(
    'Newsletter.itemIds, which names drafts, as %s: %s',
    async (caller, outcome) => {
      const id = fixture(kind('Newsletter'), 'published');
      const result = await query(`{ newsletter(id: "${id}") { id items { id } itemIds } }`, {}, caller);
      expectOutcome(result, outcome);
      // The rest of the newsletter, and its published items, stay public.
      expect(result.data?.newsletter).toEqual({
        id,
        items: [{ id: fixture(kind('NewsItem'), 'published') }],
        itemIds:
          outcome === 'allowed'
            ? [fixture(kind('NewsItem'), 'published'), fixture(kind('NewsItem'), 'draft-owner')]
            : null,
      });
    },
  );

  test.each(byCaller(AUDIT_READ))('communicationsAuditLog, as %s: %s', async (caller, outcome) => {
    const result = await query(`{ communicationsAuditLog { totalCount } }`, {}, caller);
    expectOutcome(result, outcome);
    expect(result.data ?? null).toEqual(
      outcome === 'allowed'
        ? { communicationsAuditLog: { totalCount: expect.any(Number) } }
        : { communicationsAuditLog: null },
    );
  });
});

// Writes ------------------------------------------------------------------------------------------

describe('mutations, each against each role', () => {
  type Operation = 'create' | 'update' | 'archive';
  const cases = KINDS.flatMap((k) =>
    (['create', 'update', 'archive'] as Operation[]).flatMap((operation) =>
      byCaller(k.move ? OWNED_WRITE : PROJECT_WRITE).map(
        ([caller, outcome]) => [`${operation}${k.typename}`, caller, outcome, k, operation] as const,
      ),
    ),
  );

  test.each(cases)('%s as %s: %s', async (_mutation, caller, outcome, k, operation) => {
    const title = `${operation} ${k.typename} as ${caller}`;
    let id: string;
    let result: Result;
    if (operation === 'create') {
      const created = k.createInput(title, OWNER, 'PUBLISHED');
      id = created.id;
      result = await query(createMutation(k), { input: created.input }, caller);
    } else {
      id = slugId(title);
      await k.seed(id, title, OWNER, 'PUBLISHED');
      result =
        operation === 'update'
          ? await query(
              updateMutation(k),
              { id, version: 1, input: { source: 'https://example.org/edited' } },
              caller,
            )
          : await query(archiveMutation(k), { id, version: 1 }, caller);
    }
    expectOutcome(result, outcome);
    const after = await readBack(k, id);
    if (outcome !== 'allowed') {
      expect(answeredFields(result)).toEqual([]);
      expect(after.record).toEqual(
        operation === 'create' ? null : expect.objectContaining({ version: 1, archived: false }),
      );
      expect(after.audit.totalCount).toBe(0);
      return;
    }
    expect(after.record).toMatchObject({
      id,
      version: operation === 'create' ? 1 : 2,
      archived: operation === 'archive',
    });
    expect(after.audit.totalCount).toBe(1);
  });
});

describe('cross-partner writes', () => {
  const NEW_TEXT = { source: 'https://example.org/changed' };

  test.each(OWNED_KINDS.map((k) => [k.typename, k] as const))(
    "a partner of one organisation may not update or archive another's %s",
    async (_typename, k) => {
      const id = `${k.collection}-of-the-other`;
      await k.seed(id, `${k.typename} of the other`, OTHER, 'PUBLISHED');
      const before = await readBack(k, id);
      expectOutcome(
        await query(updateMutation(k), { id, version: 1, input: NEW_TEXT }, 'ownPartner'),
        'FORBIDDEN',
      );
      expectOutcome(await query(archiveMutation(k), { id, version: 1 }, 'ownPartner'), 'FORBIDDEN');
      expect(await readBack(k, id)).toEqual(before);
    },
  );

  test.each(OWNED_KINDS.map((k) => [k.typename, k] as const))(
    'a partner may not create a %s for another organisation',
    async (_typename, k) => {
      const before = await stored(subgraph, k.collection);
      const { id, input } = k.createInput(`${k.typename} for the other`, OTHER, 'PUBLISHED');
      expectOutcome(await query(createMutation(k), { input }, 'ownPartner'), 'FORBIDDEN');
      expect((await readBack(k, id)).record).toBeNull();
      expect(await stored(subgraph, k.collection)).toEqual(before);
    },
  );

  test.each(OWNED_KINDS.map((k) => [k.typename, k] as const))(
    'a partner may not hand its own %s to another organisation',
    async (_typename, k) => {
      const id = `${k.collection}-to-hand-over`;
      await k.seed(id, `${k.typename} to hand over`, OWNER, 'PUBLISHED');
      const before = await readBack(k, id);
      expect(before.record?.owner).toEqual({ id: OWNER });
      expectOutcome(
        await query(updateMutation(k), { id, version: 1, input: k.move!(OTHER) }, 'ownPartner'),
        'FORBIDDEN',
      );
      expect(await readBack(k, id)).toEqual(before);
    },
  );

  test('a partner may not create, change or archive a newsletter, which is the project’s', async () => {
    const k = kind('Newsletter');
    const before = await stored(subgraph, k.collection);
    const { input } = k.createInput('Newsletter of a partner', OWNER, 'PUBLISHED');
    const id = fixture(k, 'published');
    for (const result of [
      await query(createMutation(k), { input }, 'ownPartner'),
      await query(updateMutation(k), { id, version: 1, input: NEW_TEXT }, 'ownPartner'),
      await query(archiveMutation(k), { id, version: 1 }, 'financeOfficer'),
    ])
      expectOutcome(result, 'FORBIDDEN');
    expect(await stored(subgraph, k.collection)).toEqual(before);
  });
});

describe('drafts in writes', () => {
  test.each(OWNED_KINDS.map((k) => [k.typename, k] as const))(
    'a partner writes drafts of its own organisation and reads them back (%s)',
    async (_typename, k) => {
      const { input } = k.createInput(`Own draft ${k.typename}`, OWNER, 'DRAFT');
      const created = await query(createMutation(k), { input }, 'ownPartner');
      expect(created.errors).toBeUndefined();
      const id = (created.data?.result as { id: string }).id;
      expect(id).toMatch(DRAFT_ID);
      expect(created.data?.result).toEqual({ id, version: 1, status: 'DRAFT' });
      const updated = await query(
        updateMutation(k),
        { id, version: 1, input: { status: 'PUBLISHED' } },
        'financeOfficer',
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data?.result).toEqual({ id, version: 2, status: 'PUBLISHED' });
    },
  );

  // A coordinator has write:content but not read:drafts: the answer to a write that leaves a
  // draft would be refused after the change was stored, so the write is refused first; a draft it
  // may not see does not exist for it, as for anyone else who may not see it.
  test.each(KINDS.map((k) => [k.typename, k] as const))(
    'a coordinator, who may not read drafts, may not write one (%s), and nothing changes',
    async (_typename, k) => {
      const publishedId = `${k.collection}-coordinator-published`;
      const draftId = fixture(k, 'draft-owner');
      await k.seed(publishedId, `${k.typename} the coordinator edits`, OWNER, 'PUBLISHED');
      const before = await stored(subgraph, k.collection);
      const { input } = k.createInput(`Coordinator draft ${k.typename}`, OWNER, 'DRAFT');
      for (const result of [
        await query(createMutation(k), { input }, 'coordinator'),
        await query(
          updateMutation(k),
          { id: publishedId, version: 1, input: { status: 'DRAFT' } },
          'coordinator',
        ),
      ])
        expectOutcome(result, 'FORBIDDEN');
      for (const result of [
        await query(
          updateMutation(k),
          { id: draftId, version: 1, input: { status: 'PUBLISHED' } },
          'coordinator',
        ),
        await query(archiveMutation(k), { id: draftId, version: 1 }, 'coordinator'),
      ])
        expectOutcome(result, 'NOT_FOUND');
      expect(await stored(subgraph, k.collection)).toEqual(before);
      // Published content stays the coordinator's to edit.
      const published = await query(
        updateMutation(k),
        { id: publishedId, version: 1, input: { source: 'https://example.org/coordinated' } },
        'coordinator',
      );
      expect(published.errors).toBeUndefined();
      expect(published.data?.result).toEqual({ id: publishedId, version: 2, status: 'PUBLISHED' });
    },
  );
});

describe('a guessed draft is not confirmed', () => {
  /** An answer with the id it names made neutral, to compare a hidden record's with a missing one's. */
  const neutral = (result: Result, id: string) =>
    JSON.parse(JSON.stringify(result).split(id).join('<id>')) as Result;

  test.each(OWNED_KINDS.map((k) => [k.typename, k] as const))(
    "another partner creates a %s titled as someone's draft: created, and nothing names the draft",
    async (_typename, k) => {
      const title = `Guessed ${k.typename} title`;
      const draft = await query(
        createMutation(k),
        { input: k.createInput(title, OWNER, 'DRAFT').input },
        'ownPartner',
      );
      expect(draft.errors).toBeUndefined();
      const draftId = (draft.data?.result as { id: string }).id;
      expect(draftId).toMatch(DRAFT_ID);
      expect(draftId).not.toContain('guessed');

      for (const status of ['DRAFT', 'PUBLISHED'] as const) {
        const { id, input } = k.createInput(title, OTHER, status);
        const result = await query(createMutation(k), { input }, 'otherPartner');
        expect(result.errors).toBeUndefined();
        const created = result.data?.result as { id: string };
        expect(created.id).not.toBe(draftId);
        if (status === 'PUBLISHED') expect(created.id).toBe(id);
        expect(JSON.stringify(result)).not.toContain(draftId);
      }
    },
  );

  test.each(OWNED_KINDS.map((k) => [k.typename, k] as const))(
    'a %s draft stored under its readable id (seeded, or older) is not named by a CONFLICT to another partner',
    async (_typename, k) => {
      const title = `Older ${k.typename} draft`;
      const { id, input } = k.createInput(title, OTHER, 'PUBLISHED');
      await k.seed(id, title, OWNER, 'DRAFT');
      const result = await query(createMutation(k), { input }, 'otherPartner');
      expect(result.errors).toBeUndefined();
      const created = result.data?.result as { id: string };
      expect(created.id).not.toBe(id);
      // The owner, who sees its draft, is told of it as before.
      const own = await query(
        createMutation(k),
        { input: k.createInput(title, OWNER, 'PUBLISHED').input },
        'ownPartner',
      );
      expect(own.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', id });
    },
  );

  /** What a write to a missing id answers each caller who may not see the draft. */
  const MISSING_WRITE = {
    anonymous: 'UNAUTHENTICATED',
    otherPartner: 'NOT_FOUND',
    coordinator: 'NOT_FOUND',
    controller: 'FORBIDDEN',
    analyst: 'FORBIDDEN',
  } as const;
  test.each(
    OWNED_KINDS.flatMap((k) =>
      Object.entries(MISSING_WRITE).map(
        ([caller, code]) => [k.typename, caller as CallerName, code, k] as const,
      ),
    ),
  )(
    'a hidden %s draft answers %s as a missing id does (%s), in update and archive',
    async (_typename, caller, code, k) => {
      const draftId = fixture(k, 'draft-owner');
      const missingId = fixture(k, 'never-stored');
      for (const send of [
        (id: string) =>
          query(updateMutation(k), { id, version: 1, input: { source: 'https://example.org/x' } }, caller),
        (id: string) => query(archiveMutation(k), { id, version: 1 }, caller),
      ]) {
        const hidden = await send(draftId);
        expect(neutral(hidden, draftId)).toEqual(neutral(await send(missingId), missingId));
        expect(hidden.errors?.map((error) => error.extensions?.code)).toEqual([code]);
      }
    },
  );

  test('a coordinator cannot tell a hidden draft from a missing item by listing it in a newsletter', async () => {
    const k = kind('Newsletter');
    const send = (itemId: string) =>
      query(
        createMutation(k),
        {
          input: {
            ...(k.createInput('Issue with a guess', OWNER, 'PUBLISHED').input as object),
            itemIds: [itemId],
          },
        },
        'coordinator',
      );
    const draftId = fixture(kind('NewsItem'), 'draft-owner');
    const missingId = fixture(kind('NewsItem'), 'never-stored');
    const hidden = await send(draftId);
    expect(hidden.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.itemIds[0]',
    });
    expect(neutral(hidden, draftId)).toEqual(neutral(await send(missingId), missingId));
  });
});

// Requests that bypass the gateway ----------------------------------------------------------------

describe('requests without the gateway signature', () => {
  const CREATE = createMutation(kind('NewsItem'));
  const unsignedInput = kind('NewsItem').createInput('Sent around the gateway', OWNER, 'PUBLISHED');

  async function expectRefused(options: TestQueryOptions): Promise<void> {
    const before = await stored(subgraph, 'news');
    const result = await subgraph.query(CREATE, { input: unsignedInput.input }, options);
    expect(result.status).toBe(401);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(result.data ?? null).toBeNull();
    expect(await stored(subgraph, 'news')).toEqual(before);
  }

  test.each(FORGED_IDENTITIES)('%s: 401', async (_case, forge) => expectRefused(await forge(subgraph)));

  test('the same request, signed by the gateway, goes through', async () => {
    const result = await subgraph.query(CREATE, { input: unsignedInput.input });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });
});

// Audit trail -------------------------------------------------------------------------------------

describe('audit trail', () => {
  const k = kind('NewsItem');
  const TITLE = 'Audited news item';
  const BODY = 'Unpublished text of the audited item';
  const input = {
    ...(k.createInput(TITLE, OWNER, 'DRAFT').input as object),
    translations: [{ lang: 'en', title: TITLE, body: BODY }],
  };
  let id: string;
  const AUDIT = `query($id: ID) { communicationsAuditLog(recordId: $id) { totalCount nodes { subgraph actor actorRole actorOrganisationId requestId action recordType recordId at changes { field before after } withheld } } }`;
  type Log = {
    totalCount: number;
    nodes: {
      at: string;
      action: string;
      withheld: string[];
      changes: { field: string; before: string | null; after: string | null }[];
    }[];
  };

  beforeAll(async () => {
    const partner = { as: CALLERS.ownPartner };
    const created = await subgraph.query(
      createMutation(k),
      { input },
      { ...partner, headers: { 'x-request-id': 'req-create' } },
    );
    expect(created.errors).toBeUndefined();
    id = (created.data?.result as { id: string }).id;
    const updated = await subgraph.query(
      updateMutation(k),
      { id, version: 1, input: { status: 'PUBLISHED' } },
      { ...partner, headers: { 'x-request-id': 'req-update' } },
    );
    expect(updated.errors).toBeUndefined();
  });

  test.each(['coordinator', 'controller', 'admin'] as const)(
    'as %s: who changed what, when, and which fields, newest first',
    async (caller) => {
      const result = await query(AUDIT, { id }, caller);
      expect(result.errors).toBeUndefined();
      const log = result.data?.communicationsAuditLog as Log;
      expect(log.totalCount).toBe(2);
      const who = {
        subgraph: 'communications',
        actor: 'maria@marche-region',
        actorRole: 'partner-member',
        actorOrganisationId: OWNER,
        recordType: 'NewsItem',
        recordId: id,
      };
      expect(log.nodes).toEqual([
        expect.objectContaining({ ...who, action: 'UPDATE', requestId: 'req-update' }),
        expect.objectContaining({ ...who, action: 'CREATE', requestId: 'req-create' }),
      ]);
      const [update, create] = log.nodes;
      expect(update!.changes.map((change) => change.field)).toEqual(
        expect.arrayContaining(['status', 'version']),
      );
      expect(create!.changes.map((change) => change.field)).toEqual(
        expect.arrayContaining(['authorOrganisationId', 'status', 'publishedOn', 'translations']),
      );
      expect(Date.parse(update!.at)).toBeGreaterThanOrEqual(Date.parse(create!.at));
    },
  );

  test('as admin, who may read drafts: each field before and after', async () => {
    const log = (await query(AUDIT, { id }, 'admin')).data?.communicationsAuditLog as Log;
    const [update, create] = log.nodes;
    expect(update!.withheld).toEqual([]);
    expect(create!.withheld).toEqual([]);
    expect(update!.changes).toEqual(
      expect.arrayContaining([
        { field: 'status', before: '"DRAFT"', after: '"PUBLISHED"' },
        { field: 'version', before: '1', after: '2' },
      ]),
    );
    // Only what changed: the untouched author is not in the update.
    expect(update!.changes.map((change) => change.field)).not.toContain('authorOrganisationId');
    expect(create!.changes).toEqual(
      expect.arrayContaining([
        { field: 'authorOrganisationId', before: null, after: JSON.stringify(OWNER) },
        { field: 'status', before: null, after: '"DRAFT"' },
        { field: 'publishedOn', before: null, after: '"2013-05-01T00:00:00.000Z"' },
      ]),
    );
    expect(JSON.stringify(create!.changes)).toContain(BODY);
  });

  // Issue 17, finding 3: read:audit is not read:drafts.
  test.each(['coordinator', 'controller'] as const)(
    "as %s, who may not read drafts: none of a draft's values, even after it was published",
    async (caller) => {
      const result = await query(AUDIT, { id }, caller);
      expect(JSON.stringify(result)).not.toContain(TITLE);
      expect(JSON.stringify(result)).not.toContain(BODY);
      const [update, create] = (result.data?.communicationsAuditLog as Log).nodes;
      // Written while a draft: withheld for good, though the item is public now.
      expect(create!.withheld).toEqual(['AFTER']);
      expect(create!.changes.every((change) => change.before === null && change.after === null)).toBe(true);
      // Its publication: what it was is withheld, what it became is public.
      expect(update!.withheld).toEqual(['BEFORE']);
      expect(update!.changes).toEqual(
        expect.arrayContaining([
          { field: 'status', before: null, after: '"PUBLISHED"' },
          { field: 'version', before: null, after: '2' },
        ]),
      );
    },
  );

  test('filters by record type', async () => {
    const result = await query(
      `{ news: communicationsAuditLog(recordType: "NewsItem", recordId: "${id}") { totalCount } events: communicationsAuditLog(recordType: "Event", recordId: "${id}") { totalCount } }`,
      {},
      'coordinator',
    );
    expect(result.data).toEqual({ news: { totalCount: 2 }, events: { totalCount: 0 } });
  });

  test('a refused mutation leaves no entry', async () => {
    for (const result of [
      await query(
        updateMutation(k),
        { id, version: 2, input: { source: 'https://example.org/x' } },
        'otherPartner',
      ),
      await query(archiveMutation(k), { id, version: 2 }, 'analyst'),
      await query(updateMutation(k), { id, version: 2, input: { status: 'DRAFT' } }, 'coordinator'),
    ])
      expectOutcome(result, 'FORBIDDEN');
    const log = await query(AUDIT, { id }, 'coordinator');
    expect((log.data?.communicationsAuditLog as { totalCount: number }).totalCount).toBe(2);
  });

  test("a published item's later changes are readable again to every reader of the trail", async () => {
    const edited = await query(
      updateMutation(k),
      { id, version: 2, input: { source: 'https://example.org/audited' } },
      'ownPartner',
    );
    expect(edited.errors).toBeUndefined();
    const log = (await query(AUDIT, { id }, 'coordinator')).data?.communicationsAuditLog as Log;
    expect(log.nodes[0]!.withheld).toEqual([]);
    expect(log.nodes[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'source', before: '"synthetic"', after: '"https://example.org/audited"' },
      ]),
    );
  });

  test.each([
    ['ownPartner', 'FORBIDDEN'],
    ['analyst', 'FORBIDDEN'],
    ['anonymous', 'UNAUTHENTICATED'],
  ] as const)('as %s it is refused: %s', async (caller, code) => {
    const result = await query(AUDIT, { id }, caller);
    expectOutcome(result, code);
    expect(answeredFields(result)).toEqual([]);
  });
});

// Operators smuggled into arguments ---------------------------------------------------------------

describe('MongoDB operators in arguments are plain text', () => {
  const OPERATORS = ['{"$ne": null}', '{"$gt": ""}', '{ "$regex": ".*" }', '$where'];

  test.each(OPERATORS)('an id %s finds nothing', async (operator) => {
    const byId = await query(
      `query($id: ID!) { newsItem(id: $id) { id } event(id: $id) { id } publication(id: $id) { id } newsletter(id: $id) { id } }`,
      { id: operator },
    );
    expect(byId.errors).toBeUndefined();
    expect(byId.data).toEqual({ newsItem: null, event: null, publication: null, newsletter: null });
    const references = await query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on NewsItem { id } } }`,
      { r: [{ __typename: 'NewsItem', id: operator }] },
    );
    expect(references.errors).toBeUndefined();
    expect(references.data?._entities).toEqual([null]);
  });

  test.each(OPERATORS)('an update or archive of id %s is NOT_FOUND and changes nothing', async (operator) => {
    for (const k of KINDS) {
      const before = await stored(subgraph, k.collection);
      for (const result of [
        await query(updateMutation(k), {
          id: operator,
          version: 1,
          input: { source: 'https://example.org/x' },
        }),
        await query(archiveMutation(k), { id: operator, version: 1 }),
      ])
        expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
      expect(await stored(subgraph, k.collection)).toEqual(before);
    }
  });

  const count = async (search: string | null) => {
    const result = await query(
      `query($search: String) { news(filter: { search: $search }) { totalCount } }`,
      {
        search,
      },
    );
    expect(result.errors).toBeUndefined();
    return (result.data?.news as { totalCount: number }).totalCount;
  };

  test.each([
    ['$where', '$where'],
    ['a JSON operator', '{"$regex": ""}'],
    ['a JSON operator', '{"$ne": null}'],
    // As a regex it would match "Fixture NewsItem published".
    ['a regex', 'fixture.*published'],
  ])('a search text with %s (%s) finds nothing', async (_case, search) => {
    expect(await count(search)).toBe(0);
  });

  test('a search text ".*" is punctuation, no search at all, and letters match whole words only', async () => {
    expect(await count('.*')).toBe(await count(null));
    expect(await count('fixture newsitem published')).toBe(1);
  });

  test.each([
    ['news', 'authorId'],
    ['publications', 'authorId'],
    ['events', 'hostId'],
  ])('%s filtered on %s with an operator-like value finds nothing', async (list, field) => {
    for (const operator of OPERATORS) {
      const result = await query(`query($v: ID) { ${list}(filter: { ${field}: $v }) { totalCount } }`, {
        v: operator,
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?.[list]).toEqual({ totalCount: 0 });
    }
  });

  test.each([
    ['a working group', 'ID', 'news(filter: { workingGroup: $v })', 'filter.workingGroup'],
    ['a language', 'String', 'news(filter: { lang: $v })', 'filter.lang'],
    ['a country', 'ID', 'events(filter: { country: $v })', 'filter.country'],
  ])('%s that looks like an operator is BAD_USER_INPUT', async (_case, type, field, name) => {
    const result = await query(`query($v: ${type}) { ${field} { totalCount } }`, { v: '{"$ne": null}' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: name });
  });

  test.each([
    ['an id', 'query($v: ID!) { newsItem(id: $v) { id } }'],
    ['a search text', 'query($v: String) { news(filter: { search: $v }) { totalCount } }'],
    ['a filter value', 'query($v: ID) { news(filter: { authorId: $v }) { totalCount } }'],
    ['the id of a mutation', 'mutation($v: ID!) { archiveNewsItem(id: $v, version: 1) { id } }'],
  ])('a JSON object sent as %s is refused by GraphQL before any resolver', async (_case, document) => {
    const before = await stored(subgraph, 'news');
    for (const v of [{ $ne: null }, { $gt: '' }, { $regex: '.*' }]) {
      const result = await query(document, { v });
      expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.data).toBeUndefined();
    }
    expect(await stored(subgraph, 'news')).toEqual(before);
  });

  test('an object literal where a String is expected fails validation', async () => {
    const result = await query(`{ news(filter: { search: { regex: ".*" } }) { totalCount } }`);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.data).toBeUndefined();
  });
});
