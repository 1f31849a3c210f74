import type { Resolvers } from '../__generated__/resolvers';
import { budgetMutations } from './budget-mutations';
import { claimMutations } from './claim-mutations';
import { projectMutations } from './project-mutations';
import { queryResolvers } from './query';
import { typeResolvers } from './types';
import { workPackageMutations } from './work-package-mutations';

export const resolvers: Resolvers = {
  ...typeResolvers,
  Query: queryResolvers,
  Mutation: { ...projectMutations, ...workPackageMutations, ...budgetMutations, ...claimMutations },
};
