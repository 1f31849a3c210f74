// The usage check's classes on small supergraphs composed for the test: an output field that only
// became nullable is the warning NULLABLE_OUTPUT, used or not; every other breaking change keeps
// its class (an error when a trusted document uses it, a warning when nobody does).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { buildSchema, parse } from 'graphql';
import { onlyBecameNullable } from './nullable-output';
import { usageCheck } from './usage-check';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

/** The hub's shapes in miniature: the fields below are what each case changes. */
const BASE = {
  organisation: 'organisation(id: ID!): Organisation!',
  organisations: 'organisations(country: String): [Organisation!]!',
  tags: 'tags: [String!]',
  name: 'name: String!',
  filter: 'code: String',
};

function supergraph(fields: Partial<typeof BASE> = {}): string {
  const f = { ...BASE, ...fields };
  const outcome = composeServices([
    {
      name: 'partners',
      url: 'http://127.0.0.1:1/graphql',
      typeDefs: parse(`${LINK}
        interface Named { ${f.name} }
        type Organisation implements Named @key(fields: "id") { id: ID! ${f.name} ${f.tags} }
        input OrganisationFilter { ${f.filter} }
        type Query {
          ${f.organisation}
          ${f.organisations}
          search(filter: OrganisationFilter): [Organisation!]!
          unused: Organisation!
        }`),
    },
  ]);
  if (!outcome.supergraphSdl) throw new Error(outcome.errors?.map((e) => e.message).join('\n'));
  return outcome.supergraphSdl;
}

const OPERATIONS = `
query OneOrganisation { organisation(id: "o1") { id name tags } }
query ByCountry { organisations(country: "IT") { id } }
query Search { search(filter: { code: "x" }) { id } }
`;

let operationsDir: string;

beforeAll(() => {
  operationsDir = mkdtempSync(path.join(tmpdir(), 'usage-check-'));
  writeFileSync(path.join(operationsDir, 'portal.graphql'), OPERATIONS);
});

afterAll(() => rmSync(operationsDir, { recursive: true, force: true }));

const check = (after: Partial<typeof BASE>) => usageCheck(supergraph(), supergraph(after), { operationsDir });

describe('an output field that only became nullable', () => {
  it('used by an operation: no error, a NULLABLE_OUTPUT warning naming the field and the operation', async () => {
    const result = await check({ organisation: 'organisation(id: ID!): Organisation' });
    expect(result.errors).toEqual([]);
    expect(result.overridden).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'NULLABLE_OUTPUT',
        message: expect.stringMatching(
          /^Query\.organisation: .*'Organisation!' to 'Organisation'.*used by trusted document portal\.graphql, operation OneOrganisation\)$/,
        ),
      }),
    ]);
  });

  it('a list losing its outer `!` with its items kept non-null, used: the same warning', async () => {
    const result = await check({ organisations: 'organisations(country: String): [Organisation!]' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'NULLABLE_OUTPUT',
        message: expect.stringMatching(/^Query\.organisations: .*operation ByCountry\)$/),
      }),
    ]);
  });

  it('on an interface and its implementation: one warning each', async () => {
    const result = await check({ name: 'name: String' });
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.message.split(':')[0]]).sort()).toEqual([
      ['NULLABLE_OUTPUT', 'Named.name'],
      ['NULLABLE_OUTPUT', 'Organisation.name'],
    ]);
    expect(result.warnings.find((w) => w.message.startsWith('Organisation.name'))?.message).toMatch(
      /operation OneOrganisation\)$/,
    );
  });

  it('nobody uses: a NULLABLE_OUTPUT warning saying so', async () => {
    const before = supergraph();
    const after = before.replace('unused: Organisation!', 'unused: Organisation');
    const result = await usageCheck(before, after, { operationsDir });
    expect(result).toMatchObject({
      errors: [],
      warnings: [
        { code: 'NULLABLE_OUTPUT', message: expect.stringMatching(/^Query\.unused: .*no use recorded/) },
      ],
    });
  });
});

describe('every other breaking change stays breaking', () => {
  it("a list's items becoming nullable, used: BREAKING_CHANGE_IN_USE", async () => {
    const result = await check({ organisations: 'organisations(country: String): [Organisation]!' });
    expect(result.warnings).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BREAKING_CHANGE_IN_USE',
        message: expect.stringMatching(/^Query\.organisations: .*operation ByCountry$/),
      }),
    ]);
  });

  it('both `!` of a list dropped, used: BREAKING_CHANGE_IN_USE', async () => {
    const result = await check({ organisations: 'organisations(country: String): [Organisation]' });
    expect(result.errors.map((e) => e.code)).toEqual(['BREAKING_CHANGE_IN_USE']);
  });

  it('the items of an already nullable list, used: BREAKING_CHANGE_IN_USE', async () => {
    const result = await check({ tags: 'tags: [String]' });
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BREAKING_CHANGE_IN_USE',
        message: expect.stringMatching(/^Organisation\.tags: .*operation OneOrganisation$/),
      }),
    ]);
  });

  it('an argument becoming required, used: BREAKING_CHANGE_IN_USE', async () => {
    const result = await check({ organisations: 'organisations(country: String!): [Organisation!]!' });
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BREAKING_CHANGE_IN_USE',
        message: expect.stringMatching(/^Query\.organisations\.country: .*operation ByCountry$/),
      }),
    ]);
  });

  it('an input field becoming required, used: BREAKING_CHANGE_IN_USE', async () => {
    const result = await check({ filter: 'code: String!' });
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'BREAKING_CHANGE_IN_USE',
        message: expect.stringMatching(/^OrganisationFilter\.code: .*operation Search$/),
      }),
    ]);
  });

  it('a nullable output of another type, used: BREAKING_CHANGE_IN_USE', async () => {
    const result = await check({ name: 'name: Int' });
    const classes = [...result.errors, ...result.warnings].map((p) => [p.code, p.message.split(':')[0]]);
    // The operation selects Organisation.name, not the interface's field.
    expect(classes).toEqual([
      ['BREAKING_CHANGE_IN_USE', 'Organisation.name'],
      ['BREAKING_CHANGE_UNUSED', 'Named.name'],
    ]);
  });

  it('a field nobody uses removed: BREAKING_CHANGE_UNUSED', async () => {
    const before = supergraph();
    const result = await usageCheck(before, before.replace(/\n\s*unused: Organisation!/, ''), {
      operationsDir,
    });
    expect(result).toMatchObject({
      errors: [],
      warnings: [{ code: 'BREAKING_CHANGE_UNUSED', message: expect.stringMatching(/^Query\.unused: /) }],
    });
  });

  it('an override still lets a breaking change in use through as a warning, and records it', async () => {
    const before = supergraph();
    const result = await usageCheck(before, supergraph({ tags: 'tags: [String]' }), {
      operationsDir,
      overrideReason: 'portal 3 reads nulls',
    });
    expect(result.errors).toEqual([]);
    expect(result.overridden.map((e) => e.code)).toEqual(['BREAKING_CHANGE_IN_USE']);
  });
});

describe('onlyBecameNullable', () => {
  const schema = (type: string) =>
    buildSchema(`type T { f: ${type} } type X { id: ID } type Y { id: ID } type Query { t: T }`);
  it.each([
    ['X!', 'X', true],
    ['[X!]!', '[X!]', true],
    ['[[X!]!]!', '[[X!]!]', true],
    ['[X!]', '[X]', false],
    ['[X!]!', '[X]', false],
    ['[X!]!', '[X]!', false],
    ['X!', 'Y', false],
    ['X!', '[X]', false],
    ['[X!]!', 'X', false],
    ['X', 'X', false],
    ['X', 'X!', false],
  ])('%s to %s: %s', (was, is, expected) => {
    expect(onlyBecameNullable(schema(was), schema(is), 'T', 'f')).toBe(expected);
  });

  it('is false for input fields and for fields missing on either side', () => {
    const before = buildSchema('input I { f: String! } type Query { t(i: I): String! }');
    const after = buildSchema('input I { f: String } type Query { t(i: I): String }');
    expect(onlyBecameNullable(before, after, 'I', 'f')).toBe(false);
    expect(onlyBecameNullable(before, after, 'Query', 't')).toBe(true);
    expect(onlyBecameNullable(before, after, 'Query', 'gone')).toBe(false);
    expect(onlyBecameNullable(before, after, 'Nowhere', 't')).toBe(false);
  });
});
