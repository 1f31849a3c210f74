import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, type ExecutionResult } from 'graphql';
import gql from 'graphql-tag';
import { enforceAuthorization } from './authorization';
import { isOwnRecord } from './ownership';
import { ANONYMOUS, identityFor, type Identity } from './roles';

/** A record owned by one organisation, as entities declare it. */
class Claim {
  constructor(
    readonly id: string,
    readonly organisationId: string,
  ) {}
  ownerOrganisationIds() {
    return [this.organisationId];
  }
}

const claims = [new Claim('c1', 'org-a'), new Claim('c2', 'org-b')];
let calls: string[] = [];

const schema = buildSubgraphSchema({
  typeDefs: gql`
    extend schema
      @link(
        url: "https://specs.apollo.dev/federation/v2.7"
        import: ["@key", "@authenticated", "@requiresScopes", "@policy"]
      )
    type Query {
      public: String
      signedIn: String @authenticated
      claims: [Claim!]!
      claim(id: ID!): Claim
      person: Person
    }
    type Mutation {
      approve(id: ID!): Claim @requiresScopes(scopes: [["validate:claims"], ["admin:x", "read:claims"]])
    }
    type Person {
      name: String
      email: String @requiresScopes(scopes: [["read:personal"]])
      note: String @policy(policies: [["own-organisation"]])
    }
    type Claim
      @key(fields: "id")
      @requiresScopes(scopes: [["read:claims"]])
      @policy(policies: [["own-organisation"]]) {
      id: ID!
      organisationId: String!
    }
  `,
  resolvers: {
    Query: {
      public: () => 'open',
      signedIn: () => 'hello',
      claims: () => claims,
      claim: (_: unknown, { id }: { id: string }) => claims.find((c) => c.id === id) ?? null,
      person: () =>
        Object.assign(new Claim('p', 'org-a'), { name: 'Ana', email: 'ana@example.org', note: 'n' }),
    },
    Mutation: {
      approve: (_: unknown, { id }: { id: string }) => {
        calls.push(`approve ${id}`);
        return claims.find((c) => c.id === id);
      },
    },
    Claim: { __resolveReference: ({ id }: { id: string }) => claims.find((c) => c.id === id) },
  } as never,
});
enforceAuthorization(schema, {
  'own-organisation': (identity, record) => isOwnRecord(identity, record as object),
});

async function run(identity: Identity, query: string): Promise<ExecutionResult> {
  return (await execute({ schema, document: parse(query), contextValue: { identity } })) as ExecutionResult;
}
const codes = (result: ExecutionResult) => result.errors?.map((e) => e.extensions.code) ?? [];

const memberOfA = identityFor('ana', 'partner-member', 'org-a');
const controller = identityFor('carl', 'controller');
const analyst = identityFor('ann', 'analyst');

beforeEach(() => {
  calls = [];
});

test('fields without directives are open to anonymous callers and stay unwrapped', async () => {
  expect((await run(ANONYMOUS, '{ public }')).data).toEqual({ public: 'open' });
  expect(schema.getQueryType()!.getFields().public!.resolve!.name).toBe('public');
});

test('@authenticated: anonymous gets UNAUTHENTICATED, any signed-in role passes', async () => {
  const refused = await run(ANONYMOUS, '{ signedIn }');
  expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
  expect(refused.errors![0]!.message).toContain('Query.signedIn is for signed-in partners only');
  expect((await run(analyst, '{ signedIn }')).data).toEqual({ signedIn: 'hello' });
});

test('@requiresScopes on a field: FORBIDDEN names the scope and the role', async () => {
  const refused = await run(analyst, '{ person { name email } }');
  expect(refused.data).toEqual({ person: { name: 'Ana', email: null } });
  expect(codes(refused)).toEqual(['FORBIDDEN']);
  expect(refused.errors![0]!.message).toBe(
    'Person.email requires the scope read:personal, which the role analyst does not have',
  );
  expect((await run(memberOfA, '{ person { email } }')).data).toEqual({
    person: { email: 'ana@example.org' },
  });
});

test('@requiresScopes alternatives: any one AND-group suffices, and a refused mutation never runs', async () => {
  expect(codes(await run(memberOfA, 'mutation { approve(id: "c1") { id } }'))).toEqual(['FORBIDDEN']);
  expect(codes(await run(ANONYMOUS, 'mutation { approve(id: "c1") { id } }'))).toEqual(['UNAUTHENTICATED']);
  expect(calls).toEqual([]);
  expect((await run(controller, 'mutation { approve(id: "c1") { id } }')).data).toEqual({
    approve: { id: 'c1' },
  });
  expect(calls).toEqual(['approve c1']);
});

test('a type-level @policy drops refused records from lists and refuses a single one', async () => {
  expect((await run(memberOfA, '{ claims { id } }')).data).toEqual({ claims: [{ id: 'c1' }] });
  expect((await run(controller, '{ claims { id } }')).data).toEqual({ claims: [{ id: 'c1' }, { id: 'c2' }] });
  const single = await run(memberOfA, '{ claim(id: "c2") { id } }');
  expect(single.data).toEqual({ claim: null });
  expect(codes(single)).toEqual(['FORBIDDEN']);
});

test('a type-level @requiresScopes guards every field returning the type, before it resolves', async () => {
  expect(codes(await run(ANONYMOUS, '{ claims { id } }'))).toEqual(['UNAUTHENTICATED']);
  expect(codes(await run(identityFor('x', 'coordinator'), '{ claim(id: "c2") { id } }'))).toEqual([]);
});

test('a field-level @policy is given the parent record', async () => {
  expect((await run(memberOfA, '{ person { note } }')).data).toEqual({ person: { note: 'n' } });
  const other = await run(identityFor('bo', 'partner-member', 'org-b'), '{ person { note } }');
  expect(codes(other)).toEqual(['FORBIDDEN']);
});

test('_entities references to a protected type are checked too', async () => {
  const query = '{ _entities(representations: [{ __typename: "Claim", id: "c2" }]) { ... on Claim { id } } }';
  expect(codes(await run(ANONYMOUS, query))).toEqual(['UNAUTHENTICATED']);
  expect(codes(await run(memberOfA, query))).toEqual(['FORBIDDEN']);
  expect((await run(controller, query)).data).toEqual({ _entities: [{ id: 'c2' }] });
});

test('a @policy the subgraph does not define fails at start, naming it', () => {
  const broken = buildSubgraphSchema({
    typeDefs: gql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@policy"])
      type Query {
        x: String @policy(policies: [["nobody-wrote-this"]])
      }
    `,
  });
  expect(() => enforceAuthorization(broken, {})).toThrow(/nobody-wrote-this/);
});
