import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { Certification } from './entities';

/** Every lookup by key goes through a loader: one `$in` query per type per tick, never one per item. */
export function createLoaders(em: EntityManager) {
  return {
    certification: loaderByKey(em, Certification),
    certificationsOf: loaderGroupedBy(em, Certification, 'organisationId', {
      where: { archived: false },
      orderBy: { issuedOn: 'asc', _id: 'asc' },
    }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
