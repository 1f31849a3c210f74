import { GraphQLError } from 'graphql';
import { formatCents, money, parseCents } from './money';

describe('parseCents', () => {
  test.each([
    ['0', 0],
    ['0.00', 0],
    ['203500', 20_350_000],
    ['203500.5', 20_350_050],
    ['203500.05', 20_350_005],
    ['5186352.00', 518_635_200],
    ['0.29', 29],
    ['1.10', 110],
    ['007', 700],
    ['999999999999.99', 99_999_999_999_999],
  ])('reads "%s" as %d cents', (input, cents) => {
    expect(parseCents('input.amount', input)).toBe(cents);
  });

  test.each([
    '1e3',
    '-1',
    '+1',
    '1.234',
    '',
    ' 12',
    '12 ',
    '1,5',
    '1.',
    '.5',
    'NaN',
    'Infinity',
    '0x10',
    '1_000',
    '1000000000000',
  ])('rejects "%s" with BAD_USER_INPUT naming the field', (input) => {
    let error: unknown;
    try {
      parseCents('input.amount', input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.amount',
    });
    expect((error as GraphQLError).message).toMatch(/^input\.amount: /);
  });
});

describe('formatCents', () => {
  test.each([
    [0, '0.00'],
    [5, '0.05'],
    [29, '0.29'],
    [20_350_050, '203500.50'],
    [518_635_200, '5186352.00'],
    [99_999_999_999_999, '999999999999.99'],
    [-150, '-1.50'],
  ])('writes %d cents as "%s"', (cents, amount) => {
    expect(formatCents(cents)).toBe(amount);
  });

  test('round-trips every cent of a range exactly', () => {
    for (let cents = 0; cents < 100_000; cents += 7)
      expect(parseCents('amount', formatCents(cents))).toBe(cents);
  });

  test('refuses a stored amount that is not integer cents', () => {
    expect(() => formatCents(10.5)).toThrow(/integer cents/);
  });
});

test('money pairs the amount with its currency', () => {
  expect(money(20_350_000, 'EUR')).toEqual({ amount: '203500.00', currency: 'EUR' });
});
