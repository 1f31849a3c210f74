import { startTestHub, type TestHub } from '../support/hub';

// The write rules of the README's "Writing to the hub", asked of one update mutation of every
// subgraph through the gateway: the same shapes of input must get the same outcome and the same
// words everywhere, so that a front end learns them once. Each row names a record type's update,
// its required `source` and one optional field with a value it may hold.
let hub: TestHub;
const ADMIN = { role: 'admin' as const, sub: 'write-rules@e2e' };

beforeAll(async () => {
  hub = await startTestHub();
}, 120_000);
afterAll(() => hub?.close());

interface Row {
  subgraph: string;
  mutation: string;
  inputType: string;
  /** The record to change: its id and version, found through a list of the subgraph. */
  find: () => Promise<{ id: string; version: number }>;
  optional: {
    field: string;
    value: string;
    selection: string;
    read: (record: Record<string, unknown>) => unknown;
  };
}

async function first<T>(query: string, pick: (data: T) => { id: string; version: number }) {
  const result = await hub.query<T>(query, undefined, ADMIN);
  expect(result.errors).toBeUndefined();
  return pick(result.data as T);
}

const ROWS: Row[] = [
  {
    subgraph: 'partners',
    mutation: 'updateOrganisation',
    inputType: 'UpdateOrganisationInput',
    find: () =>
      first<{ organisations: { nodes: { id: string; version: number }[] } }>(
        `{ organisations(first: 1) { nodes { id version } } }`,
        (data) => data.organisations.nodes[0]!,
      ),
    optional: { field: 'acronym', value: 'E2E', selection: 'acronym', read: (r) => r.acronym },
  },
  {
    subgraph: 'knowledge',
    mutation: 'updateGoodPractice',
    inputType: 'UpdateGoodPracticeInput',
    find: () =>
      first<{ goodPractices: { nodes: { id: string; version: number }[] } }>(
        `{ goodPractices(first: 1) { nodes { id version } } }`,
        (data) => data.goodPractices.nodes[0]!,
      ),
    optional: {
      field: 'description',
      value: 'Set by the write-rules test',
      selection: 'description',
      read: (r) => r.description,
    },
  },
  {
    subgraph: 'projects',
    mutation: 'updateWorkPackage',
    inputType: 'UpdateWorkPackageInput',
    find: () =>
      first<{ workPackages: { id: string; version: number }[] }>(
        `{ workPackages(projectId: "clusterpolisee") { id version } }`,
        (data) => data.workPackages[0]!,
      ),
    optional: {
      field: 'leadOrganisationId',
      value: 'it-marche-region',
      selection: 'lead { id }',
      read: (r) => (r.lead as { id: string } | null)?.id ?? null,
    },
  },
  {
    subgraph: 'communications',
    mutation: 'updateNewsItem',
    inputType: 'UpdateNewsItemInput',
    find: () =>
      first<{ news: { nodes: { id: string; version: number }[] } }>(
        `{ news(first: 1) { nodes { id version } } }`,
        (data) => data.news.nodes[0]!,
      ),
    optional: {
      field: 'workingGroup',
      value: 'WG1',
      selection: 'workingGroup { code }',
      read: (r) => (r.workingGroup as { code: string } | null)?.code ?? null,
    },
  },
];

/** What a client sees of one answer, with the row's own names replaced so rows compare. */
interface Outcome {
  code: string | null;
  field?: unknown;
  message?: string;
  optional?: unknown;
  versionMoved?: boolean;
}

async function update(row: Row, input: unknown, versionOffset = 0): Promise<Outcome> {
  const { id, version } = await row.find();
  const result = await hub.query<Record<string, Record<string, unknown>>>(
    `mutation($id: ID!, $version: Int!, $input: ${row.inputType}!) {
      ${row.mutation}(id: $id, version: $version, input: $input) { version source ${row.optional.selection} }
    }`,
    { id, version: version + versionOffset, input },
    ADMIN,
  );
  const error = result.errors?.[0];
  if (error) {
    const extensions = error.extensions ?? {};
    return {
      code: String(extensions.code),
      // Only a refused input names a field; the rest (versions, types) name the record or value.
      ...(extensions.field !== undefined && { field: extensions.field }),
      message: error.message
        .replaceAll(id, '<id>')
        .replaceAll(row.optional.field, '<optional>')
        .replace(/version \d+/g, 'version <n>'),
    };
  }
  const record = result.data![row.mutation]!;
  return {
    code: null,
    optional: row.optional.read(record),
    versionMoved: record.version === version + 1,
  };
}

/** The shapes every update must treat alike, each with the one answer the README promises. */
const SHAPES: [string, (row: Row) => Promise<Outcome>, Outcome][] = [
  [
    'a field left out is unchanged',
    (row) => update(row, {}),
    { code: null, versionMoved: true, optional: 'set' },
  ],
  [
    'a required field sent as null is refused, naming it',
    (row) => update(row, { source: null }),
    {
      code: 'BAD_USER_INPUT',
      field: 'input.source',
      message: 'input.source: cannot be cleared; leave it out to keep it',
    },
  ],
  [
    'an optional field sent as null is cleared',
    (row) => update(row, { [row.optional.field]: null }),
    { code: null, versionMoved: true, optional: null },
  ],
  [
    'a value of the wrong type is refused before any subgraph',
    (row) => update(row, { source: 42 }),
    {
      code: 'BAD_USER_INPUT',
      message:
        'Variable "$input" got invalid value 42 at "input.source"; String cannot represent a non string value: 42',
    },
  ],
  [
    'a stale version is a CONFLICT before the input is looked at',
    (row) => update(row, { source: null }, -1),
    {
      code: 'CONFLICT',
      message:
        '<Type> "<id>" was changed by someone else: you edited version <n>, it is now at version <n>. Reload it and apply your change again.',
    },
  ],
];

describe.each(ROWS)('$mutation ($subgraph)', (row) => {
  beforeAll(async () => {
    // The optional field holds a value first, so that leaving it out and clearing it both show.
    const set = await update(row, { [row.optional.field]: row.optional.value });
    expect(set).toEqual({ code: null, optional: row.optional.value, versionMoved: true });
  });

  test.each(SHAPES)('%s', async (_shape, send, expected) => {
    const outcome = await send(row);
    if (outcome.optional === row.optional.value) outcome.optional = 'set';
    if (outcome.message) outcome.message = outcome.message.replace(/^\w+ "<id>"/, '<Type> "<id>"');
    expect(outcome).toEqual(expected);
  });
});
