import type { EntityManager } from '@mikro-orm/mongodb';
import { loaderByKey, loaderGroupedBy, type SubgraphContext } from '@clusterpolisee/kit';
import { Country, Organisation } from './entities';

export function createLoaders(em: EntityManager) {
  return {
    organisation: loaderByKey(em, Organisation),
    country: loaderByKey(em, Country),
    organisationsByCountry: loaderGroupedBy(em, Organisation, 'countryCode', { orderBy: { name: 'asc' } }),
  };
}

export type Context = SubgraphContext<ReturnType<typeof createLoaders>>;
