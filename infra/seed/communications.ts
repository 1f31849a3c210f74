import type { EntityManager } from '@mikro-orm/mongodb';
import { NewsItem } from '@clusterpolisee/communications/entities';
import { slugId } from '@clusterpolisee/kit';
import { organisationId } from './partners';
import { newsItems, SYNTHETIC } from './synthetic';

/** The project's real news is not in the facts; these demo items say so in title and source. */
export async function seedCommunications(em: EntityManager): Promise<number> {
  const items = newsItems();
  await em.upsertMany(
    NewsItem,
    items.map((item) => ({
      _id: slugId(item.publishedOn, item.title),
      title: item.title,
      summary: item.summary,
      language: item.language,
      publishedOn: new Date(`${item.publishedOn}T00:00:00Z`),
      authorOrganisationId: organisationId(item.author),
      source: SYNTHETIC,
    })),
  );
  return items.length;
}
