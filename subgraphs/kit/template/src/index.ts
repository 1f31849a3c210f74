import { join } from 'node:path';
import { createSubgraph, loadTypeDefs } from '@clusterpolisee/kit';
import { entities } from './entities';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';

/** The subgraph's name in the hub's supergraph: the audience of the gateway's signed identities. */
export const SUBGRAPH_NAME = '__SUBGRAPH_NAME__';

export const subgraph = createSubgraph({
  name: SUBGRAPH_NAME,
  // Beside a hub on the same machine, whose own subgraphs take 4001 to 4004.
  defaultPort: 4010,
  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),
  resolvers,
  entities,
  loaders: createLoaders,
});
