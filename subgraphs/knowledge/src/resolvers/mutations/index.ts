import type { MutationResolvers } from '../../__generated__/resolvers';
import { clusterOrganisationMutations } from './cluster-organisation';
import { clusterPolicyMutations } from './cluster-policy';
import { goodPracticeMutations } from './good-practice';
import { learningMechanismMutations } from './learning-mechanism';
import { pilotActionMutations } from './pilot-action';
import { policyAssessmentMutations } from './policy-assessment';
import { strategyDocumentMutations } from './strategy-document';
import { workingGroupMutations } from './working-group';

export const mutationResolvers: MutationResolvers = {
  ...workingGroupMutations,
  ...clusterPolicyMutations,
  ...policyAssessmentMutations,
  ...goodPracticeMutations,
  ...pilotActionMutations,
  ...learningMechanismMutations,
  ...strategyDocumentMutations,
  ...clusterOrganisationMutations,
};
