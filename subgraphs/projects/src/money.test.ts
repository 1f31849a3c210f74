import { GraphQLError } from 'graphql';
import { exactRatio, formatCents, money, parseCents } from './money';

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

describe('exactRatio', () => {
  test.each([
    [85, 100, '0.8500'],
    [1, 3, '0.3333'],
    [2, 3, '0.6667'],
    [1, 20_000, '0.0001'], // exactly half a basis point rounds up
    [1, 20_001, '0.0000'],
    [0, 5, '0.0000'],
    [7, 5, '1.4000'],
    // Beyond Number's exact range once scaled: 99,999,999,999,999 cents × 10^4.
    [99_999_999_999_999, 99_999_999_999_999, '1.0000'],
    [99_999_999_999_998, 99_999_999_999_999, '1.0000'],
  ])('%d / %d is %s', (numerator, denominator, expected) => {
    expect(exactRatio(numerator, denominator)).toBe(expected);
  });

  test('is undefined for a zero denominator', () => {
    expect(exactRatio(5, 0)).toBeNull();
  });
});
