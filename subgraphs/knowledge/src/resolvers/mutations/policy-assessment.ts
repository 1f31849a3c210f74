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
import { PolicyAssessment } from '../../entities';
import { optionalUrl, organisationId, TITLE_MAX } from '../../validation';
import { newId, renamed, source } from './common';

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

  updatePolicyAssessment: async (_root, { id, version, input }, { em }) => {
    await loadForUpdate(em, PolicyAssessment, 'PolicyAssessment', id, version);
    const change = updateInput(input);
    const region = change.required('region', (v, f) => requiredText(f, v, { max: TITLE_MAX }));
    const changes = changedOnly({
      region,
      ...renamed(region),
      countryCode: change.required('countryCode', (v, f) => countryCode(f, v)),
      organisationId: change.required('organisationId', (v, f) => organisationId(f, v)),
      pastActions: change.optional('pastActions', (v) => longText('pastActions', v)),
      currentState: change.optional('currentState', (v) => longText('currentState', v)),
      futureVision: change.optional('futureVision', (v) => longText('futureVision', v)),
      documentUrl: change.optional('documentUrl', (v, f) => optionalUrl(f, v)),
      source: change.required('source', (v, f) => source(v, f)),
    });
    return updateVersioned(em, PolicyAssessment, 'PolicyAssessment', id, version, changes);
  },

  archivePolicyAssessment: archiveMutation(PolicyAssessment, 'PolicyAssessment'),
};
