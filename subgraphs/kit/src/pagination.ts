import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/mongodb';
import { assertNotStopped } from './deadline';
import { badUserInput } from './errors';
import { readRows } from './reads';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

/** A page of a list: `totalCount` is a function so that it costs a query only when asked for. */
export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number>;
}

/**
 * A page as a class, so that a subgraph can name its SDL connection types after it
 * (`export class OrganisationConnection extends Connection<Organisation> {}` in its entities)
 * and codegen maps them: resolvers then return `findPage` results as they are, `totalCount`
 * staying a function. Never instantiated; types only.
 */
export abstract class Connection<T> implements Page<T> {
  declare nodes: T[];
  declare pageInfo: PageInfo;
  declare totalCount: () => Promise<number>;
}

export interface PageOptions<T> {
  where: FilterQuery<T>;
  /** The order; `_id` breaks ties so that every row has exactly one place. */
  sort: { field: keyof T & string; direction: 'asc' | 'desc' };
  first?: number | null;
  after?: string | null;
  /** Default 20. */
  defaultFirst?: number;
  /** Default 100: a page never loads more, whatever the client asks. */
  maxFirst?: number;
}

type CursorValue = string | number | boolean | { date: string };

/**
 * Keyset pagination: the cursor holds the last row's sort value and id, and the next page
 * starts strictly after them. Unlike skip/limit it costs the same on page 1000 as on page 1,
 * and rows inserted meanwhile neither repeat nor vanish.
 */
export async function findPage<T extends { _id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  options: PageOptions<T>,
): Promise<Page<T>> {
  const maxFirst = options.maxFirst ?? 100;
  const first = options.first ?? options.defaultFirst ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > maxFirst) {
    throw badUserInput('first', `must be from 1 to ${maxFirst} (got ${first})`);
  }
  const { field, direction } = options.sort;
  const where: FilterQuery<T>[] = [options.where];
  if (options.after) {
    const [value, id] = decodeCursor(options.after);
    const beyond = direction === 'asc' ? '$gt' : '$lt';
    where.push({
      $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: id } }],
    } as FilterQuery<T>);
  }
  const filter = (where.length === 1 ? where[0] : { $and: where }) as FilterQuery<T>;
  assertNotStopped(em);
  const rows = await readRows(em, entity, filter, {
    orderBy: { [field]: direction, _id: direction } as never,
    limit: first + 1,
  });
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor(last[field], last._id) : null,
    },
    // Asked for later, when the request may have been stopped meanwhile.
    totalCount: async () => {
      assertNotStopped(em);
      return em.count(entity, options.where);
    },
  };
}

export function encodeCursor(value: unknown, id: string): string {
  const stored: CursorValue = value instanceof Date ? { date: value.toISOString() } : (value as CursorValue);
  return Buffer.from(JSON.stringify([stored, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [unknown, string] {
  const refused = () =>
    badUserInput('after', 'is not a cursor this list gave out; pass a pageInfo.endCursor unchanged');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string') throw refused();
  const [value, id] = parsed as [unknown, string];
  // Only what encodeCursor writes: any other object was forged, and its operators ({"$gt": ""})
  // would reach the page filter.
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return [value, id];
  const date = isStoredDate(value) ? new Date(value.date) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw refused();
  return [date, id];
}

function isStoredDate(value: unknown): value is { date: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).length === 1 &&
    typeof (value as { date?: unknown }).date === 'string'
  );
}
