import {
  raceOutcome,
  startTestSubgraph,
  type GraphQLResponse,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { communications } from '.';
import { Event, NewsItem, Newsletter, Publication, translationIndex } from './entities';
import { expectBadInput, expectCode, stored, withOverrides } from './test-support';

let subgraph: TestSubgraph;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** News the newsletters can collect: two published, one draft, one archived. */
beforeAll(async () => {
  subgraph = await startTestSubgraph(communications);
  const em = subgraph.orm.em.fork();
  const news = (id: string, status: 'PUBLISHED' | 'DRAFT', archived = false) => {
    const translations = [{ lang: 'en', title: `News ${id}` }];
    em.create(NewsItem, {
      _id: id,
      translations,
      ...translationIndex(translations),
      publishedOn: day('2013-05-01'),
      authorOrganisationId: 'it-marche-region',
      status,
      archived,
      source: 'synthetic',
    });
  };
  news('n1', 'PUBLISHED');
  news('n2', 'PUBLISHED');
  news('n-draft', 'DRAFT');
  news('n-archived', 'PUBLISHED', true);
  await em.flush();
});
afterAll(() => subgraph.close());

type Result = GraphQLResponse<Record<string, unknown>>;
const data = <T>(result: Result, field: string) => result.data?.[field] as T;

describe('events', () => {
  const FIELDS = `id type title(lang: "bg") language(lang: "bg") host { id } startDate endDate place { city countryCode country { code } } workingGroup { code } status source version archived`;
  const valid = {
    type: 'STUDY_VISIT',
    translations: [
      { lang: 'en', title: 'Study visit to Pannon clusters' },
      { lang: 'bg', title: 'Учебно посещение в клъстерите на Панония' },
    ],
    hostOrganisationId: 'hu-pannon-business-network-association',
    startDate: '2013-09-10',
    endDate: '2013-09-12',
    place: { city: 'Győr', countryCode: 'HU' },
    workingGroup: 'WG3',
    status: 'PUBLISHED',
    source: 'synthetic',
  };
  const create = (input: Record<string, unknown>) =>
    subgraph.query(`mutation($input: CreateEventInput!) { createEvent(input: $input) { ${FIELDS} } }`, {
      input,
    });
  const update = (id: string, version: number, input: Record<string, unknown>) =>
    subgraph.query(
      `mutation($id: ID!, $version: Int!, $input: UpdateEventInput!) { updateEvent(id: $id, version: $version, input: $input) { ${FIELDS} } }`,
      { id, version, input },
    );
  const archive = (id: string, version: number) =>
    subgraph.query(`mutation { archiveEvent(id: "${id}", version: ${version}) { id archived version } }`);
  const ID = '2013-09-10-study-visit-to-pannon-clusters';

  test('creates an event, read back from the database', async () => {
    const result = await create(valid);
    expect(result.errors).toBeUndefined();
    expect(data(result, 'createEvent')).toEqual({
      id: ID,
      type: 'STUDY_VISIT',
      title: 'Учебно посещение в клъстерите на Панония',
      language: 'bg',
      host: { id: 'hu-pannon-business-network-association' },
      startDate: '2013-09-10',
      endDate: '2013-09-12',
      place: { city: 'Győr', countryCode: 'HU', country: { code: 'HU' } },
      workingGroup: { code: 'WG3' },
      status: 'PUBLISHED',
      source: 'synthetic',
      version: 1,
      archived: false,
    });
    const event = await subgraph.orm.em.fork().findOneOrFail(Event, { _id: ID });
    expect(event).toMatchObject({ city: 'Győr', countryCode: 'HU', languages: ['en', 'bg'] });
    expect(event.endDate.toISOString()).toBe('2013-09-12T00:00:00.000Z');
  });

  test('accepts a one-day event on the last day of the project period', async () => {
    const result = await create({
      ...valid,
      translations: [{ lang: 'en', title: 'Closing training' }],
      type: 'TRAINING',
      startDate: '2014-10-30',
      endDate: '2014-10-30',
      status: 'DRAFT',
    });
    expect(result.errors).toBeUndefined();
  });

  test.each([
    ['no English translation', { translations: [{ lang: 'bg', title: 'Събитие' }] }, 'input.translations'],
    ['an empty title', { translations: [{ lang: 'en', title: ' ' }] }, 'input.translations[0].title'],
    ['an empty host', { hostOrganisationId: '' }, 'input.hostOrganisationId'],
    ['a start before the project', { startDate: '2012-04-30' }, 'input.startDate'],
    ['an impossible start', { startDate: '2013-02-29' }, 'input.startDate'],
    ['an end after the project', { endDate: '2015-01-01' }, 'input.endDate'],
    ['an end before the start', { endDate: '2013-09-09' }, 'input.endDate'],
    ['an empty city', { place: { city: ' ', countryCode: 'HU' } }, 'input.place.city'],
    ['a lower-case country', { place: { city: 'Győr', countryCode: 'hu' } }, 'input.place.countryCode'],
    ['an unassigned country', { place: { city: 'Győr', countryCode: 'XX' } }, 'input.place.countryCode'],
    [
      'a reserved, not assigned, country',
      { place: { city: 'London', countryCode: 'UK' } },
      'input.place.countryCode',
    ],
    ['a malformed working group', { workingGroup: 'wg3' }, 'input.workingGroup'],
    ['a working group number with a leading zero', { workingGroup: 'WG07' }, 'input.workingGroup'],
    ['an end after the project, in November 2014', { endDate: '2014-11-15' }, 'input.endDate'],
    ['an empty source', { source: '' }, 'input.source'],
  ])(
    'rejects %s with BAD_USER_INPUT naming the field and writes nothing',
    async (_case, overrides, field) => {
      const before = await stored(subgraph, 'events');
      expectBadInput(await create(withOverrides(valid, overrides)), field);
      expect(await stored(subgraph, 'events')).toEqual(before);
    },
  );

  // The kit's period and working-group rule, as partners, knowledge and projects check them too.
  test.each([
    [
      { startDate: '2014-10-31', endDate: '2014-11-15' },
      'input.startDate: must be inside the project period 2012-05-01 to 2014-10-30 (got 2014-10-31)',
    ],
    [
      { workingGroup: 'WG07' },
      'input.workingGroup: must be "WG" followed by a number from 0 to 99 without leading zero, such as "WG7"',
    ],
  ])('refuses %j in the hub-wide wording', async (overrides, message) => {
    const result = await create(withOverrides(valid, overrides));
    expect(result.errors?.[0]?.message).toBe(message);
  });

  test('refuses the same event twice with CONFLICT', async () => {
    const before = await stored(subgraph, 'events');
    expectCode(await create(valid), 'CONFLICT', { id: ID });
    expect(await stored(subgraph, 'events')).toEqual(before);
  });

  test('updates one date, checked against the stored other one', async () => {
    const result = await update(ID, 1, {
      endDate: '2013-09-13',
      place: { city: 'Budapest', countryCode: 'HU' },
    });
    expect(result.errors).toBeUndefined();
    expect(data(result, 'updateEvent')).toMatchObject({
      startDate: '2013-09-10',
      endDate: '2013-09-13',
      place: { city: 'Budapest' },
      version: 2,
    });
    expect((await subgraph.orm.em.fork().findOneOrFail(Event, { _id: ID })).endDate.toISOString()).toBe(
      '2013-09-13T00:00:00.000Z',
    );
  });

  test.each([
    ['a start after the stored end', { startDate: '2013-09-14' }, 'input.startDate'],
    ['an end before the stored start', { endDate: '2013-09-09' }, 'input.endDate'],
    ['a start outside the period', { startDate: '2011-09-10' }, 'input.startDate'],
    ['an unassigned country', { place: { city: 'X', countryCode: 'ZZ' } }, 'input.place.countryCode'],
    [
      'no English translation',
      { translations: [{ lang: 'hu', title: 'Tanulmányút' }] },
      'input.translations',
    ],
    ['an empty host', { hostOrganisationId: ' ' }, 'input.hostOrganisationId'],
  ])('rejects an update with %s and changes nothing', async (_case, input, field) => {
    const before = await stored(subgraph, 'events');
    expectBadInput(await update(ID, 2, input), field);
    expect(await stored(subgraph, 'events')).toEqual(before);
  });

  test('refuses a stale version with CONFLICT and changes nothing', async () => {
    const before = await stored(subgraph, 'events');
    expectCode(await update(ID, 1, { type: 'WORKSHOP' }), 'CONFLICT', { currentVersion: 2 });
    expectCode(await archive(ID, 1), 'CONFLICT', { currentVersion: 2 });
    expect(await stored(subgraph, 'events')).toEqual(before);
  });

  test('lists with filters, overlapping dates, and drafts hidden', async () => {
    const list = (filter: string) =>
      subgraph
        .query(`{ events(filter: { ${filter} }) { nodes { id } totalCount } }`)
        .then((r) => data<{ nodes: { id: string }[] }>(r, 'events')?.nodes.map((n) => n.id) ?? r.errors);
    expect(await list('')).toEqual([ID]);
    // The draft created above: its id is random, not its title.
    expect(await list('includeDrafts: true')).toEqual([ID, expect.stringMatching(/^event-[0-9a-f]{16}$/)]);
    expect(await list('type: STUDY_VISIT')).toEqual([ID]);
    expect(await list('type: WORKSHOP')).toEqual([]);
    expect(await list('country: "HU", hostId: "hu-pannon-business-network-association"')).toEqual([ID]);
    expect(await list('country: "IT"')).toEqual([]);
    expect(await list('workingGroup: "WG3"')).toEqual([ID]);
    // Running 10 to 13 September: found by any window that touches those days.
    expect(await list('from: "2013-09-13", to: "2013-09-13"')).toEqual([ID]);
    expect(await list('from: "2013-09-01", to: "2013-09-10"')).toEqual([ID]);
    expect(await list('from: "2013-09-14"')).toEqual([]);
    expect(await list('to: "2013-09-09"')).toEqual([]);
    expect(await list('lang: "bg"')).toEqual([ID]);
    expect(await list('search: "панония"')).toEqual([ID]);
    expectBadInput(
      await subgraph.query(`{ events(filter: { country: "Hungary" }) { totalCount } }`),
      'filter.country',
    );
  });

  test('archives: hidden from lists, still readable by id', async () => {
    const result = await archive(ID, 2);
    expect(data(result, 'archiveEvent')).toEqual({ id: ID, archived: true, version: 3 });
    const after = await subgraph.query(
      `{ events { totalCount } event(id: "${ID}") { archived } all: events(filter: { includeArchived: true }) { totalCount } }`,
    );
    expect(after.data).toEqual({
      events: { totalCount: 0 },
      event: { archived: true },
      all: { totalCount: 1 },
    });
  });
});

describe('publications', () => {
  const FIELDS = `id type title(lang: "bg") url(lang: "bg") enUrl: url translations { lang url } publishedOn author { id } status version archived`;
  const valid = {
    type: 'FACTSHEET',
    translations: [
      { lang: 'en', title: 'Cluster financing factsheet', url: 'https://example.org/wg4-en.pdf' },
      { lang: 'bg', title: 'Информационен лист за финансиране на клъстери' },
    ],
    url: 'https://example.org/wg4.pdf',
    publishedOn: '2014-10-15',
    authorOrganisationId: 'gr-athena',
    status: 'PUBLISHED',
    source: 'synthetic',
  };
  const create = (input: Record<string, unknown>) =>
    subgraph.query(
      `mutation($input: CreatePublicationInput!) { createPublication(input: $input) { ${FIELDS} } }`,
      {
        input,
      },
    );
  const update = (id: string, version: number, input: Record<string, unknown>) =>
    subgraph.query(
      `mutation($id: ID!, $version: Int!, $input: UpdatePublicationInput!) { updatePublication(id: $id, version: $version, input: $input) { ${FIELDS} } }`,
      { id, version, input },
    );
  const archive = (id: string, version: number) =>
    subgraph.query(
      `mutation { archivePublication(id: "${id}", version: ${version}) { id archived version } }`,
    );
  const ID = '2014-10-15-cluster-financing-factsheet';

  test('creates a publication; each language gets its own link or the shared one', async () => {
    const result = await create(valid);
    expect(result.errors).toBeUndefined();
    expect(data(result, 'createPublication')).toEqual({
      id: ID,
      type: 'FACTSHEET',
      title: 'Информационен лист за финансиране на клъстери',
      // No Bulgarian document: the publication's link.
      url: 'https://example.org/wg4.pdf',
      enUrl: 'https://example.org/wg4-en.pdf',
      translations: [
        { lang: 'en', url: 'https://example.org/wg4-en.pdf' },
        { lang: 'bg', url: null },
      ],
      publishedOn: '2014-10-15',
      author: { id: 'gr-athena' },
      status: 'PUBLISHED',
      version: 1,
      archived: false,
    });
    expect(await subgraph.orm.em.fork().findOneOrFail(Publication, { _id: ID })).toMatchObject({
      url: 'https://example.org/wg4.pdf',
      languages: ['en', 'bg'],
    });
  });

  test.each([
    ['a link of another scheme', { url: 'ftp://example.org/a.pdf' }, 'input.url'],
    ['a relative link', { url: '/files/a.pdf' }, 'input.url'],
    [
      'a script link in a translation',
      { translations: [{ lang: 'en', title: 'T', url: 'javascript:alert(1)' }] },
      'input.translations[0].url',
    ],
    ['no link at all', { url: undefined, translations: [{ lang: 'en', title: 'T' }] }, 'input.url'],
    [
      'no English translation',
      { translations: [{ lang: 'de', title: 'Faktenblatt' }] },
      'input.translations',
    ],
    [
      'a duplicate language',
      {
        translations: [
          { lang: 'en', title: 'A' },
          { lang: 'en', title: 'B' },
        ],
      },
      'input.translations[1].lang',
    ],
    ['a date outside the period', { publishedOn: '2016-01-01' }, 'input.publishedOn'],
    ['an empty author', { authorOrganisationId: '' }, 'input.authorOrganisationId'],
    ['an empty source', { source: ' ' }, 'input.source'],
  ])(
    'rejects %s with BAD_USER_INPUT naming the field and writes nothing',
    async (_case, overrides, field) => {
      const before = await stored(subgraph, 'publications');
      expectBadInput(await create(withOverrides({ ...valid, publishedOn: '2014-10-16' }, overrides)), field);
      expect(await stored(subgraph, 'publications')).toEqual(before);
    },
  );

  test('updates the link; clearing it is refused while no translation has one of its own', async () => {
    const before = await stored(subgraph, 'publications');
    expectBadInput(
      await update(ID, 1, {
        url: null,
        translations: [{ lang: 'en', title: 'Cluster financing factsheet' }],
      }),
      'input.url',
    );
    expect(await stored(subgraph, 'publications')).toEqual(before);
    const result = await update(ID, 1, { url: null, type: 'REPORT' });
    expect(result.errors).toBeUndefined();
    // The English document serves the languages without their own.
    expect(data(result, 'updatePublication')).toMatchObject({
      type: 'REPORT',
      url: 'https://example.org/wg4-en.pdf',
      version: 2,
    });
    expect((await subgraph.orm.em.fork().findOneOrFail(Publication, { _id: ID })).url).toBeNull();
  });

  test.each([
    ['a bad link', { url: 'mailto:someone@example.org' }, 'input.url'],
    ['a date outside the period', { publishedOn: '2012-01-01' }, 'input.publishedOn'],
    ['an empty author', { authorOrganisationId: ' ' }, 'input.authorOrganisationId'],
    [
      'an empty title',
      { translations: [{ lang: 'en', title: '', url: 'https://example.org/x.pdf' }] },
      'input.translations[0].title',
    ],
  ])('rejects an update with %s and changes nothing', async (_case, input, field) => {
    const before = await stored(subgraph, 'publications');
    expectBadInput(await update(ID, 2, input), field);
    expect(await stored(subgraph, 'publications')).toEqual(before);
  });

  test('refuses a stale version with CONFLICT and changes nothing', async () => {
    const before = await stored(subgraph, 'publications');
    expectCode(await update(ID, 1, { type: 'OTHER' }), 'CONFLICT', { currentVersion: 2 });
    expectCode(await archive(ID, 1), 'CONFLICT', { currentVersion: 2 });
    expect(await stored(subgraph, 'publications')).toEqual(before);
  });

  test('lists by type and language', async () => {
    const result = await subgraph.query(`{
      reports: publications(filter: { type: REPORT }) { nodes { id } }
      factsheets: publications(filter: { type: FACTSHEET }) { nodes { id } }
      bulgarian: publications(filter: { lang: "bg" }) { nodes { id } }
      german: publications(filter: { lang: "de" }) { nodes { id } }
    }`);
    expect(result.data).toEqual({
      reports: { nodes: [{ id: ID }] },
      factsheets: { nodes: [] },
      bulgarian: { nodes: [{ id: ID }] },
      german: { nodes: [] },
    });
  });

  test('archives: hidden from lists, still readable by id', async () => {
    expect(data(await archive(ID, 2), 'archivePublication')).toEqual({ id: ID, archived: true, version: 3 });
    const after = await subgraph.query(
      `{ publications { totalCount } publication(id: "${ID}") { archived } }`,
    );
    expect(after.data).toEqual({ publications: { totalCount: 0 }, publication: { archived: true } });
  });
});

describe('newsletters', () => {
  const FIELDS = `id issueNumber publishedOn title(lang: "it") language(lang: "it") items { id } itemIds status version archived`;
  const valid = {
    issueNumber: 1,
    publishedOn: '2013-06-30',
    translations: [
      { lang: 'en', title: 'Newsletter 1', summary: 'The first half of 2013.' },
      { lang: 'it', title: 'Newsletter n. 1' },
    ],
    itemIds: ['n2', 'n1', 'n-draft'],
    status: 'PUBLISHED',
    source: 'synthetic',
  };
  const create = (input: Record<string, unknown>) =>
    subgraph.query(
      `mutation($input: CreateNewsletterInput!) { createNewsletter(input: $input) { ${FIELDS} } }`,
      {
        input,
      },
    );
  const update = (id: string, version: number, input: Record<string, unknown>) =>
    subgraph.query(
      `mutation($id: ID!, $version: Int!, $input: UpdateNewsletterInput!) { updateNewsletter(id: $id, version: $version, input: $input) { ${FIELDS} } }`,
      { id, version, input },
    );
  const archive = (id: string, version: number) =>
    subgraph.query(
      `mutation { archiveNewsletter(id: "${id}", version: ${version}) { id archived version } }`,
    );

  test('creates an issue: its items in the given order, drafts left out for readers', async () => {
    const result = await create(valid);
    expect(result.errors).toBeUndefined();
    expect(data(result, 'createNewsletter')).toEqual({
      id: 'newsletter-1',
      issueNumber: 1,
      publishedOn: '2013-06-30',
      title: 'Newsletter n. 1',
      language: 'it',
      items: [{ id: 'n2' }, { id: 'n1' }],
      itemIds: ['n2', 'n1', 'n-draft'],
      status: 'PUBLISHED',
      version: 1,
      archived: false,
    });
    expect(await subgraph.orm.em.fork().findOneOrFail(Newsletter, { _id: 'newsletter-1' })).toMatchObject({
      issueNumber: 1,
      itemIds: ['n2', 'n1', 'n-draft'],
    });
  });

  test('refuses an issue number in use with BAD_USER_INPUT naming input.issueNumber and writes nothing', async () => {
    const before = await subgraph.storedDocuments();
    const result = await create({ ...valid, publishedOn: '2013-12-31' });
    expectBadInput(result, 'input.issueNumber');
    expect(result.errors?.[0]?.message).toBe(
      'input.issueNumber: issue 1 is already used by another newsletter; choose another number',
    );
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test('the database itself refuses a second document with one issue number', async () => {
    const em = subgraph.orm.em.fork();
    const translations = [{ lang: 'en', title: 'Twin' }];
    em.create(Newsletter, {
      _id: 'twin',
      issueNumber: 1,
      publishedOn: day('2013-06-30'),
      translations,
      ...translationIndex(translations),
      itemIds: [],
      status: 'DRAFT',
      source: 'synthetic',
    });
    await expect(em.flush()).rejects.toThrow();
    expect(await subgraph.orm.em.fork().count(Newsletter, { issueNumber: 1 })).toBe(1);
  });

  test.each([
    ['issue 0', { issueNumber: 0 }, 'input.issueNumber'],
    ['a negative issue', { issueNumber: -3 }, 'input.issueNumber'],
    ['an unknown item', { itemIds: ['n1', 'nope'] }, 'input.itemIds[1]'],
    ['an item twice', { itemIds: ['n1', 'n2', 'n1'] }, 'input.itemIds[2]'],
    ['an archived item', { itemIds: ['n-archived'] }, 'input.itemIds[0]'],
    ['an empty item id', { itemIds: [' '] }, 'input.itemIds[0]'],
    ['a date outside the period', { publishedOn: '2015-06-30' }, 'input.publishedOn'],
    [
      'no English translation',
      { translations: [{ lang: 'it', title: 'Solo italiano' }] },
      'input.translations',
    ],
    ['a bad language', { translations: [{ lang: 'english', title: 'T' }] }, 'input.translations[0].lang'],
    ['an empty source', { source: '' }, 'input.source'],
  ])(
    'rejects %s with BAD_USER_INPUT naming the field and writes nothing',
    async (_case, overrides, field) => {
      const before = await stored(subgraph, 'newsletters');
      expectBadInput(await create({ ...valid, issueNumber: 2, ...overrides }), field);
      expect(await stored(subgraph, 'newsletters')).toEqual(before);
    },
  );

  test('updates items and number; a number in use is BAD_USER_INPUT and changes nothing', async () => {
    const second = await create({ ...valid, issueNumber: 2, publishedOn: '2013-12-31', itemIds: [] });
    expect(second.errors).toBeUndefined();
    const before = await subgraph.storedDocuments();
    const taken = await update('newsletter-2', 1, { issueNumber: 1, itemIds: ['n1'] });
    expectBadInput(taken, 'input.issueNumber');
    expect(taken.errors?.[0]?.message).toBe(
      'input.issueNumber: issue 1 is already used by another newsletter; choose another number',
    );
    expect(await subgraph.storedDocuments()).toEqual(before);
    const result = await update('newsletter-2', 1, { issueNumber: 3, itemIds: ['n1'] });
    expect(result.errors).toBeUndefined();
    expect(data(result, 'updateNewsletter')).toMatchObject({
      issueNumber: 3,
      items: [{ id: 'n1' }],
      version: 2,
    });
    expect(await subgraph.orm.em.fork().findOneOrFail(Newsletter, { _id: 'newsletter-2' })).toMatchObject({
      issueNumber: 3,
      itemIds: ['n1'],
    });
  });

  test.each([
    ['an unknown item', { itemIds: ['nope'] }, 'input.itemIds[0]'],
    ['issue 0', { issueNumber: 0 }, 'input.issueNumber'],
    ['a date outside the period', { publishedOn: '2011-01-01' }, 'input.publishedOn'],
    ['no English translation', { translations: [{ lang: 'bg', title: 'Бюлетин' }] }, 'input.translations'],
  ])('rejects an update with %s and changes nothing', async (_case, input, field) => {
    const before = await stored(subgraph, 'newsletters');
    expectBadInput(await update('newsletter-2', 2, input), field);
    expect(await stored(subgraph, 'newsletters')).toEqual(before);
  });

  test('refuses a stale version with CONFLICT and changes nothing', async () => {
    const before = await stored(subgraph, 'newsletters');
    expectCode(await update('newsletter-2', 1, { status: 'DRAFT' }), 'CONFLICT', { currentVersion: 2 });
    expectCode(await archive('newsletter-2', 1), 'CONFLICT', { currentVersion: 2 });
    expect(await stored(subgraph, 'newsletters')).toEqual(before);
  });

  test('lists newest issue first; an archived news item stays in the issue that carried it', async () => {
    await subgraph.orm.em.fork().nativeUpdate(NewsItem, { _id: 'n1' }, { archived: true });
    const result = await subgraph.query(
      `{ newsletters { nodes { issueNumber items { id archived } } totalCount } }`,
    );
    expect(result.data?.newsletters).toEqual({
      nodes: [
        { issueNumber: 3, items: [{ id: 'n1', archived: true }] },
        {
          issueNumber: 1,
          items: [
            { id: 'n2', archived: false },
            { id: 'n1', archived: true },
          ],
        },
      ],
      totalCount: 2,
    });
    await subgraph.orm.em.fork().nativeUpdate(NewsItem, { _id: 'n1' }, { archived: false });
  });

  test('archives: hidden from lists, still readable by id', async () => {
    expect(data(await archive('newsletter-2', 2), 'archiveNewsletter')).toEqual({
      id: 'newsletter-2',
      archived: true,
      version: 3,
    });
    const after = await subgraph.query(
      `{ newsletters { totalCount } newsletter(id: "newsletter-2") { archived } }`,
    );
    expect(after.data).toEqual({ newsletters: { totalCount: 1 }, newsletter: { archived: true } });
  });

  test("keeps an archived issue's number taken: BAD_USER_INPUT, and nothing written", async () => {
    const before = await subgraph.storedDocuments();
    const result = await create({ ...valid, issueNumber: 3, publishedOn: '2014-06-30', itemIds: [] });
    expectBadInput(result, 'input.issueNumber');
    expect(result.errors?.[0]?.message).toBe(
      'input.issueNumber: issue 3 is already used by an archived newsletter, which keeps its number; choose another number',
    );
    expect(await subgraph.storedDocuments()).toEqual(before);
  });

  test('takes a free number whose plain id an issue renumbered since still holds', async () => {
    // newsletter-2 is issue 3 now: number 2 is free, its id `newsletter-2` is not.
    const result = await create({ ...valid, issueNumber: 2, publishedOn: '2014-06-30', itemIds: [] });
    expect(result.errors).toBeUndefined();
    const created = data<{ id: string; issueNumber: number }>(result, 'createNewsletter');
    expect(created.issueNumber).toBe(2);
    expect(created.id).toMatch(/^newsletter-2-[0-9a-f]{6}$/);
    const em = subgraph.orm.em.fork();
    expect(await em.findOneOrFail(Newsletter, { _id: created.id })).toMatchObject({ issueNumber: 2 });
    expect(await em.findOneOrFail(Newsletter, { _id: 'newsletter-2' })).toMatchObject({ issueNumber: 3 });
  });

  test('lets exactly one of simultaneous creations of a number win, the others refused on input.issueNumber', async () => {
    const input = { ...valid, issueNumber: 9, publishedOn: '2014-09-30', itemIds: [] };
    const results = await Promise.all([create(input), create(input), create(input)]);
    expect(raceOutcome(results)).toEqual({
      winners: 1,
      refusals: [
        { taken: true, field: 'input.issueNumber' },
        { taken: true, field: 'input.issueNumber' },
      ],
    });
    expect(await subgraph.orm.em.fork().count(Newsletter, { issueNumber: 9 })).toBe(1);
  });

  test('lets exactly one of simultaneous renumberings, and a creation, to one number win', async () => {
    const made = await Promise.all(
      [21, 22, 23].map((issueNumber) =>
        create({ ...valid, issueNumber, publishedOn: '2014-10-30', itemIds: [] }),
      ),
    );
    const ids = made.map((result) => data<{ id: string }>(result, 'createNewsletter').id);
    const results = await Promise.all([
      ...ids.map((id) => update(id, 1, { issueNumber: 20 })),
      create({ ...valid, issueNumber: 20, publishedOn: '2014-10-30', itemIds: [] }),
    ]);
    expect(raceOutcome(results)).toEqual({
      winners: 1,
      refusals: Array.from({ length: 3 }, () => ({ taken: true, field: 'input.issueNumber' })),
    });
    expect(await subgraph.orm.em.fork().count(Newsletter, { issueNumber: 20 })).toBe(1);
  });
});
