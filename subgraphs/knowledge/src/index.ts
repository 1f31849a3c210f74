import { join } from 'node:path';
import { createSubgraph, loadTypeDefs } from '@clusterpolisee/kit';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

export const knowledge = createSubgraph({
  name: 'knowledge',
  defaultPort: 4002,
  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),
  resolvers,
  entities,
  loaders: createLoaders,
});

if (require.main === module) void knowledge.run();
