import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { NewsItem } from './entities';

export function createLoaders(em: EntityManager) {
  return {
    newsItem: loaderByKey(em, NewsItem),
    newsByAuthor: loaderGroupedBy(em, NewsItem, 'authorOrganisationId', {
      orderBy: { publishedOn: 'desc', _id: 'desc' },
    }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
