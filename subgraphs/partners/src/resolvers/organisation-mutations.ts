import {
  badUserInput,
  conflict,
  flushNew,
  ISO_COUNTRY,
  optionalText,
  requiredText,
  searchKeys,
  slugId,
} from '@clusterpolisee/kit';
// The hub's write rules, as every subgraph applies them.
import {
  archiveMutation,
  changedOnly,
  loadForUpdate,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../__generated__/resolvers';
import { Organisation } from '../entities';
import { nutsRegion, website } from '../rules';

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

  updateOrganisation: async (_root, { id, version, input }, { em }) => {
    const stored = await loadForUpdate(em, Organisation, 'Organisation', id, version);
    const change = updateInput(input);
    const changes = changedOnly({
      name: change.required('name', (v, f) => requiredText(f, v, NAME)),
      nameOriginal: change.optional('nameOriginal', (v, f) => optionalText(f, v, NAME)),
      acronym: change.optional('acronym', (v, f) => optionalText(f, v, ACRONYM)),
      nutsRegion: change.optional('nutsRegion', (v, f) => nutsRegion(f, v, stored.countryCode)),
      legalStatus: change.required('legalStatus'),
      type: change.required('type'),
      website: change.optional('website', (v, f) => website(f, v)),
      source: change.required('source', (v, f) => requiredText(f, v)),
    });
    // The id keeps the first name: other subgraphs hold it, and a key must never move.
    const merged = { ...stored, ...changes };
    const keys = searchKeys(merged.name, merged.nameOriginal, merged.acronym);
    return updateVersioned(em, Organisation, 'Organisation', id, version, { ...changes, searchKeys: keys });
  },

  archiveOrganisation: archiveMutation(Organisation, 'Organisation'),
};
