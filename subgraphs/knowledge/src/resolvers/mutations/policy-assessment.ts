import {
  conflict,
  countryCode,
  flushNew,
  optionalText,
  requiredText,
  updateVersioned,
} from '@clusterpolisee/kit';
import type { MutationResolvers } from '../../__generated__/resolvers';
import { nameFields, PolicyAssessment } from '../../entities';
import { optionalUrl, organisationId, TITLE_MAX } from '../../validation';
import { archive, current, newId, source } from './common';

const longText = (field: 'pastActions' | 'currentState' | 'futureVision', value: string | null | undefined) =>
  optionalText(`input.${field}`, value, { max: 20_000 }) ?? null;

export const policyAssessmentMutations: Pick<
  MutationResolvers,
  'createPolicyAssessment' | 'updatePolicyAssessment' | 'archivePolicyAssessment'
> = {
  createPolicyAssessment: async (_root, { input }, { em }) => {
    const assessment = {
      region: requiredText('input.region', input.region, { max: TITLE_MAX }),
      countryCode: countryCode('input.countryCode', input.countryCode),
      organisationId: organisationId('input.organisationId', input.organisationId),
      pastActions: longText('pastActions', input.pastActions),
      currentState: longText('currentState', input.currentState),
      futureVision: longText('futureVision', input.futureVision),
      documentUrl: optionalUrl('input.documentUrl', input.documentUrl),
      source: source(input.source),
    };
    const created = em.create(PolicyAssessment, {
      _id: newId('assessment', assessment.countryCode, assessment.region),
      ...assessment,
    });
    await flushNew(em, () => conflict('A policy assessment with this id was just created; retry'));
    return created;
  },

  updatePolicyAssessment: async (_root, { id, version, input }, { em, loaders }) => {
    await current(loaders.policyAssessment, 'PolicyAssessment', id);
    const changes: Partial<PolicyAssessment> = {};
    if (input.region !== undefined) {
      changes.region = requiredText('input.region', input.region, { max: TITLE_MAX });
      Object.assign(changes, nameFields(changes.region));
    }
    if (input.countryCode !== undefined)
      changes.countryCode = countryCode('input.countryCode', input.countryCode);
    if (input.organisationId !== undefined)
      changes.organisationId = organisationId('input.organisationId', input.organisationId);
    for (const field of ['pastActions', 'currentState', 'futureVision'] as const)
      if (input[field] !== undefined) changes[field] = longText(field, input[field]);
    if (input.documentUrl !== undefined)
      changes.documentUrl = optionalUrl('input.documentUrl', input.documentUrl);
    if (input.source !== undefined) changes.source = source(input.source);
    return updateVersioned(em, PolicyAssessment, 'PolicyAssessment', id, version, changes);
  },

  archivePolicyAssessment: (_root, { id, version }, { em }) =>
    archive(em, PolicyAssessment, 'PolicyAssessment', id, version),
};
