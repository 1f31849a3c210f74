import type { EntityManager } from '@mikro-orm/mongodb';
import { NewsItem } from '@clusterpolisee/communications/entities';
import { slugId } from '@clusterpolisee/kit';
import { partners, type PartnerFact } from './facts';
import { organisationId } from './organisations';
import { random, SYNTHETIC } from './synthetic';

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

export interface NewsSeed {
  title: string;
  summary: string;
  language: string;
  publishedOn: string;
  author: PartnerFact;
}

const NEWS_TOPICS = [
  'Steering Committee meeting',
  'Working group workshop on cluster financing',
  'Study visit to a regional cluster',
  'Training on cluster policy making',
  'Pilot action under way',
  'Policy learning platform opens to stakeholders',
];

/** Demo news spread over the project period; the titles say they are demo items. */
export function newsItems(count = 12): NewsSeed[] {
  const next = random(2014);
  const start = Date.UTC(2012, 4, 1);
  const span = Date.UTC(2014, 9, 30) - start;
  return Array.from({ length: count }, (_, i) => {
    const author = partners[Math.floor(next() * partners.length)]!;
    const day = new Date(start + Math.floor(next() * span));
    const topic = NEWS_TOPICS[i % NEWS_TOPICS.length]!;
    return {
      title: `${topic} (demo item ${i + 1})`,
      summary: `Synthetic demo news item for the hub; not a real event of the project.`,
      language: 'en',
      publishedOn: day.toISOString().slice(0, 10),
      author,
    };
  });
}
