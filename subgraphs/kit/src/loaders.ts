import DataLoader from 'dataloader';
import { Utils, type EntityManager, type EntityName, type FilterQuery } from '@mikro-orm/mongodb';
import { assertNotStopped, signalOf } from './deadline';
import { badUserInput } from './errors';
import { readRows } from './reads';
import { scheduleBatchesOf } from './stop-resolvers';
import { observeLoaderBatch } from './telemetry/dataloader';

/**
 * Keys come from arguments and from `_entities` representations, which GraphQL types as any
 * JSON: an object such as `{"$ne": null}` must never reach a filter. Such a key fails alone.
 */
function stringKeys(keys: readonly string[]): {
  valid: string[];
  refuse: (key: unknown) => Error | undefined;
} {
  return {
    valid: keys.filter((key) => typeof key === 'string'),
    refuse: (key) =>
      typeof key === 'string' ? undefined : badUserInput('representations', 'keys must be strings'),
  };
}

/**
 * One `$in` query per tick for every entity looked up by a unique key, however many parents
 * ask: a list of 250 organisations costs the same one query as a list of 25. Like every kit
 * loader, it queries nothing for a request that has been stopped (see deadline.ts): the
 * batch fails with the stop's error instead.
 */
export function loaderByKey<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  keyField: keyof T & string = '_id' as keyof T & string,
): DataLoader<string, T | null> {
  const name = Utils.className(entity);
  return new DataLoader<string, T | null>(async (keys) => {
    assertNotStopped(em);
    observeLoaderBatch(em, name, keys.length);
    const { valid, refuse } = stringKeys(keys);
    const rows = valid.length
      ? await readRows(em, entity, { [keyField]: { $in: valid } } as FilterQuery<T>)
      : [];
    const byKey = new Map(rows.map((row) => [String(row[keyField]), row]));
    return keys.map((key) => refuse(key) ?? byKey.get(key) ?? null);
  }, batchingOf(em));
}

export interface LoaderGroupedByOptions<T> {
  /** Extra conditions, e.g. `{ archived: false }`. */
  where?: FilterQuery<T>;
  /** Sort inside each group. */
  orderBy?: Partial<Record<keyof T & string, 'asc' | 'desc'>>;
}

/**
 * One `$in` query per tick for the children of many parents: all budgets of a page of
 * organisations at once. When `field` is an array (members of a working group), a child
 * lands in the group of every key it holds.
 */
export function loaderGroupedBy<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  field: keyof T & string,
  options: LoaderGroupedByOptions<T> = {},
): DataLoader<string, T[]> {
  const name = `${Utils.className(entity)}.${field}`;
  return new DataLoader<string, T[]>(async (keys) => {
    assertNotStopped(em);
    observeLoaderBatch(em, name, keys.length);
    const { valid, refuse } = stringKeys(keys);
    const filter = { ...(options.where ?? {}), [field]: { $in: valid } } as FilterQuery<T>;
    const rows = valid.length ? await readRows(em, entity, filter, { orderBy: options.orderBy }) : [];
    const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
    for (const row of rows) {
      const value = row[field] as unknown;
      for (const key of Array.isArray(value) ? value : [value]) groups.get(String(key))?.push(row);
    }
    return keys.map((key) => refuse(key) ?? groups.get(key) ?? []);
  }, batchingOf(em));
}

/**
 * A loader for computed values rather than entities (an aggregation per project, say): every
 * key asked for in one tick goes to `load` in one call, and each key is computed once per
 * request. `load` returns one value per key, in the order of the keys. Given the request's
 * fork, it batches a paced request's keys as the entity loaders do (see `batchingOf`).
 */
export function batchLoader<K, V>(load: (keys: K[]) => Promise<V[]>, em?: EntityManager): DataLoader<K, V> {
  return new DataLoader<K, V>(
    (keys) => {
      if (em) observeLoaderBatch(em, 'batchLoader', keys.length);
      return load([...keys]);
    },
    em ? batchingOf(em) : {},
  );
}

/**
 * Batching that survives a request whose fields are paced (stop-resolvers.ts): its batch waits
 * for the fields still queued to start, so a level of the tree stays one query.
 */
export function batchingOf<K, V>(em: EntityManager): DataLoader.Options<K, V> {
  return { batchScheduleFn: scheduleBatchesOf(signalOf(em)) };
}
