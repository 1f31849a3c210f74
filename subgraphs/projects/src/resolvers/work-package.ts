import type { WorkPackageResolvers } from '../__generated__/resolvers';

export const workPackageResolvers: WorkPackageResolvers = {
  __resolveReference: (reference, { loaders }) => loaders.workPackage.load(reference.id),
  project: async (workPackage, _args, { loaders }) => {
    const project = await loaders.project.load(workPackage.projectId);
    if (!project)
      throw new Error(`Work package ${workPackage._id} names unknown project ${workPackage.projectId}`);
    return project;
  },
};
