import { startTestHub, type TestHub } from '../support/hub';

/**
 * Limits without holes (issue 15): through the real gateway and subgraphs, an operation over a
 * limit is refused with a code naming the limit or the argument, and no subgraph runs anything
 * (no database command) or changes anything; one at the limit is run.
 */
let hub: TestHub;
const ADMIN = { role: 'admin', sub: 'limits@e2e' } as const;
const text = (length: number) => 'x'.repeat(length);

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.close());

/** Runs `send` and returns its answer with the number of database commands the subgraphs sent meanwhile. */
async function counted<T>(send: () => Promise<T>): Promise<{ answer: T; commands: number }> {
  hub.resetCommandCounts();
  const answer = await send();
  return { answer, commands: hub.commandCount() };
}

const SEARCH = `query($s: String) { organisations(filter: { search: $s }) { totalCount } }`;

test('a 500 KB search is refused with BAD_USER_INPUT naming the argument, before any subgraph runs it', async () => {
  for (const send of [
    () => hub.query(SEARCH, { s: text(500_000) }),
    () => hub.query(`{ organisations(filter: { search: "${text(500_000)}" }) { totalCount } }`),
  ]) {
    const { answer, commands } = await counted(send);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.search',
      argumentOf: 'Query.organisations',
      maxLength: 200,
    });
    expect(answer.errors![0]!.message).toMatch(/^filter\.search .*at most 200 characters \(got 500000/);
    expect(commands).toBe(0);
  }
});

test('a search of exactly the limit is run', async () => {
  const { answer, commands } = await counted(() =>
    hub.query<{ organisations: { totalCount: number } }>(SEARCH, { s: text(200) }),
  );
  expect(answer.errors).toBeUndefined();
  expect(answer.data?.organisations.totalCount).toBe(0);
  expect(commands).toBeGreaterThan(0);
});

test("a subgraph reached without the gateway refuses the same search itself (the kit's check)", async () => {
  const partners = hub.subgraphs.partners!;
  partners.commands.reset();
  const refused = await partners.query(SEARCH, { s: text(201) });
  expect(refused.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
    ['BAD_USER_INPUT', 'filter.search'],
  ]);
  expect(partners.commands.count()).toBe(0);
  const accepted = await partners.query(SEARCH, { s: text(200) });
  expect(accepted.errors).toBeUndefined();
});

test('300 aliases of __typename are refused as any other aliases; 15 are run', async () => {
  const typenames = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ');
  const { answer, commands } = await counted(() =>
    hub.query(`{ organisations(first: 1) { nodes { ${typenames(300)} } } }`),
  );
  expect(answer.status).toBe(400);
  expect(answer.errors?.map((e) => [e.extensions?.code, e.extensions?.limit])).toEqual([
    ['GRAPHQL_VALIDATION_FAILED', 'maxAliases'],
  ]);
  expect(answer.errors![0]!.message).toMatch(/^Aliases limit of 15 exceeded, found 300\./);
  expect(commands).toBe(0);

  const fifteen = await hub.query<{ organisations: { nodes: Record<string, string>[] } }>(
    `{ organisations(first: 1) { nodes { ${typenames(15)} } } }`,
  );
  expect(fifteen.errors).toBeUndefined();
  expect(fifteen.data?.organisations.nodes[0]?.t14).toBe('Organisation');
});

test('a mutation text over GATEWAY_MAX_INPUT_LENGTH is refused and changes nothing; one at it is stored', async () => {
  const CREATE = `mutation($input: CreateNewsItemInput!) { createNewsItem(input: $input) { id body } }`;
  const COUNT = `{ news(filter: { includeArchived: true, includeDrafts: true }) { totalCount } }`;
  const input = (body: string) => ({
    translations: [{ lang: 'en', title: 'Limits', body }],
    publishedOn: '2014-10-01',
    authorOrganisationId: 'gr-corallia',
    source: 'limits e2e',
  });
  const newsCount = async () =>
    (await hub.query<{ news: { totalCount: number } }>(COUNT, {}, ADMIN)).data!.news.totalCount;
  const before = await newsCount();

  const { answer, commands } = await counted(() => hub.query(CREATE, { input: input(text(100_001)) }, ADMIN));
  expect(answer.status).toBe(400);
  expect(answer.errors?.map((e) => e.extensions)).toEqual([
    expect.objectContaining({
      code: 'BAD_USER_INPUT',
      field: 'input.translations.0.body',
      argumentOf: 'Mutation.createNewsItem',
      maxLength: 100_000,
    }),
  ]);
  expect(commands).toBe(0);
  expect(await newsCount()).toBe(before);

  const stored = await hub.query<{ createNewsItem: { id: string; body: string } }>(
    CREATE,
    { input: input(text(100_000)) },
    ADMIN,
  );
  expect(stored.errors).toBeUndefined();
  expect(stored.data?.createNewsItem.body).toHaveLength(100_000);
  expect(await newsCount()).toBe(before + 1);
});
