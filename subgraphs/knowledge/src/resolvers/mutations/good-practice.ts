import {
  archiveMutation,
  changedOnly,
  conflict,
  countryCode,
  flushNew,
  loadForUpdate,
  optionalText,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { GoodPractice } from '../../entities';
import {
  liveWorkingGroup,
  optionalOrganisationId,
  organisationId as organisationIdOf,
  TEXT_MAX,
  textList,
  TITLE_MAX,
} from '../../validation';
import { groupChange, newId, renamed, source } from './common';

const successFactors = (values: readonly string[] | null | undefined) =>
  textList('input.successFactors', values, { max: 300, maxCount: 30 });

export const goodPracticeMutations: Pick<
  MutationResolvers,
  'createGoodPractice' | 'updateGoodPractice' | 'archiveGoodPractice'
> = {
  createGoodPractice: async (_root, { input }, { em, loaders }) => {
    const title = requiredText('input.title', input.title, { max: TITLE_MAX });
    const description = optionalText('input.description', input.description, { max: TEXT_MAX });
    const group = await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders);
    const country = countryCode('input.countryCode', input.countryCode);
    const organisationId = optionalOrganisationId('input.organisationId', input.organisationId);
    const factors = successFactors(input.successFactors);
    const provenance = source(input.source);

    const practice = em.create(GoodPractice, {
      _id: newId('gp', country, title),
      title,
      description,
      workingGroupCode: group._id,
      countryCode: country,
      organisationId,
      successFactors: factors,
      transferability: input.transferability,
      source: provenance,
    });
    await flushNew(em, () => conflict('A good practice with this id was just created; retry'));
    return practice;
  },

  updateGoodPractice: async (_root, { id, version, input }, { em, loaders }) => {
    const practice = await loadForUpdate(em, GoodPractice, 'GoodPractice', id, version);
    const change = updateInput(input);
    const title = change.required('title', (v, f) => requiredText(f, v, { max: TITLE_MAX }));
    const changes = changedOnly({
      title,
      ...renamed(title),
      description: change.optional('description', (v, f) => optionalText(f, v, { max: TEXT_MAX })),
      workingGroupCode: await change.required('workingGroup', (v, f) =>
        groupChange(f, v, practice.workingGroupCode, loaders),
      ),
      countryCode: change.required('countryCode', (v, f) => countryCode(f, v)),
      organisationId: change.optional('organisationId', (v, f) => organisationIdOf(f, v)),
      successFactors: change.optional('successFactors', (v) => successFactors(v), []),
      transferability: change.required('transferability'),
      source: change.required('source', (v, f) => source(v, f)),
    });
    return updateVersioned(em, GoodPractice, 'GoodPractice', id, version, changes);
  },

  archiveGoodPractice: archiveMutation(GoodPractice, 'GoodPractice'),
};
