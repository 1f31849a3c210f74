import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { Event, NewsItem, Newsletter, Publication } from './entities';

/** What other subgraphs' entities show of this one's content: published, not archived. */
const PUBLIC = { status: 'PUBLISHED', archived: false } as const;

export function createLoaders(em: EntityManager) {
  return {
    newsItem: loaderByKey(em, NewsItem),
    event: loaderByKey(em, Event),
    publication: loaderByKey(em, Publication),
    newsletter: loaderByKey(em, Newsletter),
    newsByAuthor: loaderGroupedBy(em, NewsItem, 'authorOrganisationId', {
      where: PUBLIC,
      orderBy: { publishedOn: 'desc', _id: 'desc' },
    }),
    eventsByHost: loaderGroupedBy(em, Event, 'hostOrganisationId', {
      where: PUBLIC,
      orderBy: { startDate: 'asc', _id: 'asc' },
    }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
