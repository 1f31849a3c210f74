import {
  conflict,
  countryCode,
  flushNew,
  optionalText,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { GoodPractice, nameFields } from '../../entities';
import { liveWorkingGroup, optionalOrganisationId, TEXT_MAX, textList, TITLE_MAX } from '../../validation';
import { archive, current, newId, source } from './common';

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
    const practice = await current(loaders.goodPractice, 'GoodPractice', id);
    const changes: Partial<GoodPractice> = {};
    if (input.title !== undefined) {
      changes.title = requiredText('input.title', input.title, { max: TITLE_MAX });
      Object.assign(changes, nameFields(changes.title));
    }
    if (input.description !== undefined)
      changes.description = optionalText('input.description', input.description, { max: TEXT_MAX }) ?? null;
    if (input.workingGroup !== undefined && input.workingGroup !== practice.workingGroupCode)
      changes.workingGroupCode = (
        await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders)
      )._id;
    if (input.countryCode !== undefined)
      changes.countryCode = countryCode('input.countryCode', input.countryCode);
    if (input.organisationId !== undefined)
      changes.organisationId = optionalOrganisationId('input.organisationId', input.organisationId);
    if (input.successFactors !== undefined) changes.successFactors = successFactors(input.successFactors);
    if (input.transferability != null) changes.transferability = input.transferability;
    if (input.source !== undefined) changes.source = source(input.source);
    return updateVersioned(em, GoodPractice, 'GoodPractice', id, version, changes);
  },

  archiveGoodPractice: (_root, { id, version }, { em }) =>
    archive(em, GoodPractice, 'GoodPractice', id, version),
};
