import {
  EVENTS_PER_SCALE,
  events,
  NEWS_PER_SCALE,
  newsItems,
  newsletters,
  PUBLICATIONS_PER_SCALE,
  publications,
  seedCommunications,
} from '@clusterpolisee/infra/seed/communications';
import { seedOrganisations } from '@clusterpolisee/infra/seed/organisations';
import { formatIsoDate } from '@clusterpolisee/kit';
import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { communications } from '.';
import { NewsItem, Newsletter } from './entities';

let small: TestSubgraph;
let large: TestSubgraph;

beforeAll(async () => {
  [small, large] = await Promise.all([startTestSubgraph(communications), startTestSubgraph(communications)]);
  await seedCommunications(small.orm.em.fork(), { scale: 1 });
  await seedCommunications(large.orm.em.fork(), { scale: 10 });
}, 120_000);
afterAll(() => Promise.all([small?.close(), large?.close()]));

describe('seed', () => {
  test('writes the demo content of its scale, and nothing on a second run', async () => {
    const em = small.orm.em.fork();
    const db = em.getConnection().getDb();
    const counts = async (target: TestSubgraph) => {
      const d = target.orm.em.getConnection().getDb();
      return Promise.all(
        ['news', 'events', 'publications', 'newsletters'].map((c) => d.collection(c).countDocuments()),
      );
    };
    expect(await counts(small)).toEqual([NEWS_PER_SCALE, EVENTS_PER_SCALE, PUBLICATIONS_PER_SCALE, 6]);
    expect(await counts(large)).toEqual([
      NEWS_PER_SCALE * 10,
      EVENTS_PER_SCALE * 10,
      PUBLICATIONS_PER_SCALE * 10,
      6,
    ]);
    expect(await seedCommunications(small.orm.em.fork(), { scale: 1 })).toBe(0);
    expect(await db.collection('news').countDocuments({ source: { $ne: 'synthetic' } })).toBe(0);
  });

  test('is deterministic, and a larger scale keeps every record of a smaller one', () => {
    expect(newsItems(1)).toEqual(newsItems(1));
    const ids = (rows: { _id: string }[]) => rows.map((r) => r._id);
    expect(ids(newsItems(10)).slice(0, NEWS_PER_SCALE)).toEqual(ids(newsItems(1)));
    expect(ids(events(10)).slice(0, EVENTS_PER_SCALE)).toEqual(ids(events(1)));
    expect(ids(publications(10)).slice(0, PUBLICATIONS_PER_SCALE)).toEqual(ids(publications(1)));
    expect(new Set(ids(newsItems(10))).size).toBe(NEWS_PER_SCALE * 10);
  });

  test('names only organisations of its scale, and every event type, in partner countries', () => {
    const organisations = new Map(seedOrganisations(10).map((o) => [o.id, o]));
    for (const item of newsItems(10)) expect(organisations.has(item.authorOrganisationId)).toBe(true);
    for (const event of events(10)) {
      expect(organisations.get(event.hostOrganisationId)?.country).toBe(event.countryCode);
      expect(event.endDate >= event.startDate).toBe(true);
      expect(formatIsoDate(event.endDate) <= '2014-10-30').toBe(true);
      expect(event.workingGroupCode).toMatch(/^WG[1-6]$/);
    }
    expect(new Set(events(1).map((e) => e.type))).toEqual(
      new Set(['CONFERENCE', 'WORKSHOP', 'STUDY_VISIT', 'TRAINING']),
    );
    expect(new Set(publications(1).map((p) => p.type)).size).toBe(6);
  });

  test('each newsletter collects the published news of its half-year', () => {
    const news = newsItems(1);
    const issues = newsletters(news);
    expect(issues.map((n) => formatIsoDate(n.publishedOn))).toEqual([
      '2012-06-30',
      '2012-12-31',
      '2013-06-30',
      '2013-12-31',
      '2014-06-30',
      '2014-10-30',
    ]);
    const collected = issues.flatMap((n) => n.itemIds);
    expect(collected.sort()).toEqual(
      news
        .filter((n) => n.status === 'PUBLISHED')
        .map((n) => n._id)
        .sort(),
    );
  });

  test('serves Bulgarian where a demo item has it and the English fallback where it has not', async () => {
    const result = await small.query(
      `{ news(first: 100) { nodes { id languages title(lang: "bg") language(lang: "bg") } } }`,
    );
    expect(result.errors).toBeUndefined();
    const nodes = (result.data?.news as { nodes: { languages: string[]; title: string; language: string }[] })
      .nodes;
    const bulgarian = nodes.filter((n) => n.languages.includes('bg'));
    const englishOnly = nodes.filter((n) => !n.languages.includes('bg'));
    expect(bulgarian.length).toBeGreaterThan(0);
    expect(englishOnly.length).toBeGreaterThan(0);
    for (const n of bulgarian)
      expect(n).toMatchObject({ language: 'bg', title: expect.stringContaining('демонстрационна новина') });
    for (const n of englishOnly)
      expect(n).toMatchObject({ language: 'en', title: expect.stringContaining('demo news item') });
    // One in twelve is a draft, which the public list leaves out.
    expect(nodes).toHaveLength(NEWS_PER_SCALE - 1);
    expect(await small.orm.em.fork().count(NewsItem, { status: 'DRAFT' })).toBe(1);
  });
});

describe('database commands per request do not grow with the data', () => {
  const someOrganisations = seedOrganisations(1)
    .slice(0, 5)
    .map((o) => ({ __typename: 'Organisation', id: o.id }));

  test.each([
    [
      'news with authors and working groups',
      `{ news(first: 50) { nodes { id title(lang: "bg") summary(lang: "bg") author { id } workingGroup { code } } totalCount } }`,
    ],
    [
      'events with hosts, working groups and countries',
      `{ events(first: 50) { nodes { id title host { id } workingGroup { code } place { city country { code } } } totalCount } }`,
    ],
    [
      'publications with authors and links',
      `{ publications(first: 50) { nodes { id url(lang: "bg") author { id } } totalCount } }`,
    ],
    [
      'newsletters with their items',
      `{ newsletters { nodes { id title(lang: "bg") items { id title(lang: "bg") author { id } workingGroup { code } } } totalCount } }`,
    ],
    [
      'the news and events of organisations, for the gateway',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organisation { id news { id title } events { id host { id } } } } }`,
    ],
  ])('%s', async (_case, query) => {
    const counts: number[] = [];
    const sizes: number[] = [];
    for (const subgraph of [small, large]) {
      subgraph.commands.reset();
      const result = await subgraph.query(query, { r: someOrganisations });
      expect(result.errors).toBeUndefined();
      counts.push(subgraph.commands.count());
      sizes.push(JSON.stringify(result.data).length);
    }
    expect(counts[1]).toBe(counts[0]);
    // The large database really answers with more (nested) data.
    if (!query.includes('_entities')) expect(sizes[1]).toBeGreaterThan(sizes[0]!);
  });

  test('a newsletter page costs two commands however many items its issues hold', async () => {
    const items = await large.orm.em.fork().find(Newsletter, {});
    expect(items.reduce((sum, n) => sum + n.itemIds.length, 0)).toBeGreaterThan(100);
    large.commands.reset();
    await large.query(`{ newsletters { nodes { items { id } } } }`);
    expect(large.commands.count()).toBe(2);
  });
});
