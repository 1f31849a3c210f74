/**
 * The seed's insert for its large collections (claims, budgets at scale 100 and beyond): what the
 * kit's `insertMissing` does, by stable ids, so running it twice changes nothing and users' edits
 * survive, at a cost that grows linearly with the rows.
 *
 * `insertMissing` asks for the rows' ids with `$in`, 1,000 at a time, then flushes through the unit
 * of work. FerretDB's SQLite backend pushes down no `$in`, so every one of those queries reads the
 * whole collection: seeding 43,000 claims took 206 s, nearly all of it in the database. Here the
 * collection's ids are read once (nothing at all when it is empty), and the missing rows go in with
 * native batch inserts of entities built by the ORM (so defaults and field names are the entity's),
 * without the identity map.
 */
import type { EntityManager, EntityName, RequiredEntityData } from '@mikro-orm/mongodb';
import type { HubRecord } from '@clusterpolisee/kit';

const BATCH = 1000;

export async function insertMissingInBatches<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  rows: RequiredEntityData<T>[],
): Promise<number> {
  const collection = em.getCollection(entity);
  const existing = new Set<string>();
  // estimatedDocumentCount reads the collection's metadata only, on every engine.
  if ((await collection.estimatedDocumentCount()) > 0) {
    for await (const { _id } of collection.find({}, { projection: { _id: 1 } })) existing.add(String(_id));
  }
  const missing = rows.filter((row) => !existing.has((row as unknown as { _id: string })._id));
  for (let i = 0; i < missing.length; i += BATCH) {
    const entities = missing.slice(i, i + BATCH).map((row) => em.create(entity, row, { persist: false }));
    await em.insertMany(entities);
    em.clear();
  }
  return missing.length;
}
