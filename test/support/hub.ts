import { join } from 'node:path';
import { startGateway, type RunningGateway } from '@clusterpolisee/gateway';
import { subgraphEnvKey } from '@clusterpolisee/gateway/config';
import {
  postGraphQL,
  startTestSubgraph,
  type GraphQLResponse,
  type TestSubgraph,
} from '@clusterpolisee/kit/testing';
import { SEEDERS } from '@clusterpolisee/infra/seed';

export interface TestHub {
  gateway: RunningGateway;
  subgraphs: Record<string, TestSubgraph>;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
  /** Database commands sent by all subgraphs since the last reset. */
  commandCount(): number;
  resetCommandCounts(): void;
  close(): Promise<void>;
}

/**
 * The whole hub on free ports, as `npm start` runs it: every subgraph on a fresh database of
 * the test run's server, seeded with the ClusterPoliSEE facts (and synthetic data at `scale`), behind the real gateway reading
 * the committed supergraph.
 */
export async function startTestHub(options: { scale?: number } = {}): Promise<TestHub> {
  const started = await Promise.all(
    SEEDERS.map(async ({ subgraph, seed }) => {
      const running = await startTestSubgraph(subgraph);
      await seed(running.orm.em.fork(), { scale: options.scale ?? 1 });
      return running;
    }),
  );
  const subgraphs = Object.fromEntries(started.map((s) => [s.name, s]));
  const gateway = await startGateway({
    port: 0,
    supergraphPath: join(__dirname, '../../schema/supergraph.graphql'),
    subgraphUrls: Object.fromEntries(started.map((s) => [subgraphEnvKey(s.name), s.url])),
  });
  return {
    gateway,
    subgraphs,
    query: (query, variables) => postGraphQL(gateway.url, query, variables),
    commandCount: () => started.reduce((sum, s) => sum + s.commands.count(), 0),
    resetCommandCounts: () => started.forEach((s) => s.commands.reset()),
    async close() {
      await gateway.close();
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
