import { formatIsoDate } from '@clusterpolisee/kit';
import type { NewsItemResolvers } from '../__generated__/resolvers';

export const newsItemResolvers: NewsItemResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.newsItem.load(reference.id),
  publishedOn: (item) => formatIsoDate(item.publishedOn),
  author: (item) => ({ id: item.authorOrganisationId }),
};
