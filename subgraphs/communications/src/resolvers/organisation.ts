import type { OrganisationResolvers } from '../__generated__/resolvers';

export const organisationResolvers: OrganisationResolvers = {
  // The partners subgraph owns organisations: any id is answered, and an unknown one has no news.
  __resolveReference: (reference) => ({ id: reference.id }),
  news: (organisation, _args, { loaders }) => loaders.newsByAuthor.load(organisation.id),
  events: (organisation, _args, { loaders }) => loaders.eventsByHost.load(organisation.id),
};
