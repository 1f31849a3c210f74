import { badUserInput } from './errors';

/**
 * The one answer to a required field sent as `null`. Every subgraph gives it, so that a form
 * learns once that `null` is not "no change".
 */
export const CANNOT_CLEAR = 'cannot be cleared; leave it out to keep it';

type Check<V, R> = (value: V, field: string) => R;

/**
 * Reads an update input by the hub's rules, naming each field `<path>.<key>` in its errors:
 * - a field left out is unchanged (`undefined`);
 * - `null` on a required field is BAD_USER_INPUT, CANNOT_CLEAR;
 * - `null` on an optional field clears it (`null`, or `[]` for a list: pass `cleared`), as does
 *   a check that finds nothing in the value (blank text).
 * Checks run only on values that were sent, so they may be async; their promise comes back.
 */
export function updateInput<I extends object>(input: I, path = 'input') {
  const field = (key: string) => `${path}.${key}`;
  function required<K extends keyof I & string>(key: K): NonNullable<I[K]> | undefined;
  function required<K extends keyof I & string, R>(key: K, check: Check<NonNullable<I[K]>, R>): R | undefined;
  function required<K extends keyof I & string, R>(key: K, check?: Check<NonNullable<I[K]>, R>) {
    const value = input[key];
    if (value === undefined) return undefined;
    if (value === null) throw badUserInput(field(key), CANNOT_CLEAR);
    return check ? check(value as NonNullable<I[K]>, field(key)) : value;
  }
  function optional<K extends keyof I & string>(key: K): NonNullable<I[K]> | null | undefined;
  function optional<K extends keyof I & string, R, C = null>(
    key: K,
    check: Check<NonNullable<I[K]>, R | null | undefined>,
    cleared?: C,
  ): Exclude<R, undefined> | C | undefined;
  function optional<K extends keyof I & string, R, C>(
    key: K,
    check?: Check<NonNullable<I[K]>, R | null | undefined>,
    cleared: C | null = null,
  ) {
    const value = input[key];
    if (value === undefined) return undefined;
    if (value === null) return cleared;
    const checked = check ? check(value as NonNullable<I[K]>, field(key)) : value;
    return checked ?? cleared;
  }
  /** Whether the input names the field at all, `null` included. */
  const sent = (key: keyof I & string) => input[key] !== undefined;
  return { required, optional, sent };
}

/** The changes that are set, so that a field left out is not written as undefined. */
export function changedOnly<T extends object>(changes: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
