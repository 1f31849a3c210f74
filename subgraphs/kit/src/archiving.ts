import type { EntityData, EntityManager, EntityName } from '@mikro-orm/mongodb';
import type { HubRecord } from './record';
import { updateVersioned } from './writes';

/**
 * Archiving hides a record from lists and is otherwise an update like any other: versioned,
 * checked, audited. Nothing is ever deleted, so unarchiving is the same write the other way.
 */
export function setArchived<T extends HubRecord>(
  em: EntityManager,
  entity: EntityName<T>,
  typename: string,
  id: string,
  version: number,
  archived: boolean,
): Promise<T> {
  // Every HubRecord has `archived`; EntityData of a type parameter cannot tell.
  return updateVersioned(em, entity, typename, id, version, { archived } as unknown as EntityData<T>);
}

/**
 * The resolver of an `archiveX(id, version)` mutation whose rules are those of any update;
 * `key` names the argument that holds the id where it is not `id` (a working group's `code`).
 */
export function archiveMutation<T extends HubRecord, K extends string = 'id'>(
  entity: EntityName<T>,
  typename: string,
  key: K = 'id' as K,
) {
  return (
    _root: unknown,
    args: { [P in NoInfer<K>]: string } & { version: number },
    { em }: { em: EntityManager },
  ) => setArchived(em, entity, typename, args[key], args.version, true);
}

/** The filter of every list: archived records only when the client asks for them. */
export function archivedFilter(includeArchived: boolean | null | undefined): { archived?: false } {
  return includeArchived ? {} : { archived: false };
}
