import { formatIsoDate } from '@clusterpolisee/kit';
import type { NewsletterResolvers } from '../__generated__/resolvers';
import { visibleOrNull } from '../visibility';
import { textFields } from './text';

export const newsletterResolvers: NewsletterResolvers = {
  __resolveReference: async (reference, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.newsletter.load(reference.id)),
  title: textFields.title,
  summary: textFields.summary,
  language: textFields.language,
  languages: textFields.languages,
  publishedOn: (newsletter) => formatIsoDate(newsletter.publishedOn),
  // Through the loader: the items of a whole page of newsletters come in one query.
  items: async (newsletter, _args, { loaders }) => {
    const items = await Promise.all(newsletter.itemIds.map((id) => loaders.newsItem.load(id)));
    // Archived items stay (the issue went out with them); drafts are not public yet.
    return items.filter((item) => item !== null && item.status === 'PUBLISHED').map((item) => item!);
  },
};
