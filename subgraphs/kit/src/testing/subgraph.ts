import { randomBytes } from 'node:crypto';
import type { Subgraph, RunningSubgraph } from '../create-subgraph';
import { countCommands, type CommandCounter } from './commands';
import { postGraphQL, type GraphQLResponse } from './graphql-client';

export interface TestSubgraph extends RunningSubgraph {
  databaseName: string;
  commands: CommandCounter;
  query<TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<TData>>;
}

/**
 * Starts a subgraph on a free port against a database of its own on the test run's server
 * (the embedded one the global setup started, or MONGODB_URI), and drops that database on close.
 */
export async function startTestSubgraph<T>(
  subgraph: Subgraph<T>,
  databaseName = uniqueDatabaseName(subgraph.name),
): Promise<TestSubgraph> {
  const mongoUri = process.env.MONGODB_URI;
  if (!mongoUri)
    throw new Error('MONGODB_URI is unset: run tests through jest, whose global setup starts the database');
  const running = await subgraph.start({ port: 0, host: '127.0.0.1', mongoUri, databaseName });
  const commands = countCommands(running.orm);
  return {
    ...running,
    databaseName,
    commands,
    query: (query, variables) => postGraphQL(running.url, query, variables),
    close: once(async () => {
      commands.stop();
      await running.orm.em.getConnection().getDb().dropDatabase();
      await running.close();
    }),
  };
}

export function uniqueDatabaseName(prefix: string): string {
  return `test_${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Tests stop a subgraph on purpose and the suite closes everything again afterwards. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
