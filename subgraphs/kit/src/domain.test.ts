import {
  CLUSTERPOLISEE_PERIOD,
  dateInProjectPeriod,
  optionalWorkingGroupCode,
  organisationIdReference,
  workingGroupCode,
} from './domain';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { message: string; extensions: Record<string, unknown> };
  }
  throw new Error('expected a refusal');
};

describe('the ClusterPoliSEE period', () => {
  test("is the project description's, which the projects subgraph's record also holds", () => {
    expect(CLUSTERPOLISEE_PERIOD).toEqual({ start: '2012-05-01', end: '2014-10-30' });
  });

  test.each(['2012-05-01', '2013-07-15', '2014-10-30'])('accepts %s', (day) => {
    expect(dateInProjectPeriod('input.date', day).toISOString()).toBe(`${day}T00:00:00.000Z`);
  });

  test.each(['2012-04-30', '2014-10-31', '2014-11-15', '2014-12-31'])('refuses %s', (day) => {
    const error = refusal(() => dateInProjectPeriod('input.date', day));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date' });
    expect(error.message).toBe(
      `input.date: must be inside the project period 2012-05-01 to 2014-10-30 (got ${day})`,
    );
  });

  test('checks only that a date is real for a project whose period the kit does not know', () => {
    expect(dateInProjectPeriod('input.date', '2020-02-29', 'small').toISOString()).toBe(
      '2020-02-29T00:00:00.000Z',
    );
    expect(refusal(() => dateInProjectPeriod('input.date', '2020-02-30', 'small')).message).toMatch(
      /^input\.date: must be a date written YYYY-MM-DD/,
    );
  });
});

describe('working-group codes', () => {
  test.each(['WG1', 'WG6', 'WG7', 'WG10', 'WG99', ' WG3 '])('accepts %j', (code) => {
    expect(workingGroupCode('input.code', code)).toBe(code.trim());
  });

  test.each(['WG07', 'WG00', 'WG100', 'wg3', 'WG', '3', 'WG 3'])('refuses %j', (code) => {
    expect(refusal(() => workingGroupCode('input.code', code)).message).toBe(
      'input.code: must be "WG" followed by a number from 0 to 99 without leading zero, such as "WG7"',
    );
  });

  test('an optional code may be left out, but not given malformed', () => {
    expect(optionalWorkingGroupCode('filter.workingGroup', null)).toBeUndefined();
    expect(optionalWorkingGroupCode('filter.workingGroup', ' ')).toBeUndefined();
    expect(() => optionalWorkingGroupCode('filter.workingGroup', 'WG07')).toThrow(/leading zero/);
  });
});

test('an organisation reference is checked for form only', () => {
  expect(organisationIdReference('input.organisationId', ' it-marche-region ')).toBe('it-marche-region');
  expect(() => organisationIdReference('input.organisationId', ' ')).toThrow(/must not be empty/);
  expect(() => organisationIdReference('input.organisationId', 'x'.repeat(101))).toThrow(/at most 100/);
});
