import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, runService } from '@clusterpolisee/kit';
import { entities, type ContentStatus } from './entities';
import { createLoaders } from './loaders';
import { resolvers } from './resolvers';
import { maySee } from './visibility';

export const communications = createSubgraph({
  name: 'communications',
  typeDefs: loadTypeDefs(join(__dirname, '../schema.graphql')),
  resolvers,
  entities,
  loaders: createLoaders,
  policies: {
    'published-or-own-draft': (identity, record) => isContent(record) && maySee(identity, record),
  },
});

function isContent(record: unknown): record is { status: ContentStatus } {
  return typeof record === 'object' && record !== null && 'status' in record;
}

if (require.main === module) void runService(communications.name, () => communications.startFromEnv());
