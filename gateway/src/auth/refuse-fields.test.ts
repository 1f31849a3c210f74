import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANONYMOUS, identityFor } from '@clusterpolisee/kit/auth';
import { buildSchema, parse, print } from 'graphql';
import { refuseFields, restoreRefused, TYPENAME_MARKER } from './refuse-fields';
import { authDirectivesFromSupergraph, type AuthDirectives } from './supergraph-directives';

describe('authDirectivesFromSupergraph', () => {
  it('reads the committed supergraph: fields and mutations by coordinate', () => {
    const directives = authDirectivesFromSupergraph(
      readFileSync(join(__dirname, '../../../schema/supergraph.graphql'), 'utf8'),
    );
    expect(directives.fields.get('Person.email')).toEqual({
      authenticated: false,
      scopes: [['read:personal']],
    });
    expect(directives.fields.get('Mutation.createNewsItem')).toEqual({
      authenticated: false,
      scopes: [['write:content']],
    });
    expect(directives.fields.has('Organisation.name')).toBe(false);
  });

  it('follows the names the links give, on fields and types, and ignores unlinked look-alikes', () => {
    const directives = authDirectivesFromSupergraph(`
      schema
        @link(url: "https://specs.apollo.dev/link/v1.0")
        @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
        @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
      { query: Query }
      type Query { a: Secret @authenticated, b: String @scopes(scopes: [["x", "y"], ["z"]]), c: String @policy(policies: [["p"]]) }
      type Secret @scopes(scopes: [["s"]]) { id: ID }
    `);
    expect(directives.fields.get('Query.a')).toEqual({ authenticated: true, scopes: [] });
    expect(directives.fields.get('Query.b')).toEqual({ authenticated: false, scopes: [['x', 'y'], ['z']] });
    expect(directives.fields.has('Query.c')).toBe(false);
    expect(directives.types.get('Secret')).toEqual({ authenticated: false, scopes: [['s']] });
  });
});

describe('refuseFields and restoreRefused', () => {
  const schema = buildSchema(`
    type Query { organisations: [Organisation!]!, search: [Result!]!, me: Person!, secretRoot: String }
    type Mutation { rename(name: String!): String }
    union Result = Organisation | Person
    interface Named { name: String }
    type Organisation implements Named { id: ID!, name: String, contactEmail: String, vat: String! }
    type Person implements Named { id: ID!, name: String, badge: Badge }
    type Badge { code: String }
  `);
  const directives: AuthDirectives = {
    fields: new Map([
      ['Organisation.contactEmail', { authenticated: false, scopes: [['read:personal']] }],
      ['Organisation.vat', { authenticated: true, scopes: [] }],
      ['Person.name', { authenticated: true, scopes: [] }],
      ['Mutation.rename', { authenticated: false, scopes: [['write:organisation']] }],
      ['Query.secretRoot', { authenticated: true, scopes: [] }],
    ]),
    types: new Map([['Badge', { authenticated: false, scopes: [['read:audit']] }]]),
  };
  const analyst = identityFor('a@hub', 'analyst');
  const coordinator = identityFor('c@hub', 'coordinator');
  const refuse = (query: string, identity = ANONYMOUS, variables?: Record<string, unknown>) =>
    refuseFields(schema, parse(query), undefined, directives, identity, variables);

  it('leaves an operation alone when nothing in it is refused', () => {
    expect(refuse('{ organisations { id name } }')).toBeUndefined();
    expect(refuse('{ organisations { contactEmail } }', coordinator)).toBeUndefined();
    expect(refuse('{ organisations { id @skip(if: true) contactEmail @skip(if: true) } }')).toBeUndefined();
  });

  it('removes refused fields behind aliases and fragments, and nulls them in the answer with an error each', () => {
    const refused = refuse(
      `{ organisations { id ...F } }
       fragment F on Organisation { mail: contactEmail ... on Organisation { contactEmail } }`,
    )!;
    expect(print(refused.document)).not.toContain('contactEmail');
    const { data, errors } = restoreRefused({ organisations: [{ id: '1' }, { id: '2' }] }, refused.refusals);
    expect(data).toEqual({
      organisations: [
        { id: '1', mail: null, contactEmail: null },
        { id: '2', mail: null, contactEmail: null },
      ],
    });
    expect(errors.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['organisations', 0, 'mail'], 'UNAUTHENTICATED'],
      [['organisations', 0, 'contactEmail'], 'UNAUTHENTICATED'],
      [['organisations', 1, 'mail'], 'UNAUTHENTICATED'],
      [['organisations', 1, 'contactEmail'], 'UNAUTHENTICATED'],
    ]);
  });

  it('answers FORBIDDEN, naming field and scope, to a signed-in caller lacking the scope', () => {
    const refused = refuse('{ organisations { contactEmail } }', analyst)!;
    expect(
      restoreRefused({ organisations: [{ [TYPENAME_MARKER]: 'Organisation' }] }, refused.refusals),
    ).toEqual({
      data: { organisations: [{ contactEmail: null }] },
      errors: [
        {
          message:
            'Organisation.contactEmail requires the scope read:personal, which the role analyst does not have',
          path: ['organisations', 0, 'contactEmail'],
          extensions: { code: 'FORBIDDEN', requiredScopes: [['read:personal']] },
        },
      ],
    });
  });

  it('tells the objects of a union apart, and protects an interface field if any implementation is', () => {
    const refused = refuse('{ search { ... on Organisation { id contactEmail } ... on Named { name } } }')!;
    const rewritten = print(refused.document);
    expect(rewritten).toContain(`${TYPENAME_MARKER}: __typename`);
    expect(rewritten).not.toMatch(/\bname\b/);
    const { data, errors } = restoreRefused(
      {
        search: [{ [TYPENAME_MARKER]: 'Organisation', id: '1' }, { [TYPENAME_MARKER]: 'Person' }],
      },
      refused.refusals,
    );
    expect(data).toEqual({
      search: [{ id: '1', contactEmail: null, name: null }, { name: null }],
    });
    expect(errors.map((error) => error.path)).toEqual([
      ['search', 0, 'contactEmail'],
      ['search', 0, 'name'],
      ['search', 1, 'name'],
    ]);
  });

  it('nulls the nearest nullable parent of a refused non-null field, as GraphQL does', () => {
    const refused = refuse('{ organisations { id vat } secretRoot }')!;
    const restored = restoreRefused({ organisations: [{ id: '1' }] }, refused.refusals);
    // [Organisation!]! and Query.organisations non-null: the whole answer becomes null.
    expect(restored.data).toBeNull();
    expect(restored.errors).toHaveLength(2);
  });

  it('refuses fields returning a protected type, and keeps selection sets valid when all of one goes', () => {
    const refused = refuse('{ me { badge { code } } }', analyst)!;
    expect(print(refused.document)).toContain(`me {\n    ${TYPENAME_MARKER}: __typename`);
    expect(restoreRefused({ me: { [TYPENAME_MARKER]: 'Person' } }, refused.refusals)).toMatchObject({
      data: { me: { badge: null } },
      errors: [{ message: expect.stringContaining('Person.badge requires the scope read:audit') }],
    });
  });

  it('takes a refused mutation out before it runs', () => {
    const refused = refuse('mutation { rename(name: "x") }', analyst)!;
    expect(print(refused.document)).not.toContain('rename');
    expect(restoreRefused({}, refused.refusals).data).toEqual({ rename: null });
  });

  it('honours @include and @skip given by variables', () => {
    const query = 'query ($with: Boolean!) { organisations { id contactEmail @include(if: $with) } }';
    expect(refuse(query, ANONYMOUS, { with: false })).toBeUndefined();
    expect(refuse(query, ANONYMOUS, { with: true })).toBeDefined();
  });
});
