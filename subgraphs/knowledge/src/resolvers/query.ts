import type { QueryResolvers } from '../__generated__/resolvers';
import { WorkingGroup } from '../entities';

export const queryResolvers: QueryResolvers = {
  workingGroups: (_root, _args, { em }) => em.find(WorkingGroup, {}, { orderBy: { codeNumber: 'asc' } }),
  workingGroup: (_root, { code }, { loaders }) => loaders.workingGroup.load(code),
};
