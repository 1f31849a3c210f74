import type { Resolvers } from '../__generated__/resolvers';
import { mutationResolvers } from './mutation';
import { organisationResolvers } from './organisation';
import { partnerBudgetResolvers } from './partner-budget';
import { projectResolvers } from './project';
import { queryResolvers } from './query';
import { workPackageResolvers } from './work-package';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Project: projectResolvers,
  WorkPackage: workPackageResolvers,
  PartnerBudget: partnerBudgetResolvers,
  Organisation: organisationResolvers,
};
