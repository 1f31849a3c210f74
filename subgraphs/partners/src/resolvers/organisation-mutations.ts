import {
  badUserInput,
  conflict,
  flushNew,
  ISO_COUNTRY,
  notFound,
  optionalText,
  requiredText,
  searchKeys,
  slugId,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { Organisation } from '../entities';
import { nutsRegion, website } from '../rules';
import { definedOnly, optionalChange, requiredChange } from './update-input';

const NAME = { max: 300 };
const ACRONYM = { max: 30 };

export const organisationMutations: MutationResolvers = {
  createOrganisation: async (_root, { input }, { em, loaders }) => {
    const name = requiredText('input.name', input.name, NAME);
    const countryCode = requiredText('input.countryCode', input.countryCode, { pattern: ISO_COUNTRY });
    if (!(await loaders.country.load(countryCode))) {
      throw badUserInput(
        'input.countryCode',
        `"${countryCode}" is not a country of the hub; see the countries query`,
      );
    }
    const nameOriginal = optionalText('input.nameOriginal', input.nameOriginal, NAME);
    const acronym = optionalText('input.acronym', input.acronym, ACRONYM);
    const fields = {
      name,
      nameOriginal,
      acronym,
      countryCode,
      nutsRegion: nutsRegion('input.nutsRegion', input.nutsRegion, countryCode),
      legalStatus: input.legalStatus,
      type: input.type,
      website: website('input.website', input.website),
      searchKeys: searchKeys(name, nameOriginal, acronym),
      source: requiredText('input.source', input.source, { max: 500 }),
    };
    const id = slugId(countryCode, name);
    const duplicate = () =>
      conflict(`An organisation named "${name}" already exists in ${countryCode} (id "${id}")`, { id });
    if (await loaders.organisation.load(id)) throw duplicate();
    const organisation = em.create(Organisation, { _id: id, ...fields });
    await flushNew(em, duplicate);
    return organisation;
  },

  updateOrganisation: async (_root, { id, version, input }, { em, loaders }) => {
    const stored = await loaders.organisation.load(id);
    if (!stored) throw notFound('Organisation', id);
    const changes = definedOnly({
      name: requiredChange('input.name', input.name, (v) => requiredText('input.name', v, NAME)),
      nameOriginal: optionalChange(input.nameOriginal, (v) => optionalText('input.nameOriginal', v, NAME)),
      acronym: optionalChange(input.acronym, (v) => optionalText('input.acronym', v, ACRONYM)),
      nutsRegion: optionalChange(input.nutsRegion, (v) =>
        nutsRegion('input.nutsRegion', v, stored.countryCode),
      ),
      legalStatus: requiredChange('input.legalStatus', input.legalStatus),
      type: requiredChange('input.type', input.type),
      website: optionalChange(input.website, (v) => website('input.website', v)),
      source: requiredChange('input.source', input.source, (v) => requiredText('input.source', v)),
    });
    // The id keeps the first name: other subgraphs hold it, and a key must never move.
    const merged = { ...stored, ...changes };
    const keys = searchKeys(merged.name, merged.nameOriginal, merged.acronym);
    return updateVersioned(em, Organisation, 'Organisation', id, version, { ...changes, searchKeys: keys });
  },

  archiveOrganisation: (_root, { id, version }, { em }) =>
    updateVersioned(em, Organisation, 'Organisation', id, version, { archived: true }),
};
