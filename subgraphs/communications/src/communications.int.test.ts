import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { communications } from '.';
import { NewsItem } from './entities';
import { slugId } from '@clusterpolisee/kit';

let subgraph: TestSubgraph;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const BULGARIAN_TITLE = 'Клъстерна политика в Югоизточна Европа';

beforeAll(async () => {
  subgraph = await startTestSubgraph(communications);
  const em = subgraph.orm.em.fork();
  const seed = (
    publishedOn: string,
    title: string,
    language: string,
    authorOrganisationId: string,
    summary?: string,
  ) =>
    em.create(NewsItem, {
      _id: slugId(publishedOn, title),
      title,
      summary,
      language,
      publishedOn: day(publishedOn),
      authorOrganisationId,
      source: 'synthetic',
    });
  seed('2014-06-15', 'Pilot actions completed', 'en', 'gr-corallia');
  seed(
    '2014-10-30',
    'Final conference in Ancona',
    'en',
    'it-marche-region',
    'The partners present the Joint Strategic Plan.',
  );
  seed('2013-03-01', BULGARIAN_TITLE, 'bg', 'bg-bsmepa');
  seed('2014-10-30', 'Closing newsletter', 'en', 'it-marche-region');
  await em.flush();
});
afterAll(() => subgraph.close());

async function storedNews() {
  const rows = await subgraph.orm.em.fork().find(NewsItem, {}, { orderBy: { _id: 'asc' } });
  return rows.map(({ _id, title, language, publishedOn, authorOrganisationId, source }) => ({
    _id,
    title,
    language,
    publishedOn: publishedOn.toISOString(),
    authorOrganisationId,
    source,
  }));
}

test('lists news newest first, items of one day in a stable order', async () => {
  const result = await subgraph.query(`{ news { id title language publishedOn author { id } } }`);
  expect(result.errors).toBeUndefined();
  expect(result.data?.news).toEqual([
    {
      id: '2014-10-30-final-conference-in-ancona',
      title: 'Final conference in Ancona',
      language: 'en',
      publishedOn: '2014-10-30',
      author: { id: 'it-marche-region' },
    },
    {
      id: '2014-10-30-closing-newsletter',
      title: 'Closing newsletter',
      language: 'en',
      publishedOn: '2014-10-30',
      author: { id: 'it-marche-region' },
    },
    {
      id: '2014-06-15-pilot-actions-completed',
      title: 'Pilot actions completed',
      language: 'en',
      publishedOn: '2014-06-15',
      author: { id: 'gr-corallia' },
    },
    {
      id: slugId('2013-03-01', BULGARIAN_TITLE),
      title: BULGARIAN_TITLE,
      language: 'bg',
      publishedOn: '2013-03-01',
      author: { id: 'bg-bsmepa' },
    },
  ]);
});

test('limits the list', async () => {
  const result = await subgraph.query(`{ news(limit: 2) { id } }`);
  expect(result.errors).toBeUndefined();
  expect(result.data?.news).toEqual([
    { id: '2014-10-30-final-conference-in-ancona' },
    { id: '2014-10-30-closing-newsletter' },
  ]);
});

test.each([0, -1, 101])('rejects limit %d with BAD_USER_INPUT naming limit', async (limit) => {
  const result = await subgraph.query(`query($limit: Int) { news(limit: $limit) { id } }`, { limit });
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'limit' });
  expect(result.errors?.[0]?.message).toMatch(/^limit: /);
});

test('gets a news item by id', async () => {
  const result = await subgraph.query(
    `{ newsItem(id: "2014-10-30-final-conference-in-ancona") { title summary publishedOn author { id } } missing: newsItem(id: "nope") { id } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    newsItem: {
      title: 'Final conference in Ancona',
      summary: 'The partners present the Joint Strategic Plan.',
      publishedOn: '2014-10-30',
      author: { id: 'it-marche-region' },
    },
    missing: null,
  });
});

test('resolves news item references for the gateway in one database command', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on NewsItem { id title } } }`,
    {
      representations: [
        { __typename: 'NewsItem', id: '2014-06-15-pilot-actions-completed' },
        { __typename: 'NewsItem', id: 'nope' },
        { __typename: 'NewsItem', id: '2014-10-30-closing-newsletter' },
      ],
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    { id: '2014-06-15-pilot-actions-completed', title: 'Pilot actions completed' },
    null,
    { id: '2014-10-30-closing-newsletter', title: 'Closing newsletter' },
  ]);
  expect(subgraph.commands.names()).toEqual(['find news']);
});

test('adds the news of many organisations of the partners subgraph in one database command', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id news { id publishedOn } } } }`,
    {
      representations: [
        { __typename: 'Organisation', id: 'it-marche-region' },
        { __typename: 'Organisation', id: 'bg-bsmepa' },
        { __typename: 'Organisation', id: 'at-unknown' },
      ],
    },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    {
      id: 'it-marche-region',
      news: [
        { id: '2014-10-30-final-conference-in-ancona', publishedOn: '2014-10-30' },
        { id: '2014-10-30-closing-newsletter', publishedOn: '2014-10-30' },
      ],
    },
    { id: 'bg-bsmepa', news: [{ id: slugId('2013-03-01', BULGARIAN_TITLE), publishedOn: '2013-03-01' }] },
    { id: 'at-unknown', news: [] },
  ]);
  expect(subgraph.commands.names()).toEqual(['find news']);
});

describe('createNewsItem', () => {
  const create = (input: string) =>
    subgraph.query<{ createNewsItem: { id: string } }>(
      `mutation { createNewsItem(input: ${input}) { id title summary language publishedOn author { id } source } }`,
    );

  test('creates a news item with a readable id, stored at UTC midnight of its day', async () => {
    const result = await create(
      `{ title: " Policy factsheets published ", summary: "Six factsheets, one per thematic area.", language: "en",
         publishedOn: "2014-10-01", authorOrganisationId: "gr-corallia", source: "project description" }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createNewsItem).toEqual({
      id: '2014-10-01-policy-factsheets-published',
      title: 'Policy factsheets published',
      summary: 'Six factsheets, one per thematic area.',
      language: 'en',
      publishedOn: '2014-10-01',
      author: { id: 'gr-corallia' },
      source: 'project description',
    });
    const stored = await subgraph.orm.em
      .fork()
      .findOneOrFail(NewsItem, { _id: '2014-10-01-policy-factsheets-published' });
    expect(stored.publishedOn.toISOString()).toBe('2014-10-01T00:00:00.000Z');
    expect(stored.authorOrganisationId).toBe('gr-corallia');
  });

  test('keeps apart two titles of one day that the slug cannot spell', async () => {
    const first = await create(
      `{ title: "Заключителна конференция", language: "bg", publishedOn: "2014-10-30", authorOrganisationId: "bg-bsmepa", source: "synthetic" }`,
    );
    const second = await create(
      `{ title: "Завършени пилотни действия", language: "bg", publishedOn: "2014-10-30", authorOrganisationId: "bg-bsmepa", source: "synthetic" }`,
    );
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(first.data?.createNewsItem.id).toMatch(/^2014-10-30-[0-9a-f]{8}$/);
    expect(second.data?.createNewsItem.id).not.toBe(first.data?.createNewsItem.id);
  });

  const valid = {
    title: '"T"',
    language: '"en"',
    publishedOn: '"2014-01-01"',
    authorOrganisationId: '"a"',
    source: '"s"',
  };
  const input = (overrides: Partial<Record<keyof typeof valid, string>>) =>
    `{ ${Object.entries({ ...valid, ...overrides })
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ')} }`;

  test.each([
    ['an empty title', input({ title: '"  "' }), 'input.title'],
    ['an overlong title', input({ title: `"${'x'.repeat(301)}"` }), 'input.title'],
    ['an upper-case language', input({ language: '"EN"' }), 'input.language'],
    ['a lower-case region', input({ language: '"sr-rs"' }), 'input.language'],
    ['a three-letter language', input({ language: '"eng"' }), 'input.language'],
    ['an impossible date', input({ publishedOn: '"2014-02-30"' }), 'input.publishedOn'],
    ['a date in another format', input({ publishedOn: '"30/10/2014"' }), 'input.publishedOn'],
    ['an empty author', input({ authorOrganisationId: '" "' }), 'input.authorOrganisationId'],
    ['an empty source', input({ source: '""' }), 'input.source'],
  ])('rejects %s with BAD_USER_INPUT naming the field and writes nothing', async (_case, body, field) => {
    const before = await storedNews();
    const result = await create(body);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(await storedNews()).toEqual(before);
  });

  test('accepts a language with a region', async () => {
    const result = await create(input({ title: '"Vesti iz Novog Sada"', language: '"sr-RS"' }));
    expect(result.errors).toBeUndefined();
    expect(result.data?.createNewsItem).toMatchObject({ language: 'sr-RS' });
  });

  test('refuses the same story on the same day with CONFLICT and changes nothing', async () => {
    const before = await storedNews();
    // Case and punctuation aside, it is the seeded item.
    const result = await create(
      input({ title: '"Final Conference in Ancona!"', publishedOn: '"2014-10-30"', source: '"other"' }),
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      id: '2014-10-30-final-conference-in-ancona',
    });
    expect(await storedNews()).toEqual(before);
  });

  test('lets exactly one of simultaneous creations of one story win', async () => {
    const body = input({ title: '"Sustainability Plan adopted"', publishedOn: '"2014-12-01"' });
    const results = await Promise.all([create(body), create(body), create(body)]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual([
      'CONFLICT',
      'CONFLICT',
    ]);
    expect(
      await subgraph.orm.em.fork().count(NewsItem, { _id: '2014-12-01-sustainability-plan-adopted' }),
    ).toBe(1);
  });
});
