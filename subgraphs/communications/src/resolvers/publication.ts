import { formatIsoDate } from '@clusterpolisee/kit';
import type { PublicationResolvers } from '../__generated__/resolvers';
import { publicationLink, servedTranslation } from '../language';
import { visibleOrNull } from '../visibility';
import { textFields } from './text';

export const publicationResolvers: PublicationResolvers = {
  __resolveReference: async (reference, { loaders, identity }) =>
    visibleOrNull(identity, await loaders.publication.load(reference.id)),
  ...textFields,
  url: (publication, { lang }) =>
    publicationLink(publication, servedTranslation(publication.translations, lang).lang) ?? null,
  publishedOn: (publication) => formatIsoDate(publication.publishedOn),
  author: (publication) => ({ id: publication.authorOrganisationId }),
};
