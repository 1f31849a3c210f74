import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate, type GraphQLSchema } from 'graphql';
import {
  CostDirectiveRegistry,
  costDirectivesFromSupergraph,
  estimateCost,
  queryCostRule,
  type CostDirectives,
} from './query-cost';

// A small subgraph with the shapes the hub has: unpaged lists that refer to each other (a cycle),
// a paged connection, an audit-like connection with its own default page, a list that declares
// nothing and a field with its own weight.
const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize", "@cost"])
type Group @key(fields: "code") {
  code: ID!
  members: [Member!]! @listSize(assumedSize: 5)
  tags: [String!]! @listSize(assumedSize: 3)
  report: Report @cost(weight: 7)
}
type Member @key(fields: "id") {
  id: ID!
  groups: [Group!] @listSize(assumedSize: 2)
  friends: [Member!]
}
type Report {
  text: String
}
type MemberPage {
  nodes: [Member!]!
  total: Int!
}
type Query {
  groups: [Group!]! @listSize(assumedSize: 4)
  members(first: Int, after: String): MemberPage!
    @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], requireOneSlicingArgument: false)
  log(first: Int): MemberPage!
    @listSize(slicingArguments: ["first"], sizedFields: ["nodes"], assumedSize: 50, requireOneSlicingArgument: false)
}
`;

let supergraphSdl: string;
let schema: GraphQLSchema;
let directives: CostDirectives;
const OPTIONS = { defaultListSize: 7 };

beforeAll(() => {
  const outcome = composeServices([
    { name: 'groups', url: 'http://127.0.0.1:9/graphql', typeDefs: parse(SDL) },
  ]);
  if (outcome.errors) throw new Error(outcome.errors.map((error) => error.message).join('\n'));
  supergraphSdl = outcome.supergraphSdl;
  schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  directives = costDirectivesFromSupergraph(supergraphSdl);
});

function cost(query: string, options: Parameters<typeof estimateCost>[3] = OPTIONS): number {
  const costs = [...estimateCost(schema, parse(query), directives, options).values()];
  expect(costs).toHaveLength(1);
  return costs[0]!;
}

describe('the cost directives of a composed supergraph', () => {
  it('are kept by composition and read back', () => {
    expect(supergraphSdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/cost\/v0\.1"/);
    expect(directives.listSizes.get('Group.members')).toEqual({ assumedSize: 5 });
    expect(directives.listSizes.get('Query.members')).toEqual({
      slicingArguments: ['first'],
      sizedFields: ['nodes'],
    });
    expect(directives.listSizes.get('Query.log')).toEqual({
      assumedSize: 50,
      slicingArguments: ['first'],
      sizedFields: ['nodes'],
    });
    expect(directives.listSizes.has('Member.friends')).toBe(false);
    expect(directives.weights.get('Group.report')).toBe(7);
  });

  it('are read under the names the link gives them', () => {
    const renamed = `schema @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@listSize", as: "@size" }]) { query: Query }
      type Query { a: [Int] @size(assumedSize: 3) b: [Int] @cost__listSize(assumedSize: 4) c: [Int] @listSize(assumedSize: 5) }`;
    const read = costDirectivesFromSupergraph(renamed);
    expect(read.listSizes.get('Query.a')).toEqual({ assumedSize: 3 });
    expect(read.listSizes.get('Query.b')).toEqual({ assumedSize: 4 });
    // Not the cost spec's: some other directive of that name.
    expect(read.listSizes.has('Query.c')).toBe(false);
  });
});

describe('the cost estimate', () => {
  it('counts each object once for every item of the lists around it', () => {
    expect(cost('{ groups { code } }')).toBe(4);
    expect(cost('{ groups { members { id } } }')).toBe(4 * (1 + 5));
    // Nested lists multiply: 4 groups x 5 members x 2 groups x 5 members.
    expect(cost('{ groups { members { groups { members { id } } } } }')).toBe(
      4 * (1 + 5 * (1 + 2 * (1 + 5))),
    );
  });

  it('grows with each turn of a cycle of unpaged lists', () => {
    const cycle = (turns: number) =>
      `{ groups { ${'members { groups { '.repeat(turns)}code${' } }'.repeat(turns)} } }`;
    const costs = [1, 2, 3, 4].map((turns) => cost(cycle(turns)));
    for (let i = 1; i < costs.length; i++) expect(costs[i]! / costs[i - 1]!).toBeGreaterThan(9);
  });

  it('leaves scalars free and applies @cost weights', () => {
    expect(cost('{ groups { code tags } }')).toBe(4);
    expect(cost('{ groups { report { text } } }')).toBe(4 * (1 + 7));
  });

  it('sizes a page by its `first`: literal as given, variable at the largest page, absent at the default', () => {
    expect(cost('{ members(first: 30) { total nodes { id } } }')).toBe(1 + 30);
    expect(cost('query ($n: Int) { members(first: $n) { nodes { id } } }')).toBe(1 + 100);
    expect(
      cost('query ($n: Int) { members(first: $n) { nodes { id } } }', { ...OPTIONS, maxPageSize: 40 }),
    ).toBe(1 + 40);
    expect(cost('{ members { nodes { id } } }')).toBe(1 + 20);
    expect(cost('{ log { nodes { id } } }')).toBe(1 + 50);
    // Big pages nested: 100 members x 2 groups x 5 members x 7 friends.
    expect(cost('{ members(first: 100) { nodes { groups { members { friends { id } } } } } }')).toBe(
      1 + 100 * (1 + 2 * (1 + 5 * (1 + 7))),
    );
  });

  it('gives a list that declares no size the default list size', () => {
    expect(cost('{ groups { members { friends { id } } } }')).toBe(4 * (1 + 5 * (1 + 7)));
    expect(cost('{ groups { members { friends { id } } } }', { defaultListSize: 1 })).toBe(4 * (1 + 5 * 2));
  });

  it('counts aliases separately and flattens fragments', () => {
    expect(cost('{ a: groups { code } b: groups { code } }')).toBe(8);
    expect(cost('{ groups { ...G } } fragment G on Group { members { id } }')).toBe(24);
    expect(cost('{ groups { ... on Group { members { id } } } }')).toBe(24);
    expect(cost('{ groups { ...G ...G } } fragment G on Group { a: members { id } }')).toBe(4 * (1 + 10));
  });

  it('leaves introspection out', () => {
    expect(cost('{ __schema { types { name fields { name type { name } } } } }')).toBe(0);
    expect(cost('{ __typename groups { __typename } }')).toBe(4);
  });

  it('walks a fragment spread many times over only once', () => {
    const fragments = Array.from(
      { length: 40 },
      (_, i) =>
        `fragment F${i} on Member { a: groups { members { ...F${i + 1} } } b: groups { members { ...F${i + 1} } } }`,
    ).join('\n');
    const started = Date.now();
    const estimate = cost(`{ members { nodes { ...F0 } } } ${fragments} fragment F40 on Member { id }`);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(estimate).toBeGreaterThan(1e40);
  });
});

describe('the cost rule', () => {
  const rule = (maxCost: number) =>
    queryCostRule({ maxCost, defaultListSize: 7, directives: () => directives });

  it('refuses an operation over the limit, naming its cost and the limit', () => {
    const errors = validate(schema, parse('{ groups { members { groups { members { id } } } } }'), [
      rule(100),
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(
      'Query cost 264 exceeds the limit of 100 (GATEWAY_MAX_COST). Split the operation into smaller ones, ' +
        'or ask for smaller pages (`first`).',
    );
    expect(errors[0]!.extensions).toEqual({ limit: 'maxCost', cost: 264, maxCost: 100 });
  });

  it('names the operation and lets one at the limit through', () => {
    expect(validate(schema, parse('query Fine { groups { members { id } } }'), [rule(24)])).toEqual([]);
    const [error] = validate(schema, parse('query Big { groups { members { id } } }'), [rule(23)]);
    expect(error?.message).toMatch(/^Query cost of Big 24 exceeds the limit of 23 /);
  });

  it("leaves a malformed document to graphql-js's own rules", () => {
    expect(validate(schema, parse('{ groups { ...Missing } }'), [rule(1)])).toEqual([]);
  });
});

describe('the registry of cost directives', () => {
  it('keeps each schema its own directives, and the last good ones when a supergraph cannot be read', () => {
    const registry = new CostDirectiveRegistry();
    expect(registry.for(schema).listSizes.size).toBe(0);
    registry.update(supergraphSdl, schema);
    expect(registry.for(schema).listSizes.get('Group.members')).toEqual({ assumedSize: 5 });
    registry.update('this is not GraphQL {');
    const other = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
    expect(registry.for(other).listSizes.get('Group.members')).toEqual({ assumedSize: 5 });
  });
});
