import type { GraphQLResponse } from './graphql-client';

export interface RaceOutcome {
  /** Requests that were answered without errors. */
  winners: number;
  /** Each refused request: whether it was told the value is taken, and the field it named. */
  refusals: { taken: boolean; field: unknown }[];
}

/**
 * Of requests sent at the same moment to take one unique value (a code, a number): how many won
 * and how the others were refused. A loser that checks after the winner's insert is told the
 * value is used (BAD_USER_INPUT); one that checked before it is refused by the unique index
 * (CONFLICT). Both are right, so both count as `taken`, and both must name the field.
 */
export function raceOutcome(results: Pick<GraphQLResponse<unknown>, 'errors'>[]): RaceOutcome {
  return {
    winners: results.filter((result) => result.errors === undefined).length,
    refusals: results
      .flatMap((result) => result.errors ?? [])
      .map(({ extensions }) => ({
        taken: extensions?.code === 'BAD_USER_INPUT' || extensions?.code === 'CONFLICT',
        field: extensions?.field,
      })),
  };
}
