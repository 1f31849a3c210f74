import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, runService } from '@clusterpolisee/kit';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

export const knowledge = createSubgraph({
  name: 'knowledge',
  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),
  resolvers,
  entities,
  loaders: createLoaders,
});

if (require.main === module) void runService(knowledge.name, () => knowledge.startFromEnv());
