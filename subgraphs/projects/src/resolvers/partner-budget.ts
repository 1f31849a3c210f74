import type { PartnerBudgetResolvers } from '../__generated__/resolvers';
import { money } from '../money';

export const partnerBudgetResolvers: PartnerBudgetResolvers = {
  organisation: (budget) => ({ id: budget.organisationId }),
  project: async (budget, _args, { loaders }) => {
    const project = await loaders.project.load(budget.projectId);
    if (!project) throw new Error(`Partner budget ${budget._id} names unknown project ${budget.projectId}`);
    return project;
  },
  total: (budget) => money(budget.totalCents, budget.currency),
};
