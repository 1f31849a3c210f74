import { UniqueConstraintViolationException } from '@mikro-orm/mongodb';
import { conflict, isoDate, optionalText, requiredText } from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { NewsItem } from '../entities';
import { newsItemId } from '../news-item-id';

const LANGUAGE = {
  regex: /^[a-z]{2}(-[A-Z]{2})?$/,
  description: 'a language tag such as "en", "bg" or "sr-RS"',
};

export const mutationResolvers: MutationResolvers = {
  createNewsItem: async (_root, { input }, { em, loaders }) => {
    const title = requiredText('input.title', input.title, { max: 300 });
    const summary = optionalText('input.summary', input.summary, { max: 5000 });
    const language = requiredText('input.language', input.language, { max: 5, pattern: LANGUAGE });
    const publishedOn = isoDate('input.publishedOn', input.publishedOn);
    const authorOrganisationId = requiredText('input.authorOrganisationId', input.authorOrganisationId, {
      max: 100,
    });
    const source = requiredText('input.source', input.source, { max: 500 });

    const day = publishedOn.toISOString().slice(0, 10);
    const id = newsItemId(day, title);
    const duplicate = () =>
      conflict(`A news item "${title}" published on ${day} already exists (id "${id}")`, { id });
    if (await loaders.newsItem.load(id)) throw duplicate();
    const item = em.create(NewsItem, {
      _id: id,
      title,
      summary,
      language,
      publishedOn,
      authorOrganisationId,
      source,
    });
    try {
      await em.flush();
    } catch (error) {
      // Another request created the same item between the check above and this insert.
      if (error instanceof UniqueConstraintViolationException) throw duplicate();
      throw error;
    }
    return item;
  },
};
