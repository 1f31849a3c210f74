import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { PartnerBudget, Project, WorkPackage } from './entities';

export function createLoaders(em: EntityManager) {
  return {
    project: loaderByKey(em, Project),
    workPackage: loaderByKey(em, WorkPackage),
    partnerBudget: loaderByKey(em, PartnerBudget),
    workPackagesByProject: loaderGroupedBy(em, WorkPackage, 'projectId', { orderBy: { code: 'asc' } }),
    budgetsByOrganisation: loaderGroupedBy(em, PartnerBudget, 'organisationId', {
      orderBy: { projectId: 'asc' },
    }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
