import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { WorkingGroup } from './entities';

export function createLoaders(em: EntityManager) {
  return {
    workingGroup: loaderByKey(em, WorkingGroup),
    workingGroupsByOrganisation: loaderGroupedBy(em, WorkingGroup, 'organisationIds', {
      orderBy: { codeNumber: 'asc' },
    }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
