import type { Resolvers } from '../__generated__/resolvers';
import { mutationResolvers } from './mutation';
import { organisationResolvers } from './organisation';
import { queryResolvers } from './query';
import { workingGroupResolvers } from './working-group';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  WorkingGroup: workingGroupResolvers,
  Organisation: organisationResolvers,
};
