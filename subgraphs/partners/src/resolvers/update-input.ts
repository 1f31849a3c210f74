import { badUserInput } from '@clusterpolisee/kit';

/**
 * Update inputs: a field left out (undefined) stays as it is; an explicit null clears an
 * optional field; a required field cannot be cleared.
 */
export function optionalChange<R>(
  value: string | null | undefined,
  check: (value: string) => R | undefined,
): R | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return check(value) ?? null;
}

export function requiredChange<V, R = V>(
  field: string,
  value: V | null | undefined,
  check?: (value: V) => R,
) {
  if (value === undefined) return undefined;
  if (value === null) throw badUserInput(field, 'cannot be cleared; leave it out to keep it');
  return check ? check(value) : (value as unknown as R);
}

/** The entries that are set, so that a left-out field is not written as undefined. */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
