import type { Resolvers } from '../__generated__/resolvers';
import { mutationResolvers } from './mutations';
import { queryResolvers } from './query';
import { typeResolvers } from './types';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  ...typeResolvers,
};
