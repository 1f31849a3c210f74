import type { WorkingGroupResolvers } from '../__generated__/resolvers';

export const workingGroupResolvers: WorkingGroupResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.workingGroup.load(reference.code),
  lead: (group) => (group.leadOrganisationId ? { id: group.leadOrganisationId } : null),
  members: (group) => (group.memberOrganisationIds ?? []).map((id) => ({ id })),
};
