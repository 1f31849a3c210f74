import type { OrganisationResolvers } from '../__generated__/resolvers';

export const organisationResolvers: OrganisationResolvers = {
  // The partners subgraph owns organisations: any id is answered, and an unknown one is in no group.
  __resolveReference: (reference) => ({ id: reference.id }),
  workingGroups: (organisation, _args, { loaders }) =>
    loaders.workingGroupsByOrganisation.load(organisation.id),
};
