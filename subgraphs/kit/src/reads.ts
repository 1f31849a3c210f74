import type { EntityManager, EntityMetadata, EntityName, FilterQuery } from '@mikro-orm/mongodb';

export interface ReadOptions<T> {
  orderBy?: Partial<Record<keyof T & string, 'asc' | 'desc'>>;
  limit?: number;
}

/** Per entity class: its collection and the stored properties a row is built from. */
interface RowShape {
  className: string;
  collection: string;
  prototype: object;
  /** [property, stored field] */
  properties: [string, string][];
}

const shapes = new WeakMap<EntityMetadata, RowShape>();

/** Documents per reply for reads without a limit; MongoDB caps a reply at 16 MB whatever this says. */
const LOADER_BATCH = 5000;

/**
 * Rows for reading only: what the kit's loaders and pages hand to resolvers, which only return
 * data. A managed entity costs MikroORM a hydration, a change-set snapshot and an identity-map
 * entry per row, and its `find` formats a log line of every query: a profile of the bench's W1
 * put that at a fifth of a subgraph's CPU, for rows nobody changes. These are instances of the
 * entity class (its getters such as `id` and methods such as `ownerOrganisationIds` work, and
 * codegen's mappers still describe them) built from the stored document, unmanaged: writes
 * load what they change through the EntityManager (`loadForUpdate`, `findOne` with `refresh`),
 * never from a loader. The fork is still the request's: its signal stops reads (deadline.ts).
 *
 * Filters are MongoDB's own and must name stored fields as stored (the hub's entities keep
 * property and field names the same and store only strings, numbers, booleans, dates and JSON).
 */
export async function readRows<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  filter: FilterQuery<T>,
  options: ReadOptions<T> = {},
): Promise<T[]> {
  const shape = shapeOf(em.getMetadata().get(entity as never));
  const sort = options.orderBy
    ? Object.entries(options.orderBy).map(([field, direction]) => [
        field,
        String(direction).toLowerCase() === 'desc' ? -1 : 1,
      ])
    : undefined;
  const cursor = em
    .getConnection()
    .getDb()
    .collection(shape.collection)
    .find(filter as object, {
      ...(sort ? { sort: sort as [string, 1 | -1][] } : {}),
      ...(options.limit ? { limit: options.limit } : {}),
      // A loader's `$in` over a page of parents may match more than the server's first batch
      // (101 documents): all in one reply rather than one round trip per further batch.
      batchSize: options.limit ?? LOADER_BATCH,
    });
  const documents = await cursor.toArray();
  const rows = documents.map((document) => rowOf<T>(shape, document));
  let reads = readsOf.get(em);
  if (!reads) readsOf.set(em, (reads = []));
  reads.push({ className: shape.className, rows: rows as { _id?: unknown; version?: unknown }[] });
  return rows;
}

/** The rows each request's fork has read, by query: one entry a query, looked through only by writes. */
const readsOf = new WeakMap<
  EntityManager,
  { className: string; rows: { _id?: unknown; version?: unknown }[] }[]
>();

/**
 * The version of a record as this request last read it through `readRows`, if it did: what the
 * identity map told writes about managed entities (writes.ts), for the rows that skip it.
 */
export function versionReadBy(em: EntityManager, className: string, id: string): number | undefined {
  const reads = readsOf.get(em) ?? [];
  for (let i = reads.length - 1; i >= 0; i--) {
    const read = reads[i]!;
    if (read.className !== className) continue;
    const row = read.rows.find((candidate) => candidate._id === id);
    if (row && typeof row.version === 'number') return row.version;
  }
  return undefined;
}

function shapeOf(meta: EntityMetadata): RowShape {
  let shape = shapes.get(meta);
  if (!shape) {
    shape = {
      className: meta.className,
      collection: meta.collection,
      prototype: meta.class.prototype as object,
      properties: meta.props
        .filter((prop) => prop.persist !== false && !prop.getter)
        .map((prop): [string, string] => [prop.name, prop.fieldNames?.[0] ?? prop.name]),
    };
    shapes.set(meta, shape);
  }
  return shape;
}

/**
 * Only the entity's stored properties, as MikroORM hydrates them; the rest of a document stays
 * behind. They are set on a plain object before it takes the entity's prototype: MikroORM puts
 * setters on the prototype that would make every row a half-managed entity, at a cost.
 */
function rowOf<T>(shape: RowShape, document: Record<string, unknown>): T {
  const row: Record<string, unknown> = {};
  for (const [property, field] of shape.properties) {
    const value = document[field];
    if (value !== undefined) row[property] = value;
  }
  return Object.setPrototypeOf(row, shape.prototype) as T;
}
