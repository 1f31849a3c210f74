import {
  conflict,
  flushNew,
  formatIsoDate,
  isoDate,
  optionalText,
  requiredText,
  slugId,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { NewsItem } from '../entities';

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

    const day = formatIsoDate(publishedOn);
    const id = slugId(day, title);
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
    await flushNew(em, duplicate);
    return item;
  },
};
