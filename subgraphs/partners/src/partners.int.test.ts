import { startTestSubgraph, type TestSubgraph } from '@clusterpolisee/kit/testing';
import { partners } from '.';
import { Country, Organisation } from './entities';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(partners);
  const em = subgraph.orm.em.fork();
  em.create(Country, {
    _id: 'IT',
    name: 'Italy',
    programmeStatus: 'EU_MEMBER',
    source: 'project description',
  });
  em.create(Country, { _id: 'HR', name: 'Croatia', programmeStatus: 'IPA', source: 'project description' });
  em.create(Organisation, {
    _id: 'it-marche-region',
    name: 'Marche Region',
    countryCode: 'IT',
    partnerRole: 'LEAD',
    source: 'project description',
  });
  await em.flush();
});
afterAll(() => subgraph.close());

async function organisationCount(): Promise<number> {
  return subgraph.orm.em.fork().count(Organisation, {});
}

test('lists organisations of a country with their country', async () => {
  const result = await subgraph.query(
    `{ organisations(country: "IT") { id name partnerRole country { code name programmeStatus } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    organisations: [
      {
        id: 'it-marche-region',
        name: 'Marche Region',
        partnerRole: 'LEAD',
        country: { code: 'IT', name: 'Italy', programmeStatus: 'EU_MEMBER' },
      },
    ],
  });
});

test('resolves organisation references for the gateway in one database command', async () => {
  subgraph.commands.reset();
  const result = await subgraph.query(
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id name } } }`,
    {
      representations: [
        { __typename: 'Organisation', id: 'it-marche-region' },
        { __typename: 'Organisation', id: 'nope' },
      ],
    },
  );
  expect(result.data).toEqual({ _entities: [{ id: 'it-marche-region', name: 'Marche Region' }, null] });
  expect(subgraph.commands.names()).toEqual(['find organisations']);
});

test('creates an organisation with a readable id', async () => {
  const result = await subgraph.query<{ createOrganisation: { id: string; country: { code: string } } }>(
    `mutation { createOrganisation(input: { name: " Istrian Development Agency ", acronym: "IDA", countryCode: "HR", source: "project description" }) { id name country { code } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?.createOrganisation).toEqual({
    id: 'hr-istrian-development-agency',
    name: 'Istrian Development Agency',
    country: { code: 'HR' },
  });
  const stored = await subgraph.orm.em.fork().findOne(Organisation, { _id: 'hr-istrian-development-agency' });
  expect(stored?.acronym).toBe('IDA');
});

test.each([
  ['an empty name', '{ name: "  ", countryCode: "IT", source: "s" }', 'input.name'],
  ['a malformed country code', '{ name: "X", countryCode: "ita", source: "s" }', 'input.countryCode'],
  ['an unknown country', '{ name: "X", countryCode: "ZZ", source: "s" }', 'input.countryCode'],
  [
    'an overlong acronym',
    `{ name: "X", countryCode: "IT", acronym: "${'A'.repeat(31)}", source: "s" }`,
    'input.acronym',
  ],
  ['an empty source', '{ name: "X", countryCode: "IT", source: "" }', 'input.source'],
])('rejects %s with BAD_USER_INPUT naming the field and writes nothing', async (_case, input, field) => {
  const before = await organisationCount();
  const result = await subgraph.query(`mutation { createOrganisation(input: ${input}) { id } }`);
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
  expect(await organisationCount()).toBe(before);
});

test('refuses a duplicate organisation with CONFLICT and changes nothing', async () => {
  const before = await organisationCount();
  const result = await subgraph.query(
    `mutation { createOrganisation(input: { name: "Marche Region", countryCode: "IT", source: "s" }) { id } }`,
  );
  expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(await organisationCount()).toBe(before);
  const stored = await subgraph.orm.em.fork().findOneOrFail(Organisation, { _id: 'it-marche-region' });
  expect(stored.source).toBe('project description');
});
