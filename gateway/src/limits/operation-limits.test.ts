import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { GATEWAY_DEFAULTS } from '../config';
import { loadExampleOperations } from '../ide';
import { withoutSecurityPurpose } from '../security-features';
import { operationLimits } from './operation-limits';
import { CostDirectiveRegistry } from './query-cost';

// Queries front ends and the test suites send: pages of 50-100 with nested, cross-subgraph fields.
const FRONT_END_QUERIES = [
  `{ organisations(first: 100) { nodes { id name budgets { total { amount } } claims { amount { amount } status }
     workingGroups { code } events { id host { id } } } } }`,
  `{ organisations(first: 50) { nodes { name country { code } partnerships { role } budgets { total { amount } }
     claims { status } workingGroups { code } goodPractices { title } events { id } news { id } } } }`,
  `{ partnerBudgets(projectId: "clusterpolisee", first: 50) { nodes { organisation { name country { code } }
     lines { workPackage { code } amount { amount } } } } }`,
  `{ claims(projectId: "clusterpolisee", first: 100) { nodes { organisation { name } period { number } workPackage { code } } } }`,
  `{ news(first: 50) { nodes { id languages title(lang: "bg") language(lang: "bg") english: title(lang: "en") } } }`,
  // Every partner of every country with its fields of the other subgraphs (test/e2e/hub.e2e.test.ts).
  `{ countries { code organisations { name country { code } budgets { total { amount } } workingGroups { code }
     goodPractices { title } news { title } events { id } partnerships { role } } } }`,
];

let schema: GraphQLSchema;
const costDirectives = new CostDirectiveRegistry();
const { validationRules, parseOptions } = operationLimits({
  limits: GATEWAY_DEFAULTS.limits,
  blockFieldSuggestions: false,
  costDirectives: costDirectives.for,
});

function problems(text: string): string[] {
  try {
    return validate(schema, parse(text, parseOptions), [...specifiedRules, ...validationRules]).map(
      (error) => error.message,
    );
  } catch (error) {
    return [(error as Error).message];
  }
}

beforeAll(() => {
  const sdl = withoutSecurityPurpose(readFileSync(GATEWAY_DEFAULTS.supergraphPath, 'utf8'));
  schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
  costDirectives.update(sdl, schema);
});

describe('the default operation limits', () => {
  it('let every example operation through', () => {
    const examples = loadExampleOperations();
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples)
      expect({ file: example.file, problems: problems(example.query) }).toEqual({
        file: example.file,
        problems: [],
      });
  });

  it('let ordinary front-end queries through', () => {
    for (const query of FRONT_END_QUERIES) expect(problems(query)).toEqual([]);
  });

  it("let the IDE's introspection query through", () => {
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    expect(problems(introspection)).toEqual([]);
  });

  it('stop abusive operations, naming the limit', () => {
    const deep = `{ organisations { nodes { ${'budgets { organisation { '.repeat(5)}id${' } }'.repeat(5)} } } }`;
    expect(problems(deep)).toEqual([
      expect.stringMatching(/^Query depth limit of 10 exceeded, found 13\. Split/),
      // Each level's list multiplies too.
      expect.stringMatching(/^Query cost \d+ exceeds the limit of 100000/),
    ]);
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: organisations { totalCount }`).join(' ');
    expect(problems(`{ ${aliases} }`)).toEqual([
      expect.stringMatching(/^Aliases limit of 15 exceeded, found 16\./),
    ]);
    // Aliases of `__typename` count like any other (graphql-armor exempts them unless told not to).
    const typenames = (n: number) => Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ');
    expect(problems(`{ ${typenames(300)} }`)).toEqual([
      expect.stringMatching(/^Aliases limit of 15 exceeded, found 300\./),
    ]);
    expect(problems(`{ countries { ${typenames(16)} } }`)).toEqual([
      expect.stringMatching(/^Aliases limit of 15 exceeded, found 16\./),
    ]);
    expect(problems(`{ countries { ${typenames(15)} } }`)).toEqual([]);
    expect(
      problems(`{ ...F } fragment F on Query { ${typenames(8)} x: countries { ${typenames(8)} } }`),
    ).toEqual([expect.stringMatching(/^Aliases limit of 15 exceeded, found 17\./)]);
    // Every partner with every partnership's organisation and its budget lines: far more than a screen shows.
    const costly = `{ organisations(first: 100) { nodes { name partnerships { role organisation { name acronym
      budgets { source total { amount currency } lines { workPackage { code title } amount { amount currency } } } } } } } }`;
    expect(problems(costly)).toEqual([
      expect.stringMatching(/^Query cost 322101 exceeds the limit of 100000 \(GATEWAY_MAX_COST\)\. Split/),
    ]);
    // Issue 17: unpaged lists in a cycle, which armor's estimate did not multiply.
    const cycle = `{ a: workingGroups { members { workingGroups { members { workingGroups { members {
      workingGroups { members { id } } } } } } } } }`;
    expect(problems(cycle)).toEqual([
      expect.stringMatching(/^Query cost \d{10,} exceeds the limit of 100000/),
    ]);
  });
});
