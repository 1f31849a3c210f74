import {
  badUserInput,
  conflict,
  flushNew,
  ISO_COUNTRY,
  optionalText,
  requiredText,
  slugId,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { Organisation } from '../entities';

export const mutationResolvers: MutationResolvers = {
  createOrganisation: async (_root, { input }, { em, loaders }) => {
    const name = requiredText('input.name', input.name, { max: 300 });
    const countryCode = requiredText('input.countryCode', input.countryCode, { pattern: ISO_COUNTRY });
    if (!(await loaders.country.load(countryCode))) {
      throw badUserInput(
        'input.countryCode',
        `"${countryCode}" is not a country of the hub; see the countries query`,
      );
    }
    const id = slugId(countryCode, name);
    const duplicate = () =>
      conflict(`An organisation named "${name}" already exists in ${countryCode} (id "${id}")`, { id });
    if (await loaders.organisation.load(id)) throw duplicate();
    const organisation = em.create(Organisation, {
      _id: id,
      name,
      nameOriginal: optionalText('input.nameOriginal', input.nameOriginal, { max: 300 }),
      acronym: optionalText('input.acronym', input.acronym, { max: 30 }),
      countryCode,
      partnerRole: input.partnerRole ?? undefined,
      source: requiredText('input.source', input.source, { max: 500 }),
    });
    await flushNew(em, duplicate);
    return organisation;
  },
};
