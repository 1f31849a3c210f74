/**
 * Helpers shared by this subgraph's integration tests (not loaded by the subgraph itself).
 */
import { answeredFields, type GraphQLResponse, type TestSubgraph } from '@clusterpolisee/kit/testing';

/** Every document of a collection, as stored: what "nothing was written" is checked against. */
export async function stored(subgraph: TestSubgraph, collection: string): Promise<unknown[]> {
  return subgraph.orm.em.getConnection().getDb().collection(collection).find({}).sort({ _id: 1 }).toArray();
}

type Result = GraphQLResponse<Record<string, unknown>>;

export function expectBadInput(result: Result, field: string): void {
  expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(result.errors?.[0]?.message.startsWith(`${field}: `)).toBe(true);
  expect(answeredFields(result)).toEqual([]);
}

export function expectCode(result: Result, code: string, extensions: Record<string, unknown> = {}): void {
  expect(result.errors?.[0]?.extensions).toMatchObject({ code, ...extensions });
}

/** `{ ...base, ...overrides }` where an override of `undefined` removes the key. */
export function withOverrides<T extends object>(
  base: T,
  overrides: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base, ...overrides };
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete merged[key];
  return merged;
}
