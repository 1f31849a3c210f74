import type { NewsItemResolvers } from '../__generated__/resolvers';

export const newsItemResolvers: NewsItemResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.newsItem.load(reference.id),
  publishedOn: (item) => item.publishedOn.toISOString().slice(0, 10),
  author: (item) => ({ id: item.authorOrganisationId }),
};
