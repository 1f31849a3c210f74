import {
  archiveMutation,
  changedOnly,
  conflict,
  flushNew,
  loadForUpdate,
  optionalText,
  requiredText,
  updateInput,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { LearningMechanism } from '../../entities';
import { liveWorkingGroup, TEXT_MAX, TITLE_MAX } from '../../validation';
import { groupChange, newId, renamed, source } from './common';

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
    const mechanism = await loadForUpdate(em, LearningMechanism, 'LearningMechanism', id, version);
    const change = updateInput(input);
    const title = change.required('title', (v, f) => requiredText(f, v, { max: TITLE_MAX }));
    const changes = changedOnly({
      title,
      ...renamed(title),
      description: change.optional('description', (v, f) => optionalText(f, v, { max: TEXT_MAX })),
      workingGroupCode: await change.optional('workingGroup', (v, f) =>
        groupChange(f, v, mechanism.workingGroupCode, loaders),
      ),
      source: change.required('source', (v, f) => source(v, f)),
    });
    return updateVersioned(em, LearningMechanism, 'LearningMechanism', id, version, changes);
  },

  archiveLearningMechanism: archiveMutation(LearningMechanism, 'LearningMechanism'),
};
