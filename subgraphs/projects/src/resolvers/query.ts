import {
  archivedFilter,
  boundOrganisation,
  countryCode,
  findPage,
  listSort,
  notFound,
  searchFilter,
} from '@clusterpolisee/kit';
import type { FilterQuery } from '@mikro-orm/mongodb';
import type { QueryResolvers } from '../__generated__/resolvers';
import { ExpenditureClaim, PartnerBudget, Programme, Project, WorkPackage } from '../entities';

const PROJECT_SORT = { ACRONYM: 'acronym', START_DATE: 'startDate' } as const;
const BUDGET_SORT = { AMOUNT: 'totalCents', ORGANISATION: 'organisationId' } as const;
const CLAIM_SORT = { SUBMITTED_ON: 'submittedOn', AMOUNT: 'amountCents' } as const;

/** Drops unset filter values: GraphQL gives null for what the client left out. */
function defined<T extends object>(where: Record<string, unknown>): FilterQuery<T> {
  return Object.fromEntries(
    Object.entries(where).filter(([, v]) => v !== undefined && v !== null),
  ) as FilterQuery<T>;
}

export const queryResolvers: QueryResolvers = {
  programmes: (_root, _args, { em }) => em.find(Programme, { archived: false }, { orderBy: { _id: 'asc' } }),
  programme: (_root, { id }, { loaders }) => loaders.programme.load(id),

  projects: (_root, { first, after, filter, orderBy }, { em }) =>
    findPage(em, Project, {
      where: defined<Project>({
        ...archivedFilter(filter?.includeArchived),
        status: filter?.status,
        ...searchFilter(filter?.search),
      }),
      sort: listSort(orderBy, PROJECT_SORT, { field: 'ACRONYM', direction: 'ASC' }),
      first,
      after,
    }),
  project: (_root, { id }, { loaders }) => loaders.project.load(id),

  workPackages: (_root, { projectId, includeArchived }, { em, loaders }) =>
    includeArchived
      ? em.find(WorkPackage, { projectId }, { orderBy: { code: 'asc' } })
      : loaders.workPackagesByProject.load(projectId),
  workPackage: (_root, { id }, { loaders }) => loaders.workPackage.load(id),

  partnerBudgets: (_root, { projectId, first, after, filter, orderBy }, { em }) =>
    findPage(em, PartnerBudget, {
      where: defined<PartnerBudget>({
        projectId,
        ...archivedFilter(filter?.includeArchived),
        countryCode: filter?.country ? countryCode('filter.country', filter.country) : undefined,
        organisationId: filter?.organisationId,
      }),
      // Largest first unless asked otherwise: who holds the money is the usual question.
      sort: listSort(orderBy, BUDGET_SORT, { field: 'AMOUNT', direction: 'DESC' }),
      first,
      after,
    }),

  partnerBudget: (_root, { id }, { loaders }) => loaders.partnerBudget.load(id),

  reportingPeriods: (_root, { projectId }, { loaders }) => loaders.periodsByProject.load(projectId),
  reportingPeriod: (_root, { id }, { loaders }) => loaders.reportingPeriod.load(id),

  claims: (_root, { projectId, first, after, filter, orderBy }, { em, identity }) => {
    const ownOrganisation = boundOrganisation(identity);
    return findPage(em, ExpenditureClaim, {
      where: defined<ExpenditureClaim>({
        projectId,
        ...archivedFilter(filter?.includeArchived),
        status: filter?.status,
        countryCode: filter?.country ? countryCode('filter.country', filter.country) : undefined,
        periodId: filter?.periodId,
        workPackageId: filter?.workPackageId,
        organisationId: filter?.organisationId,
        // In the query, so that pages and totalCount hold only what the caller may see (the
        // type's policy is the safety net); beside the client's organisationId filter, not
        // instead of it, so that asking for another organisation's claims finds none.
        $and: ownOrganisation === undefined ? undefined : [{ organisationId: ownOrganisation }],
      }),
      sort: listSort(orderBy, CLAIM_SORT, { field: 'SUBMITTED_ON', direction: 'DESC' }),
      first,
      after,
    });
  },
  claim: (_root, { id }, { loaders }) => loaders.claim.load(id),

  absorption: async (_root, { projectId, by }, { loaders }) => {
    if (!(await loaders.project.load(projectId))) throw notFound('Project', projectId);
    return loaders.absorption[by].load(projectId);
  },
};
