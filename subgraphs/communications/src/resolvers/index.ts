import type { Resolvers } from '../__generated__/resolvers';
import { eventResolvers } from './event';
import { mutationResolvers } from './mutation';
import { newsItemResolvers } from './news-item';
import { newsletterResolvers } from './newsletter';
import { organisationResolvers } from './organisation';
import { publicationResolvers } from './publication';
import { queryResolvers } from './query';

export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  NewsItem: newsItemResolvers,
  Event: eventResolvers,
  Publication: publicationResolvers,
  Newsletter: newsletterResolvers,
  Organisation: organisationResolvers,
};
