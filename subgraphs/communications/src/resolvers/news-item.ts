import { formatIsoDate } from '@clusterpolisee/kit';
import type { NewsItemResolvers } from '../__generated__/resolvers';
import { visibleOrNull } from '../visibility';
import { textFields } from './text';

export const newsItemResolvers: NewsItemResolvers = {
  __resolveReference: async (reference, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.newsItem.load(reference.id)),
  ...textFields,
  publishedOn: (item) => formatIsoDate(item.publishedOn),
  author: (item) => ({ id: item.authorOrganisationId }),
  workingGroup: (item) => (item.workingGroupCode ? { code: item.workingGroupCode } : null),
};
