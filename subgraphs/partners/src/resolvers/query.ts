import type { QueryResolvers } from '../__generated__/resolvers';
import { Country, Organisation } from '../entities';

export const queryResolvers: QueryResolvers = {
  organisations: (_root, { country }, { em }) =>
    em.find(Organisation, country ? { countryCode: country } : {}, { orderBy: { name: 'asc' } }),
  organisation: (_root, { id }, { loaders }) => loaders.organisation.load(id),
  countries: (_root, _args, { em }) => em.find(Country, {}, { orderBy: { _id: 'asc' } }),
  country: (_root, { code }, { loaders }) => loaders.country.load(code),
};
