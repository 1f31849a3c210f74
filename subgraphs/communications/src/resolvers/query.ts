import { badUserInput } from '@clusterpolisee/kit';
import type { QueryResolvers } from '../__generated__/resolvers';
import { NewsItem } from '../entities';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export const queryResolvers: QueryResolvers = {
  news: (_root, { limit }, { em }) => {
    // An explicit null means "no preference", as leaving the argument out does.
    const count = limit ?? DEFAULT_LIMIT;
    if (count < 1 || count > MAX_LIMIT)
      throw badUserInput('limit', `must be from 1 to ${MAX_LIMIT} (got ${count})`);
    return em.find(NewsItem, {}, { orderBy: { publishedOn: 'desc', _id: 'desc' }, limit: count });
  },
  newsItem: (_root, { id }, { loaders }) => loaders.newsItem.load(id),
};
