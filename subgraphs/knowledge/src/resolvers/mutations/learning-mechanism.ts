import { conflict, flushNew, optionalText, requiredText, updateVersioned } from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { LearningMechanism, nameFields } from '../../entities';
import { liveWorkingGroup, TEXT_MAX, TITLE_MAX } from '../../validation';
import { archive, current, newId, source } from './common';

export const learningMechanismMutations: Pick<
  MutationResolvers,
  'createLearningMechanism' | 'updateLearningMechanism' | 'archiveLearningMechanism'
> = {
  createLearningMechanism: async (_root, { input }, { em, loaders }) => {
    const title = requiredText('input.title', input.title, { max: TITLE_MAX });
    const description = optionalText('input.description', input.description, { max: TEXT_MAX });
    const group =
      input.workingGroup == null
        ? null
        : await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders);
    const mechanism = em.create(LearningMechanism, {
      _id: newId('mechanism', title),
      title,
      description,
      workingGroupCode: group?._id ?? null,
      source: source(input.source),
    });
    await flushNew(em, () => conflict('A learning mechanism with this id was just created; retry'));
    return mechanism;
  },

  updateLearningMechanism: async (_root, { id, version, input }, { em, loaders }) => {
    const mechanism = await current(loaders.learningMechanism, 'LearningMechanism', id);
    const changes: Partial<LearningMechanism> = {};
    if (input.title !== undefined) {
      changes.title = requiredText('input.title', input.title, { max: TITLE_MAX });
      Object.assign(changes, nameFields(changes.title));
    }
    if (input.description !== undefined)
      changes.description = optionalText('input.description', input.description, { max: TEXT_MAX }) ?? null;
    if (input.workingGroup === null) changes.workingGroupCode = null;
    else if (input.workingGroup !== undefined && input.workingGroup !== mechanism.workingGroupCode)
      changes.workingGroupCode = (
        await liveWorkingGroup('input.workingGroup', input.workingGroup, loaders)
      )._id;
    if (input.source !== undefined) changes.source = source(input.source);
    return updateVersioned(em, LearningMechanism, 'LearningMechanism', id, version, changes);
  },

  archiveLearningMechanism: (_root, { id, version }, { em }) =>
    archive(em, LearningMechanism, 'LearningMechanism', id, version),
};
