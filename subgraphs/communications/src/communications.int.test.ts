import { slugId } from '@clusterpolisee/kit';
import { startTestSubgraph, type GraphQLResponse, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { communications } from '.';
import { Event, NewsItem, translationIndex, type ContentStatus, type StoredTranslation } from './entities';
import { expectBadInput, expectCode, stored, withOverrides } from './test-support';

let subgraph: TestSubgraph;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const BULGARIAN_TITLE = 'Клъстерна политика в Югоизточна Европа';
const FINAL = '2014-10-30-final-conference-in-ancona';
const CLOSING = '2014-10-30-closing-newsletter';
const PILOTS = '2014-06-15-pilot-actions-completed';
const POLICY = '2013-03-01-cluster-policy-in-south-east-europe';
const DRAFT = '2014-11-15-sustainability-plan-in-preparation';
const ARCHIVED = '2012-06-01-old-announcement';

beforeAll(async () => {
  subgraph = await startTestSubgraph(communications);
  const em = subgraph.orm.em.fork();
  const news = (
    publishedOn: string,
    translations: StoredTranslation[],
    authorOrganisationId: string,
    extra: { workingGroupCode?: string; status?: ContentStatus; archived?: boolean } = {},
  ) =>
    em.create(NewsItem, {
      _id: slugId(publishedOn, translations[0]!.title),
      translations,
      ...translationIndex(translations),
      publishedOn: day(publishedOn),
      authorOrganisationId,
      status: extra.status ?? 'PUBLISHED',
      workingGroupCode: extra.workingGroupCode,
      archived: extra.archived ?? false,
      source: 'synthetic',
    });
  news(
    '2014-10-30',
    [
      {
        lang: 'en',
        title: 'Final conference in Ancona',
        summary: 'The partners present the Joint Strategic Plan.',
        body: 'In English.',
      },
      { lang: 'bg', title: 'Заключителна конференция в Анкона', summary: 'Партньорите представят плана.' },
    ],
    'it-marche-region',
    { workingGroupCode: 'WG3' },
  );
  news('2014-10-30', [{ lang: 'en', title: 'Closing newsletter' }], 'it-marche-region');
  news(
    '2014-06-15',
    [
      { lang: 'en', title: 'Pilot actions completed' },
      { lang: 'it', title: 'Azioni pilota completate' },
    ],
    'gr-corallia',
    { workingGroupCode: 'WG1' },
  );
  news(
    '2013-03-01',
    [
      { lang: 'en', title: 'Cluster policy in South East Europe' },
      { lang: 'bg', title: BULGARIAN_TITLE },
      { lang: 'sr-RS', title: 'Klaster politika u Jugoistočnoj Evropi' },
    ],
    'bg-bsmepa',
    { workingGroupCode: 'WG3' },
  );
  news('2014-11-15', [{ lang: 'en', title: 'Sustainability plan in preparation' }], 'it-marche-region', {
    status: 'DRAFT',
  });
  news('2012-06-01', [{ lang: 'en', title: 'Old announcement' }], 'it-marche-region', { archived: true });
  em.create(Event, {
    _id: 'event-ancona',
    type: 'CONFERENCE',
    translations: [{ lang: 'en', title: 'Final conference' }],
    ...translationIndex([{ lang: 'en', title: 'Final conference' }]),
    hostOrganisationId: 'it-marche-region',
    startDate: day('2014-10-29'),
    endDate: day('2014-10-30'),
    city: 'Ancona',
    countryCode: 'IT',
    status: 'PUBLISHED',
    source: 'synthetic',
  });
  await em.flush();
});
afterAll(() => subgraph.close());

const ids = (result: GraphQLResponse<Record<string, unknown>>, list = 'news') =>
  (result.data?.[list] as { nodes: { id: string }[] } | undefined)?.nodes.map((n) => n.id);

describe('news list', () => {
  test('lists published news newest first, items of one day in a stable order', async () => {
    const result = await subgraph.query(
      `{ news { nodes { id title language publishedOn author { id } status archived version } totalCount pageInfo { hasNextPage } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.news).toEqual({
      nodes: [
        { id: FINAL, title: 'Final conference in Ancona', language: 'en', publishedOn: '2014-10-30' },
        { id: CLOSING, title: 'Closing newsletter', language: 'en', publishedOn: '2014-10-30' },
        { id: PILOTS, title: 'Pilot actions completed', language: 'en', publishedOn: '2014-06-15' },
        {
          id: POLICY,
          title: 'Cluster policy in South East Europe',
          language: 'en',
          publishedOn: '2013-03-01',
        },
      ].map((n) => ({
        ...n,
        author: { id: n.id === PILOTS ? 'gr-corallia' : n.id === POLICY ? 'bg-bsmepa' : 'it-marche-region' },
        status: 'PUBLISHED',
        archived: false,
        version: 1,
      })),
      totalCount: 4,
      pageInfo: { hasNextPage: false },
    });
  });

  test('pages through the list with cursors, each item once, in order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const result: GraphQLResponse<Record<string, unknown>> = await subgraph.query(
        `query($after: String) { news(first: 3, after: $after, filter: { includeDrafts: true, includeArchived: true }) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      const data = result.data?.news as {
        nodes: { id: string }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
        totalCount: number;
      };
      expect(data.totalCount).toBe(6);
      seen.push(...data.nodes.map((n) => n.id));
      if (!data.pageInfo.hasNextPage) break;
      after = data.pageInfo.endCursor;
    }
    expect(seen).toEqual([DRAFT, FINAL, CLOSING, PILOTS, POLICY, ARCHIVED]);
  });

  test('sorts oldest first on request', async () => {
    const result = await subgraph.query(`{ news(orderBy: { direction: ASC }) { nodes { id } } }`);
    expect(ids(result)).toEqual([POLICY, PILOTS, CLOSING, FINAL]);
  });

  test.each([
    ['first: 0', 'first'],
    ['first: 101', 'first'],
    ['after: "not-a-cursor"', 'after'],
    ['filter: { lang: "EN" }', 'filter.lang'],
    ['filter: { from: "2014-13-01" }', 'filter.from'],
    ['filter: { from: "2014-06-01", to: "2014-01-01" }', 'filter.to'],
    ['filter: { workingGroup: "group 1" }', 'filter.workingGroup'],
    ['filter: { workingGroup: "WG07" }', 'filter.workingGroup'],
  ])('rejects %s with BAD_USER_INPUT naming %s', async (args, field) => {
    expectBadInput(await subgraph.query(`{ news(${args}) { nodes { id } } }`), field);
  });

  test.each([
    ['authorId: "it-marche-region"', [FINAL, CLOSING]],
    ['workingGroup: "WG3"', [FINAL, POLICY]],
    ['lang: "bg"', [FINAL, POLICY]],
    ['lang: "it"', [PILOTS]],
    ['from: "2014-01-01", to: "2014-06-15"', [PILOTS]],
    ['from: "2014-10-30"', [FINAL, CLOSING]],
    ['to: "2013-12-31"', [POLICY]],
    ['search: "ancona"', [FINAL]],
    ['search: "Final Conf"', [FINAL]],
    ['search: "конференция"', [FINAL]],
    ['search: "клъстерна пол"', [POLICY]],
    ['search: "jugoistocnoj"', [POLICY]],
    ['search: "pilot.*"', [PILOTS]],
    ['search: "."', [FINAL, CLOSING, PILOTS, POLICY]],
    ['search: "(ancona"', [FINAL]],
    ['search: "newsletter", authorId: "gr-corallia"', []],
  ])('filters with %s', async (filter, expected) => {
    const result = await subgraph.query(`{ news(filter: { ${filter} }) { nodes { id } totalCount } }`);
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(expected);
    expect((result.data?.news as { totalCount: number }).totalCount).toBe(expected.length);
  });

  test('hides drafts unless asked, and archived items unless asked', async () => {
    const result = await subgraph.query(`{
      drafts: news(filter: { includeDrafts: true }) { nodes { id } }
      onlyDrafts: news(filter: { status: DRAFT }) { nodes { id status } }
      archived: news(filter: { includeArchived: true }) { nodes { id } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(ids(result, 'drafts')).toEqual([DRAFT, FINAL, CLOSING, PILOTS, POLICY]);
    expect(result.data?.onlyDrafts).toEqual({ nodes: [{ id: DRAFT, status: 'DRAFT' }] });
    expect(ids(result, 'archived')).toEqual([FINAL, CLOSING, PILOTS, POLICY, ARCHIVED]);
  });
});

describe('multilingual text', () => {
  const text = `id title(lang: $lang) summary(lang: $lang) body(lang: $lang) language(lang: $lang)`;
  const read = (lang: string | null) =>
    subgraph.query(
      `query($lang: String) { final: newsItem(id: "${FINAL}") { ${text} } closing: newsItem(id: "${CLOSING}") { ${text} } policy: newsItem(id: "${POLICY}") { ${text} } }`,
      { lang },
    );

  test('serves the requested language where the item has it, English where it does not', async () => {
    const result = await read('bg');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      final: {
        id: FINAL,
        title: 'Заключителна конференция в Анкона',
        summary: 'Партньорите представят плана.',
        // One translation serves every field: no English body under a Bulgarian title.
        body: null,
        language: 'bg',
      },
      closing: { id: CLOSING, title: 'Closing newsletter', summary: null, body: null, language: 'en' },
      policy: { id: POLICY, title: BULGARIAN_TITLE, summary: null, body: null, language: 'bg' },
    });
  });

  test.each([
    ['no language', null, 'en', 'Final conference in Ancona'],
    ['an unknown language', 'xx', 'en', 'Final conference in Ancona'],
    ['a malformed tag', 'Klingon!', 'en', 'Final conference in Ancona'],
    ['a language with a region the item lacks', 'bg-BG', 'bg', 'Заключителна конференция в Анкона'],
  ])('falls back for %s', async (_case, lang, served, title) => {
    const result = await read(lang);
    expect(result.data?.final).toMatchObject({ language: served, title });
  });

  test('matches a language to its regional variant', async () => {
    const result = await read('sr');
    expect(result.data?.policy).toMatchObject({
      language: 'sr-RS',
      title: 'Klaster politika u Jugoistočnoj Evropi',
    });
    expect(result.data?.final).toMatchObject({ language: 'en' });
  });

  test('lists the languages and every translation for editors, English first', async () => {
    const result = await subgraph.query(
      `{ newsItem(id: "${POLICY}") { languages translations { lang title summary body } } }`,
    );
    expect(result.data?.newsItem).toEqual({
      languages: ['en', 'bg', 'sr-RS'],
      translations: [
        { lang: 'en', title: 'Cluster policy in South East Europe', summary: null, body: null },
        { lang: 'bg', title: BULGARIAN_TITLE, summary: null, body: null },
        { lang: 'sr-RS', title: 'Klaster politika u Jugoistočnoj Evropi', summary: null, body: null },
      ],
    });
  });
});

describe('by key and references', () => {
  test('gets any item by id, drafts and archived ones included', async () => {
    const result = await subgraph.query(
      `{ newsItem(id: "${FINAL}") { title summary publishedOn author { id } workingGroup { code } source }
         draft: newsItem(id: "${DRAFT}") { status }
         archived: newsItem(id: "${ARCHIVED}") { archived }
         missing: newsItem(id: "nope") { id } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      newsItem: {
        title: 'Final conference in Ancona',
        summary: 'The partners present the Joint Strategic Plan.',
        publishedOn: '2014-10-30',
        author: { id: 'it-marche-region' },
        workingGroup: { code: 'WG3' },
        source: 'synthetic',
      },
      draft: { status: 'DRAFT' },
      archived: { archived: true },
      missing: null,
    });
  });

  test('resolves news item references for the gateway in one database command', async () => {
    subgraph.commands.reset();
    const result = await subgraph.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on NewsItem { id title(lang: "bg") } } }`,
      {
        representations: [
          { __typename: 'NewsItem', id: PILOTS },
          { __typename: 'NewsItem', id: 'nope' },
          { __typename: 'NewsItem', id: FINAL },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      { id: PILOTS, title: 'Pilot actions completed' },
      null,
      { id: FINAL, title: 'Заключителна конференция в Анкона' },
    ]);
    expect(subgraph.commands.names()).toEqual(['find news']);
  });

  test('adds the published news and events of many organisations in one command each', async () => {
    subgraph.commands.reset();
    const result = await subgraph.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id news { id publishedOn } events { id } } } }`,
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
        // Neither the draft nor the archived item of Marche Region.
        news: [
          { id: FINAL, publishedOn: '2014-10-30' },
          { id: CLOSING, publishedOn: '2014-10-30' },
        ],
        events: [{ id: 'event-ancona' }],
      },
      { id: 'bg-bsmepa', news: [{ id: POLICY, publishedOn: '2013-03-01' }], events: [] },
      { id: 'at-unknown', news: [], events: [] },
    ]);
    expect(subgraph.commands.names().sort()).toEqual(['find events', 'find news']);
  });
});

describe('news mutations', () => {
  const FIELDS = `id title summary(lang: "bg") language(lang: "bg") languages publishedOn author { id } workingGroup { code } status source version archived`;
  const valid = {
    translations: [
      { lang: 'en', title: ' Policy factsheets published ', summary: 'Six factsheets.' },
      { lang: 'bg', title: 'Публикувани информационни листове', summary: 'Шест листа.' },
    ],
    publishedOn: '2014-10-01',
    authorOrganisationId: 'gr-corallia',
    workingGroup: 'WG4',
    source: 'project description',
  };
  const create = (input: Record<string, unknown>) =>
    subgraph.query<{ createNewsItem: { id: string; version: number } }>(
      `mutation($input: CreateNewsItemInput!) { createNewsItem(input: $input) { ${FIELDS} } }`,
      { input },
    );
  const update = (id: string, version: number, input: Record<string, unknown>) =>
    subgraph.query<{ updateNewsItem: { version: number } }>(
      `mutation($id: ID!, $version: Int!, $input: UpdateNewsItemInput!) { updateNewsItem(id: $id, version: $version, input: $input) { ${FIELDS} } }`,
      { id, version, input },
    );
  const archive = (id: string, version: number) =>
    subgraph.query(`mutation { archiveNewsItem(id: "${id}", version: ${version}) { id archived version } }`);

  test('creates a draft, whose id says nothing of its title, stored at UTC midnight', async () => {
    const result = await create(valid);
    expect(result.errors).toBeUndefined();
    const id = result.data!.createNewsItem.id;
    expect(id).toMatch(/^news-[0-9a-f]{16}$/);
    expect(result.data?.createNewsItem).toEqual({
      id,
      title: 'Policy factsheets published',
      summary: 'Шест листа.',
      language: 'bg',
      languages: ['en', 'bg'],
      publishedOn: '2014-10-01',
      author: { id: 'gr-corallia' },
      workingGroup: { code: 'WG4' },
      status: 'DRAFT',
      source: 'project description',
      version: 1,
      archived: false,
    });
    const item = await subgraph.orm.em.fork().findOneOrFail(NewsItem, { _id: id });
    expect(item.publishedOn.toISOString()).toBe('2014-10-01T00:00:00.000Z');
    expect(item.searchKeys).toEqual(
      expect.arrayContaining([
        'policy factsheets published',
        'factsheets published',
        'публикувани информационни листове',
      ]),
    );
    expect(item.languages).toEqual(['en', 'bg']);
    // A draft: not in the public list.
    const list = await subgraph.query(`{ news(filter: { search: "factsheets" }) { totalCount } }`);
    expect(list.data?.news).toEqual({ totalCount: 0 });
  });

  test('gives a published item a readable id from its English title', async () => {
    const result = await create({ ...valid, status: 'PUBLISHED' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createNewsItem).toMatchObject({
      id: '2014-10-01-policy-factsheets-published',
      status: 'PUBLISHED',
    });
  });

  test('stores English first whatever the input order, and a non-Latin title gets a hashed id', async () => {
    const result = await create({
      ...valid,
      translations: [
        { lang: 'bg', title: 'Заключителна среща' },
        { lang: 'en', title: 'Заключителна среща (English version pending)' },
      ],
      status: 'PUBLISHED',
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createNewsItem.id).toMatch(/^2014-10-01-english-version-pending-[0-9a-f]{8}$/);
    const item = await subgraph.orm.em
      .fork()
      .findOneOrFail(NewsItem, { _id: result.data!.createNewsItem.id });
    expect(item.translations.map((t) => t.lang)).toEqual(['en', 'bg']);
    expect(item.status).toBe('PUBLISHED');
  });

  const translation = (overrides: Record<string, unknown>) => [{ ...valid.translations[0], ...overrides }];
  test.each([
    ['no translations', { translations: [] }, 'input.translations'],
    [
      'no English translation',
      { translations: [{ lang: 'bg', title: 'Само български' }] },
      'input.translations',
    ],
    ['an empty title', { translations: translation({ title: '  ' }) }, 'input.translations[0].title'],
    [
      'an overlong title',
      { translations: translation({ title: 'x'.repeat(301) }) },
      'input.translations[0].title',
    ],
    ['an upper-case language', { translations: translation({ lang: 'EN' }) }, 'input.translations[0].lang'],
    ['a lower-case region', { translations: translation({ lang: 'sr-rs' }) }, 'input.translations[0].lang'],
    ['a three-letter language', { translations: translation({ lang: 'eng' }) }, 'input.translations[0].lang'],
    [
      'a language given twice',
      { translations: [valid.translations[0], { lang: 'en', title: 'Again' }] },
      'input.translations[1].lang',
    ],
    ['an impossible date', { publishedOn: '2014-02-30' }, 'input.publishedOn'],
    ['a date in another format', { publishedOn: '30/10/2014' }, 'input.publishedOn'],
    ['a date before the project', { publishedOn: '2012-04-30' }, 'input.publishedOn'],
    ['a date after the project', { publishedOn: '2015-01-01' }, 'input.publishedOn'],
    ['an empty author', { authorOrganisationId: ' ' }, 'input.authorOrganisationId'],
    ['a malformed working group', { workingGroup: 'group 3' }, 'input.workingGroup'],
    ['an empty source', { source: '' }, 'input.source'],
  ])(
    'rejects %s with BAD_USER_INPUT naming the field and writes nothing',
    async (_case, overrides, field) => {
      const before = await stored(subgraph, 'news');
      expectBadInput(await create(withOverrides(valid, overrides)), field);
      expect(await stored(subgraph, 'news')).toEqual(before);
    },
  );

  test('accepts a language with a region, and no working group', async () => {
    const result = await create(
      withOverrides(valid, {
        translations: [...valid.translations, { lang: 'sr-RS', title: 'Vesti iz Novog Sada' }],
        publishedOn: '2013-05-05',
        workingGroup: undefined,
      }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createNewsItem).toMatchObject({
      languages: ['en', 'bg', 'sr-RS'],
      workingGroup: null,
    });
  });

  test('refuses the same story on the same day with CONFLICT and changes nothing', async () => {
    const before = await stored(subgraph, 'news');
    // Case and punctuation aside, it is the seeded item.
    const result = await create({
      ...valid,
      translations: [{ lang: 'en', title: 'Final Conference in Ancona!' }],
      publishedOn: '2014-10-30',
      status: 'PUBLISHED',
    });
    expectCode(result, 'CONFLICT', { id: FINAL });
    expect(await stored(subgraph, 'news')).toEqual(before);
  });

  test('lets exactly one of simultaneous creations of one published story win', async () => {
    const input = {
      ...valid,
      translations: [{ lang: 'en', title: 'Sustainability Plan adopted' }],
      publishedOn: '2014-10-29',
      status: 'PUBLISHED',
    };
    const results = await Promise.all([create(input), create(input), create(input)]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual([
      'CONFLICT',
      'CONFLICT',
    ]);
    expect(
      await subgraph.orm.em.fork().count(NewsItem, { _id: '2014-10-29-sustainability-plan-adopted' }),
    ).toBe(1);
  });

  test('drafts of one story are each their own record, since a draft id is not its title', async () => {
    const input = { ...valid, translations: [{ lang: 'en', title: 'Draft written twice' }] };
    const results = await Promise.all([create(input), create(input)]);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const [first, second] = results.map((r) => r.data!.createNewsItem.id);
    expect(first).not.toBe(second);
  });

  describe('update and archive', () => {
    let id: string;
    beforeAll(async () => {
      const result = await create({ ...valid, translations: [{ lang: 'en', title: 'Item to edit' }] });
      id = result.data!.createNewsItem.id;
    });

    test('publishes, retitles and re-dates an item, bumping its version; the id stays', async () => {
      const result = await update(id, 1, {
        status: 'PUBLISHED',
        translations: [
          { lang: 'en', title: 'Edited item' },
          { lang: 'bg', title: 'Редактирана новина', summary: 'Резюме.' },
        ],
        publishedOn: '2014-10-02',
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?.updateNewsItem).toMatchObject({
        id,
        title: 'Edited item',
        summary: 'Резюме.',
        status: 'PUBLISHED',
        publishedOn: '2014-10-02',
        workingGroup: { code: 'WG4' },
        version: 2,
      });
      const item = await subgraph.orm.em.fork().findOneOrFail(NewsItem, { _id: id });
      expect(item).toMatchObject({ version: 2, status: 'PUBLISHED', languages: ['en', 'bg'] });
      expect(item.searchKeys).toContain('редактирана новина');
      expect(item.searchKeys).not.toContain('item to edit');
      const found = await subgraph.query(`{ news(filter: { search: "редакт" }) { nodes { id } } }`);
      expect(ids(found)).toEqual([id]);
    });

    test('clears the working group with null and unpublishes', async () => {
      const result = await update(id, 2, { workingGroup: null, status: 'DRAFT' });
      expect(result.errors).toBeUndefined();
      expect(result.data?.updateNewsItem).toMatchObject({ workingGroup: null, status: 'DRAFT', version: 3 });
      const found = await subgraph.query(`{ news(filter: { search: "редакт" }) { nodes { id } } }`);
      expect(ids(found)).toEqual([]);
    });

    test.each([
      [
        'no English translation',
        { translations: [{ lang: 'it', title: 'Solo italiano' }] },
        'input.translations',
      ],
      ['an empty title', { translations: [{ lang: 'en', title: '' }] }, 'input.translations[0].title'],
      ['a date after the project', { publishedOn: '2015-03-01' }, 'input.publishedOn'],
      ['an empty author', { authorOrganisationId: '' }, 'input.authorOrganisationId'],
      ['a malformed working group', { workingGroup: 'WGX' }, 'input.workingGroup'],
      ['an empty source', { source: ' ' }, 'input.source'],
    ])('rejects an update with %s and changes nothing', async (_case, input, field) => {
      const before = await stored(subgraph, 'news');
      expectBadInput(await update(id, 3, input), field);
      expect(await stored(subgraph, 'news')).toEqual(before);
    });

    test('refuses a stale version with CONFLICT and changes nothing', async () => {
      const before = await stored(subgraph, 'news');
      expectCode(await update(id, 2, { status: 'PUBLISHED' }), 'CONFLICT', { currentVersion: 3 });
      expectCode(await archive(id, 1), 'CONFLICT', { currentVersion: 3 });
      expect(await stored(subgraph, 'news')).toEqual(before);
    });

    // FerretDB 1.24 applies a filtered update as a read then a write, so without the kit's
    // version claim simultaneous updates of one version all matched (issue 17).
    test('lets exactly one of simultaneous changes of one version win, with one audit entry', async () => {
      const created = await create({ ...valid, translations: [{ lang: 'en', title: 'Published at once' }] });
      const draftId = created.data!.createNewsItem.id;
      const results = await Promise.all(
        ['WG1', 'WG2', 'WG3', 'WG5', 'WG6'].map((workingGroup) =>
          update(draftId, 1, { status: 'PUBLISHED', workingGroup }),
        ),
      );
      expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
      expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(
        Array.from({ length: 4 }, () => 'CONFLICT'),
      );
      const em = subgraph.orm.em.fork();
      const winner = results.find((r) => r.errors === undefined)!.data!.updateNewsItem as unknown as {
        workingGroup: { code: string };
      };
      expect(await em.findOneOrFail(NewsItem, { _id: draftId })).toMatchObject({
        version: 2,
        status: 'PUBLISHED',
        workingGroupCode: winner.workingGroup.code,
      });
      expect(
        await em.getConnection().getDb().collection('audit_log').countDocuments({ recordId: draftId }),
      ).toBe(2);
    });

    test('answers NOT_FOUND for an unknown id', async () => {
      expectCode(await update('nope', 1, { status: 'PUBLISHED' }), 'NOT_FOUND');
      expectCode(await archive('nope', 1), 'NOT_FOUND');
    });

    test('archives: hidden from lists, still readable by id', async () => {
      await update(id, 3, { status: 'PUBLISHED' });
      const result = await archive(id, 4);
      expect(result.errors).toBeUndefined();
      expect(result.data?.archiveNewsItem).toEqual({ id, archived: true, version: 5 });
      const list = await subgraph.query(
        `{ news(filter: { search: "edited" }) { totalCount } all: news(filter: { search: "edited", includeArchived: true }) { totalCount } newsItem(id: "${id}") { archived } }`,
      );
      expect(list.data).toEqual({
        news: { totalCount: 0 },
        all: { totalCount: 1 },
        newsItem: { archived: true },
      });
      expect((await subgraph.orm.em.fork().findOneOrFail(NewsItem, { _id: id })).archived).toBe(true);
    });
  });
});
