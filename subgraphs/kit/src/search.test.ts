import { GraphQLError } from 'graphql';
import { MAX_SEARCH_LENGTH, searchFilter } from './search';

describe('searchFilter', () => {
  it('refuses a search longer than MAX_SEARCH_LENGTH with BAD_USER_INPUT naming the field', () => {
    let thrown: unknown;
    try {
      searchFilter('a'.repeat(500_000), 'filter.search');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    expect((thrown as GraphQLError).message).toBe(
      `filter.search: must be at most ${MAX_SEARCH_LENGTH} characters (got 500000); the first words of a name find it`,
    );
    expect(() => searchFilter('b'.repeat(MAX_SEARCH_LENGTH + 1), 'search')).toThrow(
      /^search: must be at most/,
    );
  });

  it('accepts a search of exactly MAX_SEARCH_LENGTH', () => {
    expect(searchFilter('c'.repeat(MAX_SEARCH_LENGTH))).toEqual({
      searchKeys: new RegExp(`^${'c'.repeat(MAX_SEARCH_LENGTH)}`),
    });
    expect(searchFilter('  ')).toBeUndefined();
  });
});
