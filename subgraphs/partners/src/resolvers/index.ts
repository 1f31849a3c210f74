import type { Resolvers } from '../__generated__/resolvers';
import { countryResolvers } from './country';
import { mutationResolvers } from './mutation';
import { organisationResolvers } from './organisation';
import { queryResolvers } from './query';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Organisation: organisationResolvers,
  Country: countryResolvers,
};
