import { join } from 'node:path';
import { createSubgraph, loadTypeDefs } from '@clusterpolisee/kit';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

export const communications = createSubgraph({
  name: 'communications',
  defaultPort: 4004,
  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),
  resolvers,
  entities,
  loaders: createLoaders,
});

if (require.main === module) void communications.run();
