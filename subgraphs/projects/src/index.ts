import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, runService } from '@clusterpolisee/kit';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { projectsSettings } from './settings';

export const projects = createSubgraph({
  name: 'projects',
  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),
  resolvers,
  entities,
  loaders: createLoaders,
});

if (require.main === module) {
  void runService(projects.name, () => {
    // Fails at start, with what to set, rather than on the first absorption query.
    projectsSettings();
    return projects.startFromEnv();
  });
}
