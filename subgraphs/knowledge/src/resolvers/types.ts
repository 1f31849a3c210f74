import { formatIsoDate } from '@clusterpolisee/kit';
import type { Resolvers } from '../__generated__/resolvers';

const date = (value: Date | null | undefined) => (value ? formatIsoDate(value) : null);
const organisation = (id: string | null | undefined) => (id ? { id } : null);

/** The entity types' fields that are not stored under their own name. */
export const typeResolvers: Resolvers = {
  WorkingGroup: {
    __resolveReference: (reference, { loaders }) => loaders.workingGroup.load(reference.code),
    lead: (group) => organisation(group.leadOrganisationId),
    // `?? []`: a group stored before memberships existed has none, rather than failing the list.
    members: (group) => (group.memberships ?? []).map((m) => ({ id: m.organisationId })),
    memberships: (group) => group.memberships ?? [],
    goodPractices: (group, _args, { loaders }) => loaders.goodPracticesByWorkingGroup.load(group._id),
    goodPracticeCount: (group, _args, { loaders }) => loaders.goodPracticeCount.load(group._id),
    pilotActions: (group, _args, { loaders }) => loaders.pilotActionsByWorkingGroup.load(group._id),
    pilotActionCount: (group, _args, { loaders }) => loaders.pilotActionCount.load(group._id),
    learningMechanisms: (group, _args, { loaders }) =>
      loaders.learningMechanismsByWorkingGroup.load(group._id),
    learningMechanismCount: (group, _args, { loaders }) => loaders.learningMechanismCount.load(group._id),
    strategyDocuments: (group, _args, { loaders }) => loaders.strategyDocumentsByWorkingGroup.load(group._id),
    strategyDocumentCount: (group, _args, { loaders }) => loaders.strategyDocumentCount.load(group._id),
  },
  WorkingGroupMembership: {
    organisation: (membership) => ({ id: membership.organisationId }),
  },
  Organisation: {
    // The partners subgraph owns organisations: any id is answered, and an unknown one has nothing here.
    __resolveReference: (reference) => ({ id: reference.id }),
    workingGroups: (org, _args, { loaders }) => loaders.workingGroupsByOrganisation.load(org.id),
    goodPractices: (org, _args, { loaders }) => loaders.goodPracticesByOrganisation.load(org.id),
  },
  ClusterPolicy: {
    responsibleOrganisation: (policy) => organisation(policy.responsibleOrganisationId),
  },
  PolicyAssessment: {
    organisation: (assessment) => ({ id: assessment.organisationId }),
  },
  GoodPractice: {
    workingGroup: async (practice, _args, { loaders }) =>
      (await loaders.workingGroup.load(practice.workingGroupCode))!,
    organisation: (practice) => organisation(practice.organisationId),
  },
  PilotAction: {
    lead: (pilot) => ({ id: pilot.leadOrganisationId }),
    workingGroup: async (pilot, _args, { loaders }) =>
      (await loaders.workingGroup.load(pilot.workingGroupCode))!,
    startDate: (pilot) => formatIsoDate(pilot.startDate),
    endDate: (pilot) => formatIsoDate(pilot.endDate),
  },
  LearningMechanism: {
    workingGroup: (mechanism, _args, { loaders }) =>
      mechanism.workingGroupCode ? loaders.workingGroup.load(mechanism.workingGroupCode) : null,
  },
  StrategyDocument: {
    workingGroup: (document, _args, { loaders }) =>
      document.workingGroupCode ? loaders.workingGroup.load(document.workingGroupCode) : null,
    publishedOn: (document) => date(document.publishedOn),
  },
  ClusterOrganisation: {
    escaValidUntil: (cluster) => date(cluster.escaValidUntil),
  },
  WorkingGroupCount: {
    workingGroup: async (row, _args, { loaders }) => (await loaders.workingGroup.load(row.workingGroupCode))!,
  },
};
