import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate } from 'graphql';
import { GATEWAY_DEFAULTS } from '../config';
import { withoutSecurityPurpose } from '../security-features';
import { exampleFromFile, loadExampleOperations, OPERATIONS_DIR } from './operations';

describe('the example operations in schema/operations', () => {
  const examples = loadExampleOperations(OPERATIONS_DIR, (message) => {
    throw new Error(message);
  });

  it('are there, each a named operation that says what question it answers', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const example of examples) {
      expect(example.description.length).toBeGreaterThan(10);
      expect(example.description).toMatch(/\?$/);
    }
    expect(new Set(examples.map((example) => example.name)).size).toBe(examples.length);
  });

  it('are valid against the composed supergraph, and run without variables', () => {
    // As the gateway loads it: the subgraphs, not the gateway, enforce the security directives.
    const sdl = withoutSecurityPurpose(readFileSync(GATEWAY_DEFAULTS.supergraphPath, 'utf8'));
    const schema = Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();
    for (const example of examples) {
      const document = parse(example.query);
      expect({
        file: example.file,
        errors: validate(schema, document).map((error) => error.message),
      }).toEqual({
        file: example.file,
        errors: [],
      });
      // The IDE and the end-to-end test send no variables: every one needs a default or must be optional.
      for (const definition of document.definitions) {
        if (definition.kind !== 'OperationDefinition') continue;
        for (const variable of definition.variableDefinitions ?? []) {
          const optional = variable.type.kind !== 'NonNullType' || variable.defaultValue !== undefined;
          expect({ file: example.file, variable: variable.variable.name.value, optional }).toMatchObject({
            optional: true,
          });
        }
      }
    }
  });
});

describe('exampleFromFile', () => {
  it('takes the name of the operation and the question from the comment lines on top', () => {
    expect(exampleFromFile('x.graphql', '# Who?\n#   And where?\nquery Who { a }')).toEqual({
      file: 'x.graphql',
      name: 'Who',
      description: 'Who? And where?',
      query: '# Who?\n#   And where?\nquery Who { a }\n',
    });
  });

  it('says what is wrong with a file that is not an example', () => {
    expect(() => exampleFromFile('a.graphql', '# Q?\nquery { a }')).toThrow(
      'a.graphql must hold exactly one named operation (it has 1).',
    );
    expect(() => exampleFromFile('b.graphql', '# Q?\nquery A { a } query B { b }')).toThrow(
      'b.graphql must hold exactly one named operation (it has 2).',
    );
    expect(() => exampleFromFile('c.graphql', 'query C { a }')).toThrow(
      'c.graphql must start with a # comment line saying what question C answers.',
    );
    expect(() => exampleFromFile('d.graphql', '# Q?\nquery D {')).toThrow(
      /^d\.graphql is not a valid GraphQL document: Syntax Error/,
    );
  });
});

describe('loadExampleOperations', () => {
  it('reads the .graphql files by name and leaves bad ones out with a warning', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ide-operations-'));
    try {
      writeFileSync(path.join(dir, 'b.graphql'), '# Second?\nquery B { b }\n');
      writeFileSync(path.join(dir, 'a.graphql'), '# First?\nquery A { a }\n');
      writeFileSync(path.join(dir, 'broken.graphql'), 'query {');
      writeFileSync(path.join(dir, 'notes.md'), '# not an operation');
      const warnings: string[] = [];
      const examples = loadExampleOperations(dir, (message) => warnings.push(message));
      expect(examples.map((example) => example.name)).toEqual(['A', 'B']);
      expect(warnings).toEqual([expect.stringMatching(/^\[gateway\] IDE example left out: broken\.graphql/)]);
      expect(loadExampleOperations(path.join(dir, 'missing'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
