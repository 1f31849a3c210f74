import type { GraphQLResponse } from './graphql-client';

/**
 * The root fields of an answer that came back with a value. Every root field is nullable, so a
 * refused or failed field is null beside the others instead of nulling the whole answer: "nothing
 * was answered" is an empty list here, whether `data` is null or each of its fields is.
 */
export function answeredFields(result: Pick<GraphQLResponse<unknown>, 'data'>): string[] {
  const data = (result.data ?? {}) as Record<string, unknown>;
  return Object.keys(data).filter((field) => data[field] != null);
}
