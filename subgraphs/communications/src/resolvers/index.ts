import type { Resolvers } from '../__generated__/resolvers';
import { mutationResolvers } from './mutation';
import { newsItemResolvers } from './news-item';
import { organisationResolvers } from './organisation';
import { queryResolvers } from './query';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  NewsItem: newsItemResolvers,
  Organisation: organisationResolvers,
};
