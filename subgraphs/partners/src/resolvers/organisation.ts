import type { OrganisationResolvers } from '../__generated__/resolvers';

export const organisationResolvers: OrganisationResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.organisation.load(reference.id),
  country: async (organisation, _args, { loaders }) => {
    const country = await loaders.country.load(organisation.countryCode);
    if (!country)
      throw new Error(`Organisation ${organisation._id} names unknown country ${organisation.countryCode}`);
    return country;
  },
};
