import type { EntityManager } from '@mikro-orm/mongodb';
import { batchLoader, loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { absorptionByProject, claimCountsByProject, type ClaimCounts } from './absorption';
import {
  ExpenditureClaim,
  PartnerBudget,
  Programme,
  Project,
  ReportingPeriod,
  WorkPackage,
  type AbsorptionDimension,
  type AbsorptionRow,
} from './entities';

export function createLoaders(em: EntityManager) {
  const live = { archived: false };
  const loaders = {
    programme: loaderByKey(em, Programme),
    project: loaderByKey(em, Project),
    workPackage: loaderByKey(em, WorkPackage),
    partnerBudget: loaderByKey(em, PartnerBudget),
    reportingPeriod: loaderByKey(em, ReportingPeriod),
    claim: loaderByKey(em, ExpenditureClaim),
    projectsByProgramme: loaderGroupedBy(em, Project, 'programmeId', {
      where: live,
      orderBy: { acronym: 'asc' },
    }),
    workPackagesByProject: loaderGroupedBy(em, WorkPackage, 'projectId', {
      where: live,
      orderBy: { code: 'asc' },
    }),
    periodsByProject: loaderGroupedBy(em, ReportingPeriod, 'projectId', {
      where: live,
      orderBy: { number: 'asc' },
    }),
    budgetsByProject: loaderGroupedBy(em, PartnerBudget, 'projectId', {
      where: live,
      orderBy: { totalCents: 'desc', organisationId: 'asc' },
    }),
    budgetsByOrganisation: loaderGroupedBy(em, PartnerBudget, 'organisationId', {
      where: live,
      orderBy: { projectId: 'asc' },
    }),
    claimsByOrganisation: loaderGroupedBy(em, ExpenditureClaim, 'organisationId', {
      where: live,
      orderBy: { submittedOn: 'desc' },
    }),
    /** One loader per dimension, so that a page of projects costs one aggregation per collection. */
    absorption: {} as Record<AbsorptionDimension, { load(projectId: string): Promise<AbsorptionRow[]> }>,
    absorptionClaimCounts: {} as Record<
      AbsorptionDimension,
      { load(projectId: string): Promise<ClaimCounts> }
    >,
  };
  for (const dimension of ['PARTNER', 'COUNTRY', 'WORK_PACKAGE', 'PERIOD'] as const) {
    loaders.absorption[dimension] = batchLoader(
      (projectIds: string[]) => absorptionByProject(em, loaders, projectIds, dimension),
      em,
    );
    loaders.absorptionClaimCounts[dimension] = batchLoader(
      (projectIds: string[]) => claimCountsByProject(em, projectIds, dimension),
      em,
    );
  }
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
