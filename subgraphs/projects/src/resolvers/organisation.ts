import type { OrganisationResolvers } from '../__generated__/resolvers';

export const organisationResolvers: OrganisationResolvers = {
  // The partners subgraph owns organisations: any id is answered, and an unknown one has no budgets.
  __resolveReference: (reference) => ({ id: reference.id }),
  budgets: (organisation, _args, { loaders }) => loaders.budgetsByOrganisation.load(organisation.id),
};
