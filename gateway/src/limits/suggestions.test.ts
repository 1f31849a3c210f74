import { buildSchema, getVariableValues, parse, validate, type OperationDefinitionNode } from 'graphql';
import { withoutSuggestions } from './suggestions';

const schema = buildSchema(`
  enum Dimension { AMOUNT PARTNER }
  input Filter { organisationId: ID }
  type Cell { amount: Int }
  type Query { absorption(by: Dimension!, filter: Filter): [Cell!]! }
`);

function validationMessages(source: string): string[] {
  return validate(schema, parse(source)).map((error) => error.message);
}

function coercionMessages(source: string, variables: Record<string, unknown>): string[] {
  const operation = parse(source).definitions[0] as OperationDefinitionNode;
  const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return (errors ?? []).map((error) => error.message);
}

describe('suggestions masked with introspection off', () => {
  const messages = [
    ...validationMessages('{ absorption(by: AMONT) { amount } }'),
    ...validationMessages('{ absorption(by: AMOUNT) { amont } }'),
    ...validationMessages('{ absorption(by: AMOUNT, filtr: {}) { amount } }'),
    ...validationMessages('{ absorption(by: AMOUNT, filter: { organisationID: "x" }) { amount } }'),
    ...validationMessages('query($by: Dimensio!) { absorption(by: $by) { amount } }'),
    ...coercionMessages('query($by: Dimension!) { absorption(by: $by) { amount } }', { by: 'AMONT' }),
    ...coercionMessages('query($f: Filter) { absorption(by: AMOUNT, filter: $f) { amount } }', {
      f: { organisationID: 'x' },
    }),
  ];

  it('are every kind graphql-js makes: enum values, fields, arguments, input fields, types', () => {
    const suggested = messages.filter((message) => message.includes('Did you mean'));
    expect(suggested.length).toBeGreaterThanOrEqual(7);
    expect(suggested).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Did you mean the enum value "AMOUNT"?'),
        expect.stringMatching(
          /^Variable "\$by" got invalid value "AMONT"; .*Did you mean the enum value "AMOUNT"\?$/,
        ),
        expect.stringContaining('Did you mean "amount"?'),
        expect.stringContaining('Did you mean "filter"?'),
        expect.stringContaining('Did you mean "organisationId"?'),
        expect.stringContaining('Did you mean "Dimension"?'),
      ]),
    );
  });

  it('leave the rest of each message as it was', () => {
    for (const message of messages) {
      const masked = withoutSuggestions(message);
      expect(masked).not.toMatch(
        /Did you mean|AMOUNT"\?|"amount"\?|"filter"\?|"organisationId"\?|"Dimension"\?/,
      );
      expect(message.startsWith(masked)).toBe(true);
    }
    expect(
      withoutSuggestions(
        'Variable "$by" got invalid value "AMONT"; Value "AMONT" does not exist in "Dimension" enum. Did you mean the enum value "AMOUNT"?',
      ),
    ).toBe('Variable "$by" got invalid value "AMONT"; Value "AMONT" does not exist in "Dimension" enum.');
    expect(
      withoutSuggestions(
        'Cannot query field "x" on type "Q". Did you mean to use an inline fragment on "A"?',
      ),
    ).toBe('Cannot query field "x" on type "Q".');
    expect(withoutSuggestions('Cannot query field "x" on type "Q". Did you mean "a", "b", or "c"?')).toBe(
      'Cannot query field "x" on type "Q".',
    );
    expect(withoutSuggestions('Syntax Error: Unexpected "?".')).toBe('Syntax Error: Unexpected "?".');
  });
});
