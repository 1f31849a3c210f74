import type { CountryResolvers } from '../__generated__/resolvers';

export const countryResolvers: CountryResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.country.load(reference.code),
  organisations: (country, _args, { loaders }) => loaders.organisationsByCountry.load(country._id),
};
