import type { QueryResolvers } from '../__generated__/resolvers';
import { PartnerBudget, Project } from '../entities';

export const queryResolvers: QueryResolvers = {
  projects: (_root, _args, { em }) => em.find(Project, {}, { orderBy: { _id: 'asc' } }),
  project: (_root, { id }, { loaders }) => loaders.project.load(id),
  workPackage: (_root, { id }, { loaders }) => loaders.workPackage.load(id),
  partnerBudgets: (_root, { projectId }, { em }) =>
    em.find(PartnerBudget, { projectId }, { orderBy: { totalCents: 'desc', organisationId: 'asc' } }),
};
