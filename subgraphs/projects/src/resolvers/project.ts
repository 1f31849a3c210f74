import { formatIsoDate } from '@clusterpolisee/kit';
import type { ProjectResolvers } from '../__generated__/resolvers';
import { money } from '../money';

export const projectResolvers: ProjectResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.project.load(reference.id),
  startDate: (project) => formatIsoDate(project.startDate),
  endDate: (project) => formatIsoDate(project.endDate),
  totalBudget: (project) => money(project.totalCents, project.currency),
  workPackages: (project, _args, { loaders }) => loaders.workPackagesByProject.load(project._id),
};
