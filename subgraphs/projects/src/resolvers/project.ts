import type { ProjectResolvers } from '../__generated__/resolvers';
import { money } from '../money';

export const projectResolvers: ProjectResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.project.load(reference.id),
  startDate: (project) => project.startDate.toISOString().slice(0, 10),
  endDate: (project) => project.endDate.toISOString().slice(0, 10),
  totalBudget: (project) => money(project.totalCents, project.currency),
  workPackages: (project, _args, { loaders }) => loaders.workPackagesByProject.load(project._id),
};
